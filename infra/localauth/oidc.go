package localauth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

// WebClientID is the client id of the staff web pages: the one client the
// local issuer signs people in for. It is a public client, without a
// secret, which proves at the token endpoint that it started the sign-in by
// PKCE (RFC 7636, method S256).
const WebClientID = "frontdoor-web"

// DefaultTokenTTL is how long the tokens the token endpoint issues are valid
// when the authority's TokenTTL is zero.
const DefaultTokenTTL = time.Hour

// CodeTTL is how long an authorization code can be exchanged for tokens
// after it is issued.
const CodeTTL = 60 * time.Second

// DefaultUser is the user id the sign-in page offers first.
const DefaultUser = "local-staff"

const (
	authorizePath = "/authorize"
	tokenPath     = "/token"

	// maxPendingCodes bounds the codes kept in memory at once.
	maxPendingCodes = 1000
	// maxParam bounds state, nonce and redirect_uri.
	maxParam = 2048
	// maxForm bounds the body of a POST.
	maxForm = 64 << 10
	// maxUserID bounds a user id chosen on the sign-in page.
	maxUserID = 64
)

// pageCSP is the sign-in page's Content-Security-Policy: the page loads
// nothing, runs nothing and cannot be framed; its form posts to this origin.
const pageCSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'"

// suggestedUsers are offered on the sign-in page beside a free user id.
var suggestedUsers = []string{DefaultUser, "screener-1", "mash-manager-1", "police-officer-1", "helpline-adviser-1", "rhi-worker-1", "aa-worker-1"}

// roleDescriptions say on the sign-in page who holds each role.
var roleDescriptions = map[auth.Role]string{
	auth.Police:      "a police custody officer (appropriate adults, s38(6) accommodation)",
	auth.Helpline:    "a parenting helpline adviser",
	auth.MASH:        "a MASH screener, who works the triage queue and decides",
	auth.MASHManager: "a MASH manager, who also reads the audit trail and the figures",
	auth.ProviderRHI: "the return home interview service",
	auth.ProviderAA:  "the appropriate adult service",
}

// authParams are the authorization request's parameters, each of which may
// be given once, in the order the sign-in page keeps them.
var authParams = []string{"response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method"}

// tokenParams are the token request's parameters, each of which may be given
// once.
var tokenParams = []string{"grant_type", "code", "redirect_uri", "client_id", "code_verifier"}

func (a *Authority) tokenTTL() time.Duration {
	if a.TokenTTL > 0 {
		return a.TokenTTL
	}
	return DefaultTokenTTL
}

// discovery is the issuer's OpenID Connect discovery document.
func (a *Authority) discovery() map[string]any {
	scopes := []string{"openid"}
	for _, r := range auth.Roles {
		scopes = append(scopes, string(r))
	}
	return map[string]any{
		"issuer":                                a.Issuer,
		"authorization_endpoint":                a.Issuer + authorizePath,
		"token_endpoint":                        a.Issuer + tokenPath,
		"jwks_uri":                              a.Issuer + "/.well-known/jwks.json",
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query"},
		"grant_types_supported":                 []string{"authorization_code"},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      scopes,
		"token_endpoint_auth_methods_supported": []string{"none"},
		"claims_supported":                      []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "scope", "client_id"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"subject_types_supported":               []string{"public"},
	}
}

// authCode is what an authorization code stands for until it is exchanged.
type authCode struct {
	clientID, redirectURI, challenge, nonce, subject string
	roles                                            []string
	authTime, expires                                time.Time
}

// codeStore holds the authorization codes not yet exchanged.
type codeStore struct {
	mu    sync.Mutex
	codes map[string]authCode
}

func newCodeStore() *codeStore { return &codeStore{codes: map[string]authCode{}} }

var errTooManyCodes = errors.New("too many sign-ins are waiting for their code to be exchanged")

// put keeps c under a new random code and returns the code. Codes expired at
// now are dropped first.
func (s *codeStore) put(c authCode, now time.Time) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("localauth: authorization code: %w", err)
	}
	code := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.codes {
		if !now.Before(v.expires) {
			delete(s.codes, k)
		}
	}
	if len(s.codes) >= maxPendingCodes {
		return "", errTooManyCodes
	}
	s.codes[code] = c
	return code, nil
}

// take removes code and returns what it stood for: a code works once.
func (s *codeStore) take(code string) (authCode, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[code]
	delete(s.codes, code)
	return c, ok
}

// pending is the number of codes not yet exchanged.
func (s *codeStore) pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.codes)
}

// oauthError is an OAuth 2.0 error response (RFC 6749 sections 4.1.2.1 and
// 5.2).
type oauthError struct {
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

func oauthErrorf(code, format string, args ...any) *oauthError {
	return &oauthError{Code: code, Description: fmt.Sprintf(format, args...)}
}

// authRequest is an authorization request whose client and redirect URI are
// known good.
type authRequest struct {
	responseType, clientID, redirectURI, scope, state, nonce, challenge, challengeMethod string
	redirect                                                                             *url.URL
	// roles are the roles the scope asks for.
	roles []auth.Role
}

// parseAuthRequest checks an authorization request's parameters. It returns
// a refusal to show on a page, without going back to the client, when the
// client or the redirect URI is wrong; otherwise an error to send to the
// redirect URI, or nil when the request is good.
func (a *Authority) parseAuthRequest(v url.Values) (authRequest, string, *oauthError) {
	var req authRequest
	if len(v["client_id"]) != 1 || v.Get("client_id") != WebClientID {
		return req, fmt.Sprintf("The client_id must be given once and be %q, the staff web pages: this issuer knows no other client.", WebClientID), nil
	}
	if len(v["redirect_uri"]) != 1 {
		return req, "The redirect_uri must be given once.", nil
	}
	u, refusal := a.checkRedirectURI(v.Get("redirect_uri"))
	if refusal != "" {
		return req, refusal, nil
	}
	req = authRequest{
		responseType:    v.Get("response_type"),
		clientID:        WebClientID,
		redirectURI:     v.Get("redirect_uri"),
		scope:           v.Get("scope"),
		state:           v.Get("state"),
		nonce:           v.Get("nonce"),
		challenge:       v.Get("code_challenge"),
		challengeMethod: v.Get("code_challenge_method"),
		redirect:        u,
	}
	for _, name := range authParams {
		if len(v[name]) > 1 {
			return req, "", oauthErrorf("invalid_request", "The parameter %s is given more than once.", name)
		}
	}
	switch {
	case req.responseType == "":
		return req, "", oauthErrorf("invalid_request", "The response_type is required: send response_type=code.")
	case req.responseType != "code":
		return req, "", oauthErrorf("unsupported_response_type", "This issuer supports only the authorization code flow: send response_type=code.")
	}
	roles, oerr := scopeRoles(req.scope)
	if oerr != nil {
		return req, "", oerr
	}
	req.roles = roles
	switch {
	case req.state == "":
		return req, "", oauthErrorf("invalid_request", "The state is required: send a fresh random state with each sign-in and check it on return.")
	case len(req.state) > maxParam:
		return req, "", oauthErrorf("invalid_request", "The state is longer than %d characters.", maxParam)
	case req.nonce == "":
		return req, "", oauthErrorf("invalid_request", "The nonce is required: send a fresh random nonce with each sign-in and check it in the ID token.")
	case len(req.nonce) > maxParam:
		return req, "", oauthErrorf("invalid_request", "The nonce is longer than %d characters.", maxParam)
	case req.challengeMethod == "":
		return req, "", oauthErrorf("invalid_request", "PKCE is required: send code_challenge_method=S256 and a code_challenge.")
	case req.challengeMethod != "S256":
		return req, "", oauthErrorf("invalid_request", "The code_challenge_method %q is not supported: send S256.", req.challengeMethod)
	case req.challenge == "":
		return req, "", oauthErrorf("invalid_request", "The code_challenge is required: send BASE64URL(SHA256(code_verifier)).")
	case !validPKCE(req.challenge):
		return req, "", oauthErrorf("invalid_request", "The code_challenge must be 43 to 128 characters of letters, digits, '-', '.', '_' and '~'.")
	}
	if slices.Contains(strings.Fields(v.Get("prompt")), "none") {
		return req, "", oauthErrorf("login_required", "Signing in here always asks the user: do not send prompt=none.")
	}
	return req, "", nil
}

// scopeRoles reads an authorization request's scope: "openid" and any of the
// roles, nothing else.
func scopeRoles(scope string) ([]auth.Role, *oauthError) {
	fields, err := auth.ParseScope(scope)
	if err != nil {
		return nil, oauthErrorf("invalid_scope", "The scope must be scope values separated by spaces.")
	}
	if !slices.Contains(fields, "openid") {
		return nil, oauthErrorf("invalid_scope", "The scope must include openid.")
	}
	var roles []auth.Role
	for _, f := range fields {
		r := auth.Role(f)
		switch {
		case f == "openid":
		case r.Valid():
			if !slices.Contains(roles, r) {
				roles = append(roles, r)
			}
		default:
			return nil, oauthErrorf("invalid_scope", "The scope %q is not supported: ask for openid and any of the roles.", f)
		}
	}
	return roles, nil
}

// checkRedirectURI accepts an absolute URL on the issuer's own scheme, host
// and port: the local API, where the staff web pages are served. Otherwise it
// returns why not, to show on the refusal page.
func (a *Authority) checkRedirectURI(raw string) (*url.URL, string) {
	iss, err := url.Parse(a.Issuer)
	if err != nil || iss.Host == "" {
		return nil, "This issuer's URL cannot be read, so it accepts no redirect_uri."
	}
	if raw == "" {
		return nil, "The redirect_uri is required."
	}
	if len(raw) > maxParam {
		return nil, fmt.Sprintf("The redirect_uri is longer than %d characters.", maxParam)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" || u.Host == "" {
		return nil, "The redirect_uri must be an absolute URL."
	}
	if u.User != nil || strings.Contains(raw, "#") {
		return nil, "The redirect_uri must have no user name, password or fragment."
	}
	if !strings.EqualFold(u.Scheme, iss.Scheme) || !strings.EqualFold(u.Host, iss.Host) {
		return nil, fmt.Sprintf("The redirect_uri must be on the local API, %s://%s, as this issuer is.", iss.Scheme, iss.Host)
	}
	return u, ""
}

// validPKCE reports whether s is a PKCE code verifier or S256 challenge by
// its form: 43 to 128 unreserved characters (RFC 7636 section 4.1).
func validPKCE(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

// validUserID reports whether s is 1 to 64 visible ASCII characters.
func validUserID(s string) bool {
	if len(s) == 0 || len(s) > maxUserID {
		return false
	}
	for _, c := range []byte(s) {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// redirectTo sends the browser back to the client with params added to the
// redirect URI's query.
func redirectTo(w http.ResponseWriter, r *http.Request, u *url.URL, params url.Values, status int) {
	back := *u
	q := back.Query()
	for k, vs := range params {
		q[k] = vs
	}
	back.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, back.String(), status)
}

// redirectError sends an authorization error back to the client.
func redirectError(w http.ResponseWriter, r *http.Request, req authRequest, e *oauthError, status int) {
	params := url.Values{"error": {e.Code}, "error_description": {e.Description}}
	if req.state != "" {
		params.Set("state", req.state)
	}
	redirectTo(w, r, req.redirect, params, status)
}

func (a *Authority) authorizeGet(w http.ResponseWriter, r *http.Request) {
	req, refusal, oerr := a.parseAuthRequest(r.URL.Query())
	if refusal != "" {
		renderRefusal(w, refusal)
		return
	}
	if oerr != nil {
		redirectError(w, r, req, oerr, http.StatusFound)
		return
	}
	renderSignIn(w, http.StatusOK, a.signInView(req, DefaultUser, req.roles))
}

func (a *Authority) authorizePost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		renderRefusal(w, "The sign-in form could not be read.")
		return
	}
	v := r.PostForm
	req, refusal, oerr := a.parseAuthRequest(v)
	if refusal != "" {
		renderRefusal(w, refusal)
		return
	}
	if oerr != nil {
		redirectError(w, r, req, oerr, http.StatusSeeOther)
		return
	}
	if len(v["action"]) > 1 || len(v["user"]) > 1 {
		redirectError(w, r, req, oauthErrorf("invalid_request", "The sign-in form was sent with a field given more than once."), http.StatusSeeOther)
		return
	}
	if v.Get("action") == "cancel" {
		redirectError(w, r, req, oauthErrorf("access_denied", "The user cancelled the sign-in."), http.StatusSeeOther)
		return
	}
	user := v.Get("user")
	var roles []auth.Role
	unknown := false
	for _, s := range v["role"] {
		if role := auth.Role(s); role.Valid() {
			if !slices.Contains(roles, role) {
				roles = append(roles, role)
			}
		} else {
			unknown = true
		}
	}
	view := a.signInView(req, user, roles)
	if !validUserID(user) {
		view.UserError = fmt.Sprintf("Enter a user id of 1 to %d characters: letters, digits and punctuation, without spaces.", maxUserID)
	}
	switch {
	case unknown:
		view.RolesError = "Choose only roles from the list."
	case len(roles) == 0:
		view.RolesError = "Choose at least one role."
	}
	if view.UserError != "" || view.RolesError != "" {
		renderSignIn(w, http.StatusBadRequest, view)
		return
	}
	// The roles go into tokens in the order auth.Roles lists them.
	var granted []string
	for _, role := range auth.Roles {
		if slices.Contains(roles, role) {
			granted = append(granted, string(role))
		}
	}
	now := a.now()
	code, err := a.codes.put(authCode{
		clientID:    req.clientID,
		redirectURI: req.redirectURI,
		challenge:   req.challenge,
		nonce:       req.nonce,
		subject:     user,
		roles:       granted,
		authTime:    now,
		expires:     now.Add(CodeTTL),
	}, now)
	if err != nil {
		redirectError(w, r, req, oauthErrorf("temporarily_unavailable", "The sign-in could not be completed: %v.", err), http.StatusSeeOther)
		return
	}
	redirectTo(w, r, req.redirect, url.Values{"code": {code}, "state": {req.state}}, http.StatusSeeOther)
}

// tokenResponse is a successful token response (RFC 6749 section 5.1, and
// OpenID Connect Core section 3.1.3.3).
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

func (a *Authority) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_request", "The request body could not be read as a form."))
		return
	}
	// The client is public: it authenticates with PKCE alone. A request that
	// tries another way is refused before its code is looked at, so that a
	// client trying ways in turn (as golang.org/x/oauth2 does) can still use
	// the code in its next try.
	if r.Header.Get("Authorization") != "" {
		w.Header().Set("WWW-Authenticate", `Basic realm="local-issuer"`)
		writeTokenError(w, http.StatusUnauthorized, oauthErrorf("invalid_client",
			"The client %s has no secret (token_endpoint_auth_method none): send client_id in the form, with no Authorization header.", WebClientID))
		return
	}
	v := r.PostForm
	for _, name := range tokenParams {
		if len(v[name]) > 1 {
			writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_request", "The parameter %s is given more than once.", name))
			return
		}
	}
	switch gt := v.Get("grant_type"); {
	case gt == "":
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_request", "The grant_type is required: send a form-encoded body with grant_type=authorization_code."))
		return
	case gt != "authorization_code":
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("unsupported_grant_type", "This issuer supports only grant_type=authorization_code."))
		return
	}
	if v.Get("code") == "" {
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_request", "The code is required."))
		return
	}
	// From here on the code is used up, whatever follows.
	c, found := a.codes.take(v.Get("code"))
	if v.Get("client_id") != WebClientID {
		writeTokenError(w, http.StatusUnauthorized, oauthErrorf("invalid_client", "The client_id must be %q.", WebClientID))
		return
	}
	now := a.now()
	switch {
	case !found:
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_grant", "The code is not one this issuer gave, or it has been used already."))
		return
	case !now.Before(c.expires):
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_grant", "The code has expired: it must be exchanged within %s.", CodeTTL))
		return
	case c.clientID != v.Get("client_id"):
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_grant", "The code was given to another client."))
		return
	case v.Get("redirect_uri") == "":
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_request", "The redirect_uri is required: send the one the authorization request had."))
		return
	case v.Get("redirect_uri") != c.redirectURI:
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_grant", "The redirect_uri is not the one the authorization request had."))
		return
	case v.Get("code_verifier") == "":
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_request", "The code_verifier is required."))
		return
	case !validPKCE(v.Get("code_verifier")):
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_request", "The code_verifier must be 43 to 128 characters of letters, digits, '-', '.', '_' and '~'."))
		return
	}
	sum := sha256.Sum256([]byte(v.Get("code_verifier")))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.challenge)) != 1 {
		writeTokenError(w, http.StatusBadRequest, oauthErrorf("invalid_grant", "The code_verifier does not match the code_challenge."))
		return
	}
	resp, err := a.issueTokens(c, now)
	if err != nil {
		writeTokenError(w, http.StatusInternalServerError, oauthErrorf("server_error", "The tokens could not be signed."))
		return
	}
	writeNoStore(w)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// issueTokens signs the access token and ID token for an exchanged code.
func (a *Authority) issueTokens(c authCode, now time.Time) (tokenResponse, error) {
	ttl := a.tokenTTL()
	access, err := a.Sign(Claims{
		Subject: c.subject, Roles: c.roles, IssuedAt: now, Expires: now.Add(ttl),
		Extra: map[string]any{"client_id": c.clientID},
	})
	if err != nil {
		return tokenResponse{}, fmt.Errorf("localauth: access token: %w", err)
	}
	atHash := sha256.Sum256([]byte(access))
	id, err := a.Sign(Claims{
		Subject: c.subject, Roles: c.roles, Audience: c.clientID, IssuedAt: now, Expires: now.Add(ttl),
		Extra: map[string]any{
			"nonce":     c.nonce,
			"auth_time": c.authTime.Unix(),
			"at_hash":   base64.RawURLEncoding.EncodeToString(atHash[:len(atHash)/2]),
		},
	})
	if err != nil {
		return tokenResponse{}, fmt.Errorf("localauth: ID token: %w", err)
	}
	return tokenResponse{
		AccessToken: access,
		IDToken:     id,
		TokenType:   "Bearer",
		ExpiresIn:   int64(ttl / time.Second),
		Scope:       strings.Join(c.roles, " "),
	}, nil
}

func writeNoStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

func writeTokenError(w http.ResponseWriter, status int, e *oauthError) {
	writeNoStore(w)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e)
}

// The pages.

type hiddenField struct{ Name, Value string }

type roleChoice struct {
	ID, Name, Description string
	Checked               bool
}

type signInView struct {
	Action      string
	RedirectURI string
	Hidden      []hiddenField
	User        string
	Suggested   []string
	Roles       []roleChoice
	UserError   string
	RolesError  string
}

func (a *Authority) signInView(req authRequest, user string, checked []auth.Role) signInView {
	view := signInView{
		Action:      a.Issuer + authorizePath,
		RedirectURI: req.redirectURI,
		User:        user,
		Suggested:   suggestedUsers,
	}
	if u, err := url.Parse(view.Action); err == nil {
		view.Action = u.Path
	}
	values := map[string]string{
		"response_type": req.responseType, "client_id": req.clientID, "redirect_uri": req.redirectURI,
		"scope": req.scope, "state": req.state, "nonce": req.nonce,
		"code_challenge": req.challenge, "code_challenge_method": req.challengeMethod,
	}
	for _, name := range authParams {
		view.Hidden = append(view.Hidden, hiddenField{name, values[name]})
	}
	for _, r := range auth.Roles {
		view.Roles = append(view.Roles, roleChoice{
			ID: "role-" + string(r), Name: string(r), Description: roleDescriptions[r],
			Checked: slices.Contains(checked, r),
		})
	}
	return view
}

func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

func renderSignIn(w http.ResponseWriter, status int, view signInView) {
	setPageHeaders(w)
	w.WriteHeader(status)
	_ = signInPage.Execute(w, view)
}

func renderRefusal(w http.ResponseWriter, reason string) {
	setPageHeaders(w)
	w.WriteHeader(http.StatusBadRequest)
	_ = refusalPage.Execute(w, reason)
}

var signInPage = template.Must(template.New("sign-in").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if or .UserError .RolesError}}Error: {{end}}Sign in (local development) - Front door</title>
</head>
<body>
<main>
<h1>Sign in (local development)</h1>
<p><strong>This is the local development sign-in.</strong> It lets you sign in as any user with any roles, on this machine only. In AWS the real identity provider replaces it.</p>
<p>You are signing in to the staff web pages, and will return to {{.RedirectURI}}.</p>
{{if or .UserError .RolesError}}<div role="alert">
<h2>There is a problem</h2>
<ul>
{{if .UserError}}<li><a href="#user">{{.UserError}}</a></li>
{{end}}{{if .RolesError}}<li><a href="#{{(index .Roles 0).ID}}">{{.RolesError}}</a></li>
{{end}}</ul>
</div>
{{end}}<form method="post" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<p>
<label for="user">User id</label><br>
<span id="user-hint">The token's subject: 1 to 64 letters, digits and punctuation, without spaces. Suggestions: {{range $i, $u := .Suggested}}{{if $i}}, {{end}}{{$u}}{{end}}.</span><br>
{{if .UserError}}<span id="user-error"><strong>Error:</strong> {{.UserError}}</span><br>
{{end}}<input type="text" id="user" name="user" value="{{.User}}" required maxlength="64" autocomplete="off" autocapitalize="none" spellcheck="false" list="suggested-users" aria-describedby="user-hint{{if .UserError}} user-error{{end}}"{{if .UserError}} aria-invalid="true"{{end}}>
<datalist id="suggested-users">
{{range .Suggested}}<option value="{{.}}"></option>
{{end}}</datalist>
</p>
<fieldset aria-describedby="roles-hint{{if .RolesError}} roles-error{{end}}">
<legend>Roles</legend>
<p id="roles-hint">Choose at least one. The roles become the tokens' scopes.</p>
{{if .RolesError}}<p id="roles-error"><strong>Error:</strong> {{.RolesError}}</p>
{{end}}{{range .Roles}}<div>
<input type="checkbox" id="{{.ID}}" name="role" value="{{.Name}}"{{if .Checked}} checked{{end}}>
<label for="{{.ID}}">{{.Name}}{{if .Description}}: {{.Description}}{{end}}</label>
</div>
{{end}}</fieldset>
<p>
<button type="submit" name="action" value="sign-in">Sign in</button>
<button type="submit" name="action" value="cancel">Cancel</button>
</p>
</form>
</main>
</body>
</html>
`))

var refusalPage = template.Must(template.New("refused").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in refused (local development) - Front door</title>
</head>
<body>
<main>
<h1>This sign-in request cannot be used</h1>
<p>{{.}}</p>
<p>This is the local development sign-in, which the real identity provider replaces in AWS. It sends you back only to the staff web pages on the local API, so it cannot send you back from this request.</p>
</main>
</body>
</html>
`))
