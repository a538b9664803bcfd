package dynamo_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/intake"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
)

// TestDrafts: a draft is saved and read back as it was; a save that does
// not follow the version read is refused; an expired draft is not found
// though its item is still there; the id is never stored in clear.
func TestDrafts(t *testing.T) {
	f := newFixture(t)
	d := draft.New()
	d.UpdatedAt = t0
	d.Answers["referrer"] = url.Values{"name": {"A Teacher"}}
	d.Lists["children"] = []string{"c1", "c2"}
	if err := f.store.SaveDraft(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if d.Version != 1 || !d.ExpiresAt.Equal(t0.Add(draft.Idle)) {
		t.Errorf("after the first save: version %d, expires %v", d.Version, d.ExpiresAt)
	}
	got, err := f.store.Draft(t.Context(), d.ID, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got.CSRF != d.CSRF || got.Answers["referrer"].Get("name") != "A Teacher" || len(got.Lists["children"]) != 2 || got.Version != 1 || !got.UpdatedAt.Equal(t0) {
		t.Errorf("read back %+v", got)
	}

	stale := *got
	got.UpdatedAt = t0.Add(time.Hour)
	if err := f.store.SaveDraft(t.Context(), got); err != nil || got.Version != 2 {
		t.Fatalf("second save: %v, version %d", err, got.Version)
	}
	if err := f.store.SaveDraft(t.Context(), &stale); !errors.Is(err, draft.ErrChanged) {
		t.Errorf("save of a stale version: %v, want ErrChanged", err)
	}
	fresh := draft.New()
	fresh.ID = d.ID
	fresh.UpdatedAt = t0
	if err := f.store.SaveDraft(t.Context(), fresh); !errors.Is(err, draft.ErrChanged) {
		t.Errorf("a new draft over an existing one: %v, want ErrChanged", err)
	}

	if _, err := f.store.Draft(t.Context(), d.ID, t0.Add(time.Hour+draft.Idle)); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("expired draft: %v, want ErrNotFound", err)
	}
	// Once sent it keeps the receipt for draft.AfterSending only.
	sent, err := f.store.Draft(t.Context(), d.ID, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	sent.Receipt, sent.Answers, sent.Lists = &intake.Receipt{Reference: "ABCD-2345"}, nil, nil
	sent.UpdatedAt = t0.Add(2 * time.Hour)
	if err := f.store.SaveDraft(t.Context(), sent); err != nil || !sent.ExpiresAt.Equal(t0.Add(2*time.Hour+draft.AfterSending)) {
		t.Fatalf("sent: %v, expires %v", err, sent.ExpiresAt)
	}
	if got, err := f.store.Draft(t.Context(), d.ID, t0.Add(2*time.Hour+draft.AfterSending-time.Second)); err != nil || got.Receipt == nil || got.Answers != nil {
		t.Errorf("sent draft just before it expires: %+v, %v", got, err)
	}
	if _, err := f.store.Draft(t.Context(), d.ID, t0.Add(2*time.Hour+draft.AfterSending)); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("sent draft after %v: %v, want ErrNotFound", draft.AfterSending, err)
	}
	if _, err := f.store.Draft(t.Context(), "another", t0); !errors.Is(err, draft.ErrNotFound) {
		t.Errorf("unknown draft: %v, want ErrNotFound", err)
	}
	for _, k := range f.keys(t) {
		if strings.Contains(k, d.ID) {
			t.Errorf("the draft's id is in a key: %s", k)
		}
	}
	for _, item := range f.scan(t) {
		for name, v := range item {
			if s, ok := v.(*types.AttributeValueMemberS); ok && strings.Contains(s.Value, d.ID) {
				t.Errorf("the draft's id is stored in %s", name)
			}
		}
	}
}
