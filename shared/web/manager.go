package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/casework"
	"github.com/csc-frontdoor/frontdoor/shared/escalation"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
	"github.com/csc-frontdoor/frontdoor/shared/web/session"
)

// The MASH manager's escalations, with acknowledge, and a referral's audit
// trail, over the services of the API's manager routes.

// Escalations lists and acknowledges the escalations to the manager.
type Escalations interface {
	List(ctx context.Context, q escalation.Query, req audit.Request) (*escalation.Page, error)
	Acknowledge(ctx context.Context, id string, body []byte, req audit.Request) (*escalation.Escalation, error)
}

// Trails reads a referral's audit trail (auditing the read).
type Trails interface {
	AuditTrail(ctx context.Context, id string, req audit.Request) (*casework.Trail, error)
}

const pathEscalations = "/staff/escalations"

// escalationsPage is the escalations page's data.
type escalationsPage struct {
	Banner *govuk.NotificationBanner
	Rows   []escalationRow
	// Next is the next page's link, when there is one.
	Next string
}

type escalationRow struct {
	ID, Raised, Clock, About, AboutHref, Due string
}

// escalations lists the open escalations, each with a form to acknowledge
// it.
func (s *Server) escalations(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	q := escalation.Query{Status: escalation.StatusOpen, Cursor: r.URL.Query().Get("cursor"), Limit: 50}
	pg, err := s.cfg.Escalations.List(r.Context(), q, staffRequest(r, ses, managerRoles))
	if e := apperr.As(err); e != nil && e.Code == apperr.Malformed && q.Cursor != "" {
		// A cursor not of these pages: start again.
		http.Redirect(w, r, pathEscalations, http.StatusSeeOther)
		return
	}
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	t := s.text.T
	now := s.cfg.Now()
	p := escalationsPage{}
	for _, e := range pg.Items {
		row := escalationRow{ID: e.ID, Raised: when(e.RaisedAt), Clock: t("clock." + string(e.Clock))}
		switch sub := e.Subject; {
		case sub.Type == audit.SubjectReferral:
			row.About, row.AboutHref = t("escalations.referral", "reference", sub.Reference), "/staff/referrals/"+sub.ID
			if sub.DecisionDueAt != nil {
				row.Due = dueIn(*sub.DecisionDueAt, now)
			}
		default:
			row.About = t("followUpKind." + string(sub.Kind))
			if sub.DueAt != nil {
				row.Due = dueIn(*sub.DueAt, now)
			}
		}
		p.Rows = append(p.Rows, row)
	}
	if pg.Next != "" {
		p.Next = pathEscalations + "?" + url.Values{"cursor": {pg.Next}}.Encode()
	}
	if r.URL.Query().Get("acknowledged") == "1" {
		p.Banner = &govuk.NotificationBanner{Type: "success", Text: t("escalations.acknowledged")}
	}
	s.renderStaff(w, r, http.StatusOK, "escalations", ses, Page{Title: t("escalations.title"), CSRF: ses.CSRF, Data: p})
}

// acknowledge acknowledges an escalation (once: a second is the service's
// to refuse) and goes back to the list.
func (s *Server) acknowledge(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	body, err := json.Marshal(map[string]any{"note": r.PostForm.Get("note")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.cfg.Escalations.Acknowledge(r.Context(), r.PathValue("id"), body, staffRequest(r, ses, managerRoles)); err != nil {
		s.staffFailure(w, r, err)
		return
	}
	http.Redirect(w, r, pathEscalations+"?"+url.Values{"acknowledged": {"1"}}.Encode(), http.StatusSeeOther)
}

// auditTrail shows who did what to a referral, oldest first; the read is
// itself audited, and is the last entry.
func (s *Server) auditTrail(w http.ResponseWriter, r *http.Request, ses *session.Session) {
	tr, err := s.cfg.Trails.AuditTrail(r.Context(), r.PathValue("id"), staffRequest(r, ses, managerRoles))
	if err != nil {
		s.staffFailure(w, r, err)
		return
	}
	t := s.text.T
	table := &govuk.Table{Caption: t("trail.caption"), CaptionClasses: "govuk-visually-hidden",
		Head: []govuk.TableCell{{Text: t("trail.when")}, {Text: t("trail.action")}, {Text: t("trail.who")}, {Text: t("trail.role")}}}
	for _, e := range tr.Entries {
		action := string(e.Action)
		if s.text.Has("action." + action) {
			action = t("action." + action)
		}
		table.Rows = append(table.Rows, []govuk.TableCell{{Text: when(e.At)}, {Text: action}, {Text: e.Actor.ID}, {Text: e.Actor.Role}})
	}
	s.renderStaff(w, r, http.StatusOK, "trail", ses, Page{Title: t("trail.title"),
		BackLink: &govuk.BackLink{Href: "/staff/referrals/" + tr.ReferralID, Text: t("common.back")},
		Data: struct {
			Table     *govuk.Table
			Truncated bool
		}{table, tr.Truncated}})
}
