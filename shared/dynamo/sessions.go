package dynamo

import (
	"context"
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
	ses, v, err := readVersioned[session.Session](ctx, st, sessionKey(id), now, session.ErrNotFound, "session")
	if err != nil {
		return nil, err
	}
	ses.ID, ses.Version, ses.ExpiresAt = id, v.Version, v.ExpiresAt
	return ses, nil
}

// SaveSession writes the session as its next version, on condition that the
// stored one is the version it was read at (none for version 0), to expire
// at its Expiry.
func (st *Store) SaveSession(ctx context.Context, ses *session.Session) error {
	expires := ses.Expiry()
	if err := st.saveVersioned(ctx, sessionKey(ses.ID), "session", ses, ses.Version, ses.LastSeenAt, expires, session.ErrChanged); err != nil {
		return err
	}
	ses.Version++
	ses.ExpiresAt = expires
	return nil
}
