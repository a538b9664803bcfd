package dynamo

import (
	"context"
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
	d, v, err := readVersioned[draft.Draft](ctx, st, draftKey(id), now, draft.ErrNotFound, "draft")
	if err != nil {
		return nil, err
	}
	d.ID, d.Version, d.UpdatedAt, d.ExpiresAt = id, v.Version, v.UpdatedAt, v.ExpiresAt
	return d, nil
}

// SaveDraft writes the draft as its next version, on condition that the
// stored one is the version it was read at (none for version 0), with its
// expiresAt, the table's time-to-live, moved to its Lifetime (draft.Idle,
// or draft.AfterSending once sent) from its UpdatedAt.
func (st *Store) SaveDraft(ctx context.Context, d *draft.Draft) error {
	expires := d.UpdatedAt.Add(d.Lifetime())
	if err := st.saveVersioned(ctx, draftKey(d.ID), "draft", d, d.Version, d.UpdatedAt, expires, draft.ErrChanged); err != nil {
		return err
	}
	d.Version++
	d.ExpiresAt = expires
	return nil
}
