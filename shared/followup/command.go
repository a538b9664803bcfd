package followup

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
)

// CommandType is the type of the message that asks for a follow-up to be
// created.
const CommandType = "followup.create"

// Command asks for a follow-up to be created. It is the queue message, so it
// carries references only, never personal data.
type Command struct {
	// Type is CommandType.
	Type string `json:"type"`
	Kind Kind   `json:"kind"`
	// SourceType and SourceID name the record the follow-up comes from;
	// SourceID is a ULID.
	SourceType SourceType `json:"sourceType"`
	SourceID   string     `json:"sourceId"`
	// ChildIndex is the child's index in the referral's children; 0 for a
	// custody request and for a follow-up about the whole referral.
	ChildIndex int `json:"childIndex"`
	// StartAt is the moment the clock starts: the child's return, the
	// custody request's receipt, or the referral's receipt.
	StartAt time.Time `json:"startAt"`
}

// Validate checks that c can be acted on: Type is CommandType; Kind and
// SourceType are known and go together (a return home interview or FGM police
// report comes from a referral, an appropriate adult or s38(6) accommodation
// from a custody request); SourceID is a canonical ULID; ChildIndex is within
// a referral's children, and 0 for a custody request or an FGM police report;
// StartAt is not zero. The error is an *apperr.Error with code Invalid that
// lists every problem by JSON field name and never repeats a value.
func (c Command) Validate() error {
	var fs []apperr.FieldError
	add := func(field, msg string) { fs = append(fs, apperr.FieldError{Field: field, Message: msg}) }
	if c.Type != CommandType {
		add("type", "must be "+CommandType)
	}
	switch {
	case !c.Kind.Valid():
		add("kind", "is not a known follow-up kind")
	case !c.SourceType.Valid():
		add("sourceType", "is not a known source type")
	case c.Kind.SourceType() != c.SourceType:
		add("sourceType", "does not match the kind of follow-up")
	}
	if !ids.IsULID(c.SourceID) {
		add("sourceId", "must be a ULID")
	}
	switch {
	case c.ChildIndex < 0 || c.ChildIndex >= referral.MaxChildren:
		add("childIndex", "must be from 0 to "+strconv.Itoa(referral.MaxChildren-1))
	case c.ChildIndex != 0 && (c.SourceType == SourceCustodyRequest || c.Kind == KindFGMPoliceReport):
		add("childIndex", "must be 0 for this kind of follow-up")
	}
	if c.StartAt.IsZero() {
		add("startAt", "is required")
	}
	if len(fs) > 0 {
		return apperr.WithFields("The follow-up command is not valid.", fs)
	}
	return nil
}

// FollowUpID returns the id of the follow-up c asks for. It depends only on
// Kind, SourceType, SourceID and ChildIndex, so the same command always gives
// the same id, and commands that differ in any of them give different ids.
//
// For a command with a known kind and source type, a ULID source id and a
// non-negative child index, the id is readable:
//
//	FU-<kind code>-<source code>-<sourceId>-<childIndex>
//
// for example "FU-RHI-REF-01J9ZQ4X7V3M5N8P2R6T0W1Y4A-1", where the kind codes
// are RHI, AA, S38 and FGM and the source codes REF and CUS; it is at most 57
// characters (39 for a child index below 10). Any other command (which Validate would reject) gets
// "FU-H-" followed by 40 hex digits of a SHA-256 hash of those four fields, so
// ids stay distinct, bounded in length and free of whatever the fields held.
func (c Command) FollowUpID() string {
	kc, sc := c.Kind.code(), c.SourceType.code()
	if kc != "" && sc != "" && ids.IsULID(c.SourceID) && c.ChildIndex >= 0 {
		return "FU-" + kc + "-" + sc + "-" + c.SourceID + "-" + strconv.Itoa(c.ChildIndex)
	}
	h := sha256.New()
	for _, part := range []string{string(c.Kind), string(c.SourceType), c.SourceID, strconv.Itoa(c.ChildIndex)} {
		// Length-prefix each part so that no two tuples hash the same input.
		h.Write([]byte(strconv.Itoa(len(part)) + ":" + part))
	}
	return "FU-H-" + hex.EncodeToString(h.Sum(nil))[:40]
}

// ForReferral returns the commands for the follow-ups a triaged referral
// needs, in a stable order: first a return home interview for each born child
// in the order the referral lists them, then the FGM police report.
//
//   - A return home interview for each child that is not unborn, when the
//     referral has a missing episode that is not still missing and has a
//     ReturnedAt. StartAt is ReturnedAt in UTC. ReturnedAt was checked to be
//     RFC 3339 when the referral was accepted; if it still fails to parse, no
//     return home interview is asked for rather than one with a guessed start.
//   - One FGM police report (ChildIndex 0) when the concerns include FGM and
//     the referrer said they are a regulated professional (a nil answer is
//     not yes). StartAt is the referral's ReceivedAt in UTC.
//
// Nothing else is asked for. A nil record gives nil.
func ForReferral(rec *referral.Record) []Command {
	if rec == nil {
		return nil
	}
	var out []Command
	if me := rec.Form.MissingEpisode; me != nil && !me.StillMissing && me.ReturnedAt != "" {
		if returned, err := time.Parse(time.RFC3339, me.ReturnedAt); err == nil {
			for i, child := range rec.Form.Children {
				if child.IsUnborn() {
					continue
				}
				out = append(out, Command{
					Type: CommandType, Kind: KindReturnHomeInterview,
					SourceType: SourceReferral, SourceID: rec.ID, ChildIndex: i,
					StartAt: returned.UTC(),
				})
			}
		}
	}
	if rp := rec.Form.Referrer.RegulatedProfessional; rp != nil && *rp && rec.Form.HasCategory(referral.CategoryFGM) {
		out = append(out, Command{
			Type: CommandType, Kind: KindFGMPoliceReport,
			SourceType: SourceReferral, SourceID: rec.ID, ChildIndex: 0,
			StartAt: rec.ReceivedAt.UTC(),
		})
	}
	return out
}

// ForCustody returns the commands for the follow-ups a custody request needs,
// in a stable order: an appropriate adult if asked for, then s38(6)
// accommodation if asked for. id is the custody request's id; StartAt is
// receivedAt in UTC. Neither asked for gives nil.
func ForCustody(id string, receivedAt time.Time, appropriateAdult, accommodation bool) []Command {
	var out []Command
	if appropriateAdult {
		out = append(out, Command{
			Type: CommandType, Kind: KindAppropriateAdult,
			SourceType: SourceCustodyRequest, SourceID: id, StartAt: receivedAt.UTC(),
		})
	}
	if accommodation {
		out = append(out, Command{
			Type: CommandType, Kind: KindS38Accommodation,
			SourceType: SourceCustodyRequest, SourceID: id, StartAt: receivedAt.UTC(),
		})
	}
	return out
}
