package assets

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// sample is a small copy of the static files, in the layout of the real one.
func sample() fstest.MapFS {
	fs := fstest.MapFS{
		"govuk/VERSION": {Data: []byte(GOVUKVersion + "\n")},
		"govuk/govuk-frontend.min.css": {Data: []byte(`@font-face{src:url(/assets/fonts/bold-1-v2.woff2)}.c{background:url(/assets/images/govuk-crest.svg)}
/*# sourceMappingURL=govuk-frontend.min.css.map */`)},
		"govuk/govuk-frontend.min.js":  {Data: []byte("export function initAll(){}\n//# sourceMappingURL=govuk-frontend.min.js.map\n")},
		"govuk/fonts/bold-1-v2.woff2":  {Data: []byte("wOF2\x00\x01font")},
		"govuk/images/govuk-crest.svg": {Data: []byte("<svg/>")},
		"frontdoor.css":                {Data: []byte(".app{}")},
		"frontdoor.mjs":                {Data: []byte(`import { initAll } from "./govuk/govuk-frontend.min.js";` + "\ninitAll();\n")},
		"govuk/.installed":             {Data: nil},
	}
	for _, r := range required {
		if _, ok := fs[r]; !ok {
			fs[r] = &fstest.MapFile{Data: []byte("x " + r)}
		}
	}
	return fs
}

func get(t *testing.T, s *Set, method, url string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(method, url, nil))
	return w
}

func mustURL(t *testing.T, s *Set, name string) string {
	t.Helper()
	u, err := s.URL(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The references between files are rewritten to hashed URLs, each file is
// served under its own with a year's immutable lifetime, and source maps
// are dropped.
func TestLoadRewritesAndHashes(t *testing.T) {
	s, err := load(sample())
	if err != nil {
		t.Fatal(err)
	}
	css := get(t, s, http.MethodGet, mustURL(t, s, "govuk/govuk-frontend.min.css"))
	font, crest := mustURL(t, s, "govuk/fonts/bold-1-v2.woff2"), mustURL(t, s, "govuk/images/govuk-crest.svg")
	body := css.Body.String()
	if !strings.Contains(body, "url("+font+")") || !strings.Contains(body, "url("+crest+")") || strings.Contains(body, "url(/assets/fonts/") {
		t.Errorf("stylesheet not rewritten to %s and %s: %s", font, crest, body)
	}
	if strings.Contains(body, "sourceMappingURL") {
		t.Errorf("source map comment kept: %s", body)
	}
	if got := css.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", got)
	}
	if got := css.Header().Get("Content-Type"); got != "text/css; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	mjs := get(t, s, http.MethodGet, mustURL(t, s, "frontdoor.mjs")).Body.String()
	if js := mustURL(t, s, "govuk/govuk-frontend.min.js"); !strings.Contains(mjs, `from "`+js+`"`) {
		t.Errorf("module does not import %s: %s", js, mjs)
	}
	if !strings.HasPrefix(font, "/assets/govuk/fonts/bold-1-v2.") || !strings.HasSuffix(font, ".woff2") || len(font) != len("/assets/govuk/fonts/bold-1-v2.")+12+len(".woff2") {
		t.Errorf("font URL %q, want the name with 12 hex digits of its hash", font)
	}
	w := get(t, s, http.MethodGet, font)
	if w.Body.String() != "wOF2\x00\x01font" || w.Header().Get("Content-Type") != "font/woff2" {
		t.Errorf("font served as %q %q", w.Header().Get("Content-Type"), w.Body.String())
	}
	if h := get(t, s, http.MethodHead, font); h.Body.Len() != 0 || h.Header().Get("Content-Length") != "10" {
		t.Errorf("HEAD: body %q, length %q", h.Body.String(), h.Header().Get("Content-Length"))
	}
}

// A change to a font changes the URL of the stylesheet that uses it, so a
// browser never pairs a cached stylesheet with a new font.
func TestHashCoversWhatAFileRefersTo(t *testing.T) {
	a, err := load(sample())
	if err != nil {
		t.Fatal(err)
	}
	changed := sample()
	changed["govuk/fonts/bold-1-v2.woff2"] = &fstest.MapFile{Data: []byte("wOF2 another")}
	b, err := load(changed)
	if err != nil {
		t.Fatal(err)
	}
	if mustURL(t, a, "govuk/govuk-frontend.min.css") == mustURL(t, b, "govuk/govuk-frontend.min.css") {
		t.Error("the stylesheet's URL did not change with its font")
	}
	if mustURL(t, a, "frontdoor.css") != mustURL(t, b, "frontdoor.css") {
		t.Error("an unchanged file's URL changed")
	}
}

func TestNotFound(t *testing.T) {
	s, err := load(sample())
	if err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{"/assets/frontdoor.css", "/assets/govuk/govuk-frontend.min.css", "/assets/govuk/VERSION", "/assets/govuk/.installed", "/assets/../assets.go"} {
		if w := get(t, s, http.MethodGet, url); w.Code != http.StatusNotFound || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %q, want 404 no-store", url, w.Code, w.Header().Get("Cache-Control"))
		}
	}
	if _, err := s.URL("nope.css"); err == nil {
		t.Error("URL of an unknown file")
	}
}

func TestLoadRefusesAnIncompleteBuild(t *testing.T) {
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		want   string
	}{
		{"no GOV.UK Frontend", func(fs fstest.MapFS) { delete(fs, "govuk/VERSION") }, "make web-assets"},
		{"another release", func(fs fstest.MapFS) { fs["govuk/VERSION"] = &fstest.MapFile{Data: []byte("5.9.0")} }, "5.9.0"},
		{"no stylesheet", func(fs fstest.MapFS) { delete(fs, "govuk/govuk-frontend.min.css") }, "govuk-frontend.min.css is missing from the sources"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := sample()
			tt.change(fs)
			if _, err := load(fs); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

// What Build writes, Load serves: the same URLs, each with the body and
// headers of the Set Build made, without holding the files in memory.
func TestBuildThenLoad(t *testing.T) {
	src := sample()
	want, err := load(src)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := Build(src, out); err != nil {
		t.Fatal(err)
	}
	got, err := loadBuilt(os.DirFS(out))
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got.urls, want.urls) {
		t.Fatalf("built URLs %v, want %v", got.urls, want.urls)
	}
	for name, url := range want.urls {
		if f := got.files[url]; f.body != nil {
			t.Errorf("%s is held in memory after loading", name)
		}
		a, b := get(t, want, http.MethodGet, url), get(t, got, http.MethodGet, url)
		if a.Code != http.StatusOK || b.Code != a.Code || b.Body.String() != a.Body.String() ||
			b.Header().Get("Content-Type") != a.Header().Get("Content-Type") || b.Header().Get("Content-Length") != a.Header().Get("Content-Length") {
			t.Errorf("%s: built %d %v %q, want %d %v %q", url, b.Code, b.Header(), b.Body, a.Code, a.Header(), a.Body)
		}
	}
	if w := get(t, got, http.MethodGet, Prefix+"frontdoor.css"); w.Code != http.StatusNotFound {
		t.Errorf("an unhashed path: %d", w.Code)
	}
}

func TestLoadRefusesWhatWasNotBuilt(t *testing.T) {
	out := t.TempDir()
	if err := Build(sample(), out); err != nil {
		t.Fatal(err)
	}
	built := func() fstest.MapFS {
		m := fstest.MapFS{}
		b, err := os.ReadFile(filepath.Join(out, manifestName))
		if err != nil {
			t.Fatal(err)
		}
		m[manifestName] = &fstest.MapFile{Data: b}
		return m
	}
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		want   string
	}{
		{"not built", func(fs fstest.MapFS) { delete(fs, manifestName) }, "make web-assets"},
		{"not a manifest", func(fs fstest.MapFS) { fs[manifestName] = &fstest.MapFile{Data: []byte("{")} }, "make web-assets"},
		{"another release", func(fs fstest.MapFS) {
			fs[manifestName] = &fstest.MapFile{Data: []byte(`{"govukFrontend": "5.9.0", "urls": {}}`)}
		}, "5.9.0"},
		{"no stylesheet", func(fs fstest.MapFS) {
			fs[manifestName] = &fstest.MapFile{Data: []byte(`{"govukFrontend": "` + GOVUKVersion + `", "urls": {"frontdoor.css": "/assets/frontdoor.1.css"}}`)}
		}, "govuk-frontend.min.css is missing from the build"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := built()
			tt.change(fs)
			if _, err := loadBuilt(fs); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
	// In the manifest but not among the files: a server error, not a
	// page that is not there, and not cached.
	s, err := loadBuilt(built())
	if err != nil {
		t.Fatal(err)
	}
	if w := get(t, s, http.MethodGet, mustURL(t, s, "frontdoor.css")); w.Code != http.StatusInternalServerError || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("a file missing from the build: %d %v", w.Code, w.Header())
	}
}

// The embedded assets are what the sources build to now (else: run
// `make web-assets`), and GOV.UK Frontend's stylesheet and the start-up
// module refer only to hashed URLs.
func TestEmbedded(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := load(os.DirFS("src"))
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(s.urls, fresh.urls) {
		t.Fatalf("the embedded assets are not those the sources build to: run `make web-assets`\nembedded %v\nsources  %v", s.urls, fresh.urls)
	}
	for name, url := range fresh.urls {
		if got := get(t, s, http.MethodGet, url).Body.String(); got != string(fresh.files[url].body) {
			t.Errorf("the embedded %s is not what its source builds to: run `make web-assets`", name)
		}
	}
	css := get(t, s, http.MethodGet, mustURL(t, s, "govuk/govuk-frontend.min.css")).Body.String()
	if strings.Contains(css, "url(/assets/fonts/") || strings.Contains(css, "url(/assets/images/") || !strings.Contains(css, "url(/assets/govuk/fonts/") {
		t.Error("GOV.UK Frontend's stylesheet still refers to unhashed fonts or images")
	}
	mjs := get(t, s, http.MethodGet, mustURL(t, s, "frontdoor.mjs")).Body.String()
	if strings.Contains(mjs, "./govuk/") {
		t.Errorf("the start-up module imports an unhashed path: %s", mjs)
	}
}

func TestStripSourceMaps(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a{}\n/*# sourceMappingURL=x.css.map */", "a{}\n"},
		{"//# sourceMappingURL=x.js.map", ""},
		{"f()\n//# sourceMappingURL=x.js.map\n", "f()\n\n"},
		{`s = "//# sourceMappingURL=in a string"`, `s = "//# sourceMappingURL=in a string"`},
		{"nothing to strip", "nothing to strip"},
	}
	for _, tt := range tests {
		if got := string(stripSourceMaps([]byte(tt.in))); got != tt.want {
			t.Errorf("stripSourceMaps(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
