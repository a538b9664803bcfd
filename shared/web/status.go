package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/audit"
	"github.com/csc-frontdoor/frontdoor/shared/calendar"
	"github.com/csc-frontdoor/frontdoor/shared/ids"
	"github.com/csc-frontdoor/frontdoor/shared/lambdahttp"
	"github.com/csc-frontdoor/frontdoor/shared/referrer"
	"github.com/csc-frontdoor/frontdoor/shared/web/govuk"
)

// The referrer's pages: a referral's status, found with its reference and
// receipt token, and information added to it, over the referrer service
// the API uses (which counts every try, and answers every failure alike).
const (
	pathCheckReferral = "/check-a-referral"
	pathAddInfo       = "/check-a-referral/add-information"
)

// statusRoutes registers the referrer's pages.
func (s *Server) statusRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+pathCheckReferral, func(w http.ResponseWriter, r *http.Request) {
		s.showFind(w, r, http.StatusOK, url.Values{}, nil)
	})
	mux.HandleFunc("POST "+pathCheckReferral, s.withFormToken(s.find))
	mux.HandleFunc("POST "+pathAddInfo, s.withFormToken(s.addInformation))
}

// withFormToken refuses a form without the browser's form token.
func (s *Server) withFormToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !checkFormToken(r) {
			s.showError(w, r, http.StatusForbidden, "badToken", false)
			return
		}
		h(w, r)
	}
}

// showFind asks for the reference and receipt token.
func (s *Server) showFind(w http.ResponseWriter, r *http.Request, status int, v url.Values, errs map[string]string) {
	ref := s.input(v, errs, "reference", "find.reference", "off", "")
	ref.Classes, ref.Spellcheck = "govuk-input--width-10 app-reference", govuk.Bool(false)
	token := s.input(v, errs, "receiptToken", "find.receiptToken", "off", "")
	token.Classes, token.Spellcheck = "app-reference", govuk.Bool(false)
	s.render(w, r, status, "question", Page{
		Title:        s.text.T("find.title"),
		BackLink:     &govuk.BackLink{Href: "/", Text: s.text.T("common.back")},
		ErrorSummary: s.summary(errs, []string{"reference", "receiptToken"}, nil),
		CSRF:         formToken(w, r),
		Data: questionPage{
			Heading: s.text.T("find.title"), Lead: []string{s.text.T("find.lead")},
			Fields: []field{{Input: ref}, {Input: token}},
			Button: govuk.Button{Text: s.text.T("find.button"), PreventDoubleClick: true},
		},
	})
}

// summary is the error summary of errs (by form field) in the page's
// order of fields, each linked to its field: a problem with a whole date
// (one of dates) to its day. A problem of no field (errs[""]) comes last,
// unlinked. None when there are no errors.
func (s *Server) summary(errs map[string]string, order, dates []string) *govuk.ErrorSummary {
	if len(errs) == 0 {
		return nil
	}
	sum := &govuk.ErrorSummary{TitleText: s.text.T("error.summaryTitle")}
	for _, f := range order {
		if m, ok := errs[f]; ok && f != "" {
			sum.ErrorList = append(sum.ErrorList, govuk.ErrorItem{Text: m, Href: "#" + fieldID(f, dates)})
		}
	}
	// A problem with no field on the page is still shown, unlinked: none
	// may be hidden from the person who has to put it right.
	for _, f := range slices.Sorted(maps.Keys(errs)) {
		if f != "" && !slices.Contains(order, f) {
			sum.ErrorList = append(sum.ErrorList, govuk.ErrorItem{Text: errs[f]})
		}
	}
	if m, ok := errs[""]; ok {
		sum.ErrorList = append(sum.ErrorList, govuk.ErrorItem{Text: m})
	}
	return sum
}

// asked is the referrer service's request of the form's reference and
// token, by an anonymous caller.
func asked(r *http.Request, route string) referrer.Request {
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	return referrer.Request{
		Reference: strings.TrimSpace(r.PostForm.Get("reference")),
		Token:     strings.TrimSpace(r.PostForm.Get("receiptToken")),
		Request:   audit.Request{Actor: audit.Anonymous(ip), Route: route, RequestID: lambdahttp.RequestID(r)},
	}
}

// find shows the referral's status, or the one answer for a reference and
// token that do not match.
func (s *Server) find(w http.ResponseWriter, r *http.Request) {
	v := url.Values{"reference": {r.PostForm.Get("reference")}, "receiptToken": {r.PostForm.Get("receiptToken")}}
	errs := map[string]string{}
	if strings.TrimSpace(v.Get("reference")) == "" {
		errs["reference"] = s.text.T("find.reference.missing")
	}
	if strings.TrimSpace(v.Get("receiptToken")) == "" {
		errs["receiptToken"] = s.text.T("find.receiptToken.missing")
	}
	if len(errs) > 0 {
		s.showFind(w, r, http.StatusUnprocessableEntity, v, errs)
		return
	}
	st, err := s.cfg.Referrers.Status(r.Context(), asked(r, "POST "+pathCheckReferral))
	if err != nil {
		s.notFound(w, r, v, err)
		return
	}
	s.showStatus(w, r, http.StatusOK, st, v, nil)
}

// notFound answers a failed status check or addendum: the one message for
// every reference and token that do not match, and the wait after too many
// tries.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, v url.Values, err error) {
	e := apperr.As(err)
	switch {
	case e != nil && e.Code == apperr.NotFound:
		s.showFind(w, r, http.StatusNotFound, v, map[string]string{"reference": e.Message})
	case e != nil && e.Code == apperr.TooMany:
		w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(e.RetryAfter.Seconds()))))
		s.showFind(w, r, http.StatusTooManyRequests, v, map[string]string{"reference": e.Message})
	case e != nil && e.Code == apperr.Unavailable:
		s.unavailable(w, r, err)
	default:
		s.fail(w, r, err)
	}
}

// statusPage is the status page's data.
type statusPage struct {
	Status      govuk.SummaryList
	Description string
	Reference   string
	Token       string
	Key         string
	Fields      []field
	Button      govuk.Button
}

// showStatus shows a referral's status and the form to add information.
func (s *Server) showStatus(w http.ResponseWriter, r *http.Request, status int, st *referrer.Status, v url.Values, errs map[string]string) {
	t := s.text.T
	rows := []govuk.SummaryRow{
		{Key: govuk.SummaryCell{Text: t("status.reference")}, Value: govuk.SummaryCell{Text: st.Reference, Classes: "app-reference"}},
		{Key: govuk.SummaryCell{Text: t("status.received")}, Value: govuk.SummaryCell{Text: when(st.ReceivedAt)}},
		{Key: govuk.SummaryCell{Text: t("status.stage")}, Value: govuk.SummaryCell{Text: t("stage." + string(st.Status))}},
	}
	if st.DecidedAt != nil {
		rows = append(rows, govuk.SummaryRow{Key: govuk.SummaryCell{Text: t("status.decided")}, Value: govuk.SummaryCell{Text: when(*st.DecidedAt)}})
	}
	var sent []string
	for _, a := range st.Addenda {
		sent = append(sent, when(a.ReceivedAt))
	}
	if len(sent) == 0 {
		sent = []string{t("status.noneSent")}
	}
	rows = append(rows, govuk.SummaryRow{Key: govuk.SummaryCell{Text: t("status.addenda")}, Value: govuk.SummaryCell{HTML: lines(sent...)}})
	key := v.Get("key")
	if key == "" {
		// One addendum however often the form is sent.
		key = ids.NewToken()
	}
	s.render(w, r, status, "status", Page{
		Title:        t("status.title"),
		BackLink:     &govuk.BackLink{Href: pathCheckReferral, Text: t("common.back")},
		ErrorSummary: s.summary(errs, []string{"information", "urgent"}, nil),
		CSRF:         formToken(w, r),
		Data: statusPage{
			Status:      govuk.SummaryList{Rows: rows},
			Description: t("stage." + string(st.Status) + ".description"),
			Reference:   st.Reference, Token: v.Get("receiptToken"), Key: key,
			Fields: []field{
				{Textarea: s.textarea(v, errs, "information", "addInfo.information", 8)},
				{Radios: s.yesNo(v, errs, "urgent", "addInfo.urgent")},
			},
			Button: govuk.Button{Text: t("addInfo.button"), PreventDoubleClick: true},
		},
	})
}

// when is a time in England in words: 2 December 2026 at 10:04am.
func when(t time.Time) string { return t.In(calendar.London()).Format("2 January 2006 at 3:04pm") }

// addInformation sends the information through the referrer service; its
// idempotency key is the form's, so that sending the form twice adds it
// once.
func (s *Server) addInformation(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	for _, f := range []string{"reference", "receiptToken", "key", "information", "urgent"} {
		v.Set(f, r.PostForm.Get(f))
	}
	body := map[string]any{"information": v.Get("information")}
	switch v.Get("urgent") {
	case "yes":
		body["urgent"] = true
	case "no":
		body["urgent"] = false
	}
	b, err := json.Marshal(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req := asked(r, "POST "+pathAddInfo)
	rc, _, err := s.cfg.Referrers.AddAddendum(r.Context(), referrer.AddendumRequest{Request: req, Body: b, IdempotencyKey: v.Get("key")})
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid && len(e.Fields) > 0 {
		// The form's own problems: shown on the status page, read again.
		st, serr := s.cfg.Referrers.Status(r.Context(), req)
		if serr != nil {
			s.notFound(w, r, v, serr)
			return
		}
		errs := map[string]string{}
		for _, f := range e.Fields {
			if _, dup := errs[f.Field]; !dup {
				errs[f.Field] = f.Message
			}
		}
		if _, ok := errs["urgent"]; ok && v.Get("urgent") == "" {
			// The API's words are about JSON's true and false.
			errs["urgent"] = s.text.T("addInfo.urgent.missing")
		}
		s.showStatus(w, r, http.StatusUnprocessableEntity, st, v, errs)
		return
	}
	if err != nil {
		s.notFound(w, r, v, err)
		return
	}
	s.render(w, r, http.StatusOK, "added", Page{
		Title: s.text.T("added.title"),
		Data: struct {
			Panel  govuk.Panel
			Urgent bool
		}{
			Panel:  govuk.Panel{TitleText: s.text.T("added.title"), Text: s.text.T("added.reference", "reference", rc.Reference)},
			Urgent: rc.Urgent,
		},
	})
}
