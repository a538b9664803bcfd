package followup

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Store keeps follow-ups.
type Store interface {
	// CreateFollowUp stores f unless a follow-up with its id exists; it
	// reports whether it stored it.
	CreateFollowUp(ctx context.Context, f FollowUp) (bool, error)
}

// Service creates follow-ups from commands, each exactly once.
type Service struct {
	store  Store
	clocks Clocks
	cal    WorkingDays
	now    func() time.Time
}

// NewService returns a Service; now is the clock.
func NewService(store Store, clocks Clocks, cal WorkingDays, now func() time.Time) *Service {
	return &Service{store: store, clocks: clocks, cal: cal, now: now}
}

// Create creates the follow-up c asks for. However often the same command
// arrives, one follow-up exists: its id comes from the command and the store
// writes it only if absent.
func (s *Service) Create(ctx context.Context, c Command) error {
	f, err := New(c, s.clocks, s.cal, s.now())
	if err != nil {
		return fmt.Errorf("follow-up command: %w", err)
	}
	created, err := s.store.CreateFollowUp(ctx, f)
	if err != nil {
		return fmt.Errorf("create follow-up %s: %w", f.ID, err)
	}
	if !created {
		slog.InfoContext(ctx, "follow-up already exists", "followUpId", f.ID, "kind", f.Kind)
		return nil
	}
	slog.InfoContext(ctx, "follow-up created", "followUpId", f.ID, "kind", f.Kind, "provider", f.Provider,
		"sourceType", f.SourceType, "sourceId", f.SourceID, "dueAt", f.DueAt)
	return nil
}
