package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

var _ session.Store = (*Store)(nil)

// sessionKey is the key of a staff session: its id hashed, so that the
// table never holds the cookie that names it.
func sessionKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(sessionPrefix + ids.Hash(id)), "sk": s(sessionSK)}
}

// Session returns the session with id, or session.ErrNotFound when there
// is none or it expired before now.
func (st *Store) Session(ctx context.Context, id string, now time.Time) (*session.Session, error) {
	v, err := st.getVersioned(ctx, sessionKey(id), now)
	if errors.Is(err, errVersionedNotFound) {
		return nil, fmt.Errorf("get session: %w", session.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get session: %w", err)
	}
	ses := &session.Session{ID: id, Version: v.Version, ExpiresAt: v.ExpiresAt}
	if err := json.Unmarshal([]byte(v.Body), ses); err != nil {
		return nil, fmt.Errorf("decode session: %w", err)
	}
	return ses, nil
}

// SaveSession writes the session as its next version, on condition that the
// stored one is the version it was read at (none for version 0), to expire
// at its Expiry.
func (st *Store) SaveSession(ctx context.Context, ses *session.Session) error {
	body, err := json.Marshal(ses)
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	expires := ses.Expiry()
	err = st.putVersioned(ctx, sessionKey(ses.ID), "session", versioned{Body: string(body), Version: ses.Version, UpdatedAt: ses.LastSeenAt, ExpiresAt: expires})
	if errors.Is(err, errVersionChanged) {
		return fmt.Errorf("save session: %w", session.ErrChanged)
	}
	if err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	ses.Version++
	ses.ExpiresAt = expires
	return nil
}
