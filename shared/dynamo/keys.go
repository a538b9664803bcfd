package dynamo

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
)

// The table's key design, all in this file: every item type, its keys,
// its index entries and the partitions they make. docs/data-model.md gives
// the access pattern each serves and the index it uses.
//
//	item                   pk                        sk                    index entry (pk / sk)
//	referral               REFERRAL#<id>             REFERRAL              ByState: one of the Queue* partitions / <time>#<id>
//	                                                                       ByMonth: STATS#REFERRAL#<yyyy-mm> / <receivedAt>#<id>
//	reference claim        REFNO#<reference>         REFNO                 -
//	idempotency record     IDEMPOTENCY#<key hash>    IDEMPOTENCY           - (expiresAt: the table's TTL)
//	audit entry            <subject's pk>            AUDIT#<ulid>          -
//	screening decision     REFERRAL#<id>             DECISION#<ulid>       -
//	addendum               REFERRAL#<id>             ADDENDUM#<ulid>       -
//	child link             REFERRAL#<id>             CHILD#<keyed hash>    ByChild: CHILD#<keyed hash> / <receivedAt>#<id>
//	custody request        CUSTODY#<id>              CUSTODY               ByState: CUSTODY#RECEIVED / <receivedAt>#<id> until its follow-ups are sent
//	custody record claim   CUSTODYNO#<hash>          CUSTODYNO             - (the request open for a suite and custody number)
//	follow-up              <source's pk>             FOLLOWUP#<id>         ByState: FOLLOWUP#<provider>#<status> / <flag>#<dueAt>#<id>
//	                                                                       ByMonth: STATS#FOLLOWUP#<yyyy-mm> / <startAt>#<id>
//	follow-up event        FOLLOWUP#<id>             EVENT#<ulid>          -
//	helpline call          HELPLINE#<id>             HELPLINE              ByState: HELPLINE#<yyyy-mm>#CONCERN or #NO-CONCERN / <calledAt>#<id>
//	tries on a reference   GUESSES#<reference>       WINDOW#<window start> - (tries: counted in that window; expiresAt: the table's TTL)
//	draft (web form)       DRAFT#<sha256 of its id>  DRAFT                 - (the answers so far, or the receipt once sent; expiresAt: the table's TTL)
//	staff session          SESSION#<sha256 of its id> SESSION              - (status, subject, roles, form token; expiresAt: the table's TTL)
//	escalation             ESCALATION#<name>         ESCALATION            ByState: ESCALATION#OPEN / <raisedAt>#<name>, then ESCALATION#ACKNOWLEDGED / <acknowledgedAt>#<name>
//
// Times in keys are UTC in keyTime, fixed width, so that they sort as text.

// The partition key prefixes and sort keys of the items.
const (
	referralPrefix     = "REFERRAL#"
	referencePrefix    = "REFNO#"
	idempotencyPrefix  = "IDEMPOTENCY#"
	custodyPrefix      = "CUSTODY#"
	custodyClaimPrefix = "CUSTODYNO#"
	followUpPrefix     = "FOLLOWUP#"
	helplinePrefix     = "HELPLINE#"
	escalationPrefix   = "ESCALATION#"
	childPrefix        = "CHILD#"
	auditPrefix        = "AUDIT#"
	decisionPrefix     = "DECISION#"
	addendumPrefix     = "ADDENDUM#"
	eventPrefix        = "EVENT#"
	guessesPrefix      = "GUESSES#"
	windowPrefix       = "WINDOW#"
	draftPrefix        = "DRAFT#"
	draftSK            = "DRAFT"
	sessionPrefix      = "SESSION#"
	sessionSK          = "SESSION"
)

// keyTime formats times in keys: fixed width, so they sort as text.
const keyTime = "2006-01-02T15:04:05.000Z"

// atKey is a sort key of an entry by time: <at in keyTime>#<id>.
func atKey(at time.Time, id string) string { return at.UTC().Format(keyTime) + "#" + id }

// Index names, as in template.yaml.
const (
	IndexByState = "ByState"
	IndexByChild = "ByChild"
	IndexByMonth = "ByMonth"
)

// The ByState partitions.
const (
	// QueueUnqueued holds referrals stored whose triage message could not
	// be sent, by time received.
	QueueUnqueued = "REFERRAL#RECEIVED"
	// QueueQueued holds referrals on the triage queue (or being put on it
	// by the sending that stored them) but not yet triaged, by time last
	// sent.
	QueueQueued = "REFERRAL#QUEUED"
	// QueueUntriaged holds referrals sent again the most times and still
	// not triaged, escalated to be screened by hand, by time escalated.
	QueueUntriaged = "REFERRAL#UNTRIAGED"
	// QueueAwaitingDecision is the MASH queue: triaged referrals by decision
	// due time.
	QueueAwaitingDecision = "REFERRAL#AWAITING_DECISION"
	// QueueOverdue holds referrals whose decision is overdue, by due time.
	QueueOverdue = "REFERRAL#OVERDUE"
	// Follow-ups are in FOLLOWUP#<provider>#<status> (followUpPartition).
	// EscalationsOpen holds escalations to the MASH manager by time raised.
	EscalationsOpen = "ESCALATION#OPEN"
	// CustodyUnqueued holds custody requests whose follow-ups were not yet
	// sent, by time received.
	CustodyUnqueued = "CUSTODY#RECEIVED"
)

// EscalationsAcknowledged holds escalations the MASH manager acknowledged,
// by time acknowledged.
const EscalationsAcknowledged = "ESCALATION#ACKNOWLEDGED"

// escalationPartitions is the ByState partition of each status.
var escalationPartitions = map[escalation.Status]string{
	escalation.StatusOpen:         EscalationsOpen,
	escalation.StatusAcknowledged: EscalationsAcknowledged,
}

// The ByMonth partitions, each followed by the month ("2026-11", UTC).
const (
	// StatsReferrals holds referrals by time received.
	StatsReferrals = "STATS#REFERRAL#"
	// StatsFollowUps holds follow-ups by the time their clock started.
	StatsFollowUps = "STATS#FOLLOWUP#"
)

// subjectPartitions gives the partition key prefix of each kind of audited
// record: an audit entry is filed under the record it is about.
var subjectPartitions = map[audit.SubjectType]string{
	audit.SubjectReferral:     referralPrefix,
	audit.SubjectCustody:      custodyPrefix,
	audit.SubjectFollowUp:     followUpPrefix,
	audit.SubjectHelplineCall: helplinePrefix,
}

func referralKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(referralPrefix + id), "sk": s("REFERRAL")}
}

// custodyClaimKey is the key of the claim on a custody record (suite and
// custody number, hashed: custody.ClaimKey) by the request open for it.
func custodyClaimKey(key string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(custodyClaimPrefix + key), "sk": s("CUSTODYNO")}
}

// referenceKey is the key of the claim on a human reference.
func referenceKey(reference string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(referencePrefix + reference), "sk": s("REFNO")}
}

func idempotencyKey(hash string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(idempotencyPrefix + hash), "sk": s("IDEMPOTENCY")}
}

func custodyKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(custodyPrefix + id), "sk": s("CUSTODY")}
}

func escalationKey(k escalation.Key) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(escalationPrefix + k.Name()), "sk": s("ESCALATION")}
}

func helplineKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(helplinePrefix + id), "sk": s("HELPLINE")}
}

// sourcePK is the partition of the record a follow-up comes from: its
// follow-ups are kept beside it.
func sourcePK(t followup.SourceType, id string) string {
	if t == followup.SourceCustodyRequest {
		return custodyPrefix + id
	}
	return referralPrefix + id
}

// followUpKey is the key of follow-up id, found beside the record it comes
// from; false when id is not a follow-up id.
func followUpKey(id string) (map[string]types.AttributeValue, bool) {
	c, ok := followup.ParseID(id)
	if !ok {
		return nil, false
	}
	return map[string]types.AttributeValue{"pk": s(sourcePK(c.SourceType, c.SourceID)), "sk": s(followUpPrefix + id)}, true
}

// followUpPartition is the ByState partition of a provider's follow-ups in
// a status: FOLLOWUP#<provider>#<status>. Partitioning by provider lets each
// provider page through its own follow-ups and nobody else's.
func followUpPartition(p followup.Provider, st followup.Status) string {
	return followUpPrefix + string(p) + "#" + string(st)
}

// Flags that begin a follow-up's ByState sort key: "0" once it was flagged
// overdue, "1" before, so that in every partition the flagged ones come
// first, and the sweep can ask for the unflagged ones past due alone.
const (
	followUpFlagged   = "0#"
	followUpUnflagged = "1#"
)

// followUpSortKey is a follow-up's ByState sort key:
// <flag>#<dueAt>#<id>.
func followUpSortKey(f followup.FollowUp) string {
	flag := followUpUnflagged
	if f.OverdueAt != nil {
		flag = followUpFlagged
	}
	return flag + atKey(f.DueAt, f.ID)
}

// The two halves of a month's helpline partition in ByState.
const (
	helplineConcern   = "CONCERN"
	helplineNoConcern = "NO-CONCERN"
)

// helplinePartition is the ByState partition of the calls of a month (the
// month of at, in UTC) with or without a safeguarding concern.
func helplinePartition(at time.Time, concern bool) string {
	half := helplineNoConcern
	if concern {
		half = helplineConcern
	}
	return helplinePrefix + at.UTC().Format("2006-01") + "#" + half
}
