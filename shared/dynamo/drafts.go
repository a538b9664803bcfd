package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
)

var _ draft.Store = (*Store)(nil)

// draftKey is the key of a draft: its id hashed, so that the table never
// holds the cookie that names it.
func draftKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(draftPrefix + ids.Hash(id)), "sk": s(draftSK)}
}

// Draft returns the draft with id, or draft.ErrNotFound when there is none
// or it expired before now.
func (st *Store) Draft(ctx context.Context, id string, now time.Time) (*draft.Draft, error) {
	v, err := st.getVersioned(ctx, draftKey(id), now)
	if errors.Is(err, errVersionedNotFound) {
		return nil, fmt.Errorf("get draft: %w", draft.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get draft: %w", err)
	}
	d := &draft.Draft{ID: id, Version: v.Version, UpdatedAt: v.UpdatedAt, ExpiresAt: v.ExpiresAt}
	if err := json.Unmarshal([]byte(v.Body), d); err != nil {
		return nil, fmt.Errorf("decode draft: %w", err)
	}
	return d, nil
}

// SaveDraft writes the draft as its next version, on condition that the
// stored one is the version it was read at (none for version 0), with its
// expiresAt, the table's time-to-live, moved to its Lifetime (draft.Idle,
// or draft.AfterSending once sent) from its UpdatedAt.
func (st *Store) SaveDraft(ctx context.Context, d *draft.Draft) error {
	body, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode draft: %w", err)
	}
	expires := d.UpdatedAt.Add(d.Lifetime())
	err = st.putVersioned(ctx, draftKey(d.ID), "draft", versioned{Body: string(body), Version: d.Version, UpdatedAt: d.UpdatedAt, ExpiresAt: expires})
	if errors.Is(err, errVersionChanged) {
		return fmt.Errorf("save draft: %w", draft.ErrChanged)
	}
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	d.Version++
	d.ExpiresAt = expires
	return nil
}
