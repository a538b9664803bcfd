// Package webform is a person at the referral pages with JavaScript off,
// for the end-to-end tests and the bench: plain form posts, the session
// cookie kept, See Other redirects followed and each page's form token
// sent back with its form.
package webform

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// NoRedirects is an HTTP client that hands redirects back to its caller.
var NoRedirects = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Client is one person's visit: the page they are on and what it said. A
// copy is another tab on the same page, with the same session.
type Client struct {
	// Base is the pages' address (http://127.0.0.1:3000); HTTP must not
	// follow redirects (NoRedirects).
	Base string
	HTTP *http.Client

	Cookie, CSRF string
	// Path, Status and Body are the page last shown.
	Path   string
	Status int
	Body   string
}

// New starts a visit to the pages at base.
func New(base string) *Client { return &Client{Base: base, HTTP: NoRedirects} }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// Do requests path (a POST sends form), following up to four redirects.
func (c *Client) Do(method, path string, form url.Values) error {
	for range 5 {
		req, err := http.NewRequest(method, c.Base+path, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		if c.Cookie != "" {
			req.Header.Set("Cookie", c.Cookie)
		}
		resp, err := c.HTTP.Do(req)
		if err != nil {
			return err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		for _, ck := range resp.Cookies() {
			c.Cookie = ck.Name + "=" + ck.Value
		}
		if resp.StatusCode == http.StatusSeeOther {
			method, path, form = http.MethodGet, resp.Header.Get("Location"), nil
			continue
		}
		c.Path, c.Status, c.Body = path, resp.StatusCode, string(b)
		if m := csrfField.FindStringSubmatch(c.Body); m != nil {
			c.CSRF = m[1]
		}
		return nil
	}
	return fmt.Errorf("%s %s: too many redirects", method, path)
}

// Post sends the current page's form with the answers.
func (c *Client) Post(answers url.Values) error {
	answers.Set("csrf", c.CSRF)
	return c.Do(http.MethodPost, c.Path, answers)
}

// Want is an error unless the page shown is under path with status.
func (c *Client) Want(path string, status int) error {
	if !strings.HasPrefix(c.Path, path) || c.Status != status {
		return fmt.Errorf("on %s (%d), want %s (%d)\n%s", c.Path, c.Status, path, status, c.Body)
	}
	return nil
}

// FillReferral answers every page of a referral up to check answers, with
// marker in the account of the concerns: what is left is to press "Send
// referral" (Post with no answers).
func (c *Client) FillReferral(marker string) error {
	steps := []struct {
		want    string
		answers url.Values
	}{
		{"/refer/immediate-risk", url.Values{"immediateRisk": {"no"}}},
		{"", url.Values{"name": {"Pat Nurse"}, "role": {"School nurse"}, "organisation": {"Hill Health Centre"}, "agencyType": {"health"},
			"email": {"pat.nurse@health.example"}, "phone": {"0161 496 0001"}}},
		{"/refer/consent", url.Values{"familyAware": {"no"}, "noConsentReason": {"Telling the family would put the child at risk."}}},
		{"/refer/children", url.Values{"add": {"yes"}}},
		{"", url.Values{"firstName": {"Lee"}, "lastName": {"Jones"}, "born": {"unknown"}, "estimatedAge": {"12"}, "sex": {"female"},
			"addressLine1": {"2 Low Road"}, "addressPostcode": {"M2 2BB"}}},
		{"/refer/children", url.Values{"add": {"no"}}},
		{"/refer/household", url.Values{"add": {"no"}}},
		{"", url.Values{"add": {"no"}}},
		{"/refer/concerns", url.Values{"categories": {"self-harm"}, "account": {"Lee has cuts on her arms. " + marker}, "levelOfNeed": {"3"}}},
	}
	if err := c.Do(http.MethodPost, "/refer/start", url.Values{}); err != nil {
		return err
	}
	for _, s := range steps {
		if s.want != "" {
			if err := c.Want(s.want, http.StatusOK); err != nil {
				return err
			}
		}
		if err := c.Post(s.answers); err != nil {
			return err
		}
	}
	return c.Want("/refer/check-answers", http.StatusOK)
}
