// Package assets serves the web pages' static files: GOV.UK Frontend's
// precompiled CSS, JavaScript, fonts and images (from its npm package) and
// the front door's own small stylesheet and start-up module. Each file is
// served under a URL that holds a hash of its content, with a year's
// immutable cache lifetime, so that a new release is fetched at once and an
// unchanged file never again.
//
// The stylesheets and modules refer to the fonts, images and other modules
// by their plain paths; those references are rewritten to the hashed URLs,
// so a hash covers what a file pulls in too. That work is done when the
// functions are built, not when one starts: `make web-assets` copies GOV.UK
// Frontend's files beside the front door's own in src/ and runs [Build]
// (infra/cmd/webassets), which writes each file under its hashed name to
// static/ with a manifest of the names; the pages embed static/, and
// [Load] reads the manifest only.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

//go:embed all:static
var embedded embed.FS

// Prefix is the URL path under which every asset is served.
const Prefix = "/assets/"

// GOVUKVersion is the GOV.UK Frontend release the pages are built for;
// Build and Load refuse a copy of another.
const GOVUKVersion = "6.6.0"

// required are the files without which the pages cannot be shown as
// designed; Build and Load fail when one is missing.
var required = []string{
	"govuk/govuk-frontend.min.css",
	"govuk/govuk-frontend.min.js",
	"govuk/images/favicon.ico",
	"govuk/images/favicon.svg",
	"govuk/images/govuk-icon-mask.svg",
	"govuk/images/govuk-icon-180.png",
	"frontdoor.css",
	"frontdoor.mjs",
}

// manifestName is the built manifest's name in static/.
const manifestName = "manifest.json"

// manifest is what Build writes beside the hashed files.
type manifest struct {
	// GOVUKFrontend is the release of GOV.UK Frontend built.
	GOVUKFrontend string `json:"govukFrontend"`
	// URLs are the hashed URLs, by the file's plain path under src/.
	URLs map[string]string `json:"urls"`
}

// file is one asset as served: its body when the Set holds it (as Build's
// does), or else read from the Set's files when asked for.
type file struct {
	body        []byte
	contentType string
}

// Set is the assets: their hashed URLs and contents.
type Set struct {
	urls  map[string]string // plain path (under src/) → hashed URL
	files map[string]file   // hashed URL → file
	built fs.FS             // the built files, named by their hashed URLs less Prefix
}

// Load reads the manifest of the embedded, built assets. It fails when they
// were not built (run `make web-assets`), are of another release of
// GOV.UK Frontend, or lack a file the pages need.
func Load() (*Set, error) {
	root, err := fs.Sub(embedded, "static")
	if err != nil {
		return nil, err
	}
	return loadBuilt(root)
}

// loadBuilt reads the manifest of the built files in root.
func loadBuilt(root fs.FS) (*Set, error) {
	b, err := fs.ReadFile(root, manifestName)
	if err != nil {
		return nil, fmt.Errorf("assets: the assets are not in the build (run `make web-assets`): %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("assets: %s (run `make web-assets`): %w", manifestName, err)
	}
	if m.GOVUKFrontend != GOVUKVersion {
		return nil, fmt.Errorf("assets: the build has GOV.UK Frontend %s, the pages are made for %s (run `make web-assets`)", m.GOVUKFrontend, GOVUKVersion)
	}
	for _, r := range required {
		if _, ok := m.URLs[r]; !ok {
			return nil, fmt.Errorf("assets: %s is missing from the build (run `make web-assets`)", r)
		}
	}
	s := &Set{urls: m.URLs, files: map[string]file{}, built: root}
	for name, url := range m.URLs {
		s.files[url] = file{contentType: contentType(name)}
	}
	return s, nil
}

// Build reads the assets' sources in src (the front door's own files, and
// GOV.UK Frontend's under govuk/ with its VERSION), rewrites the
// references between them, drops source maps, and writes each file to out
// under its hashed name, with the manifest Load reads. It fails when
// GOV.UK Frontend's files are missing or are of another release.
func Build(src fs.FS, out string) error {
	s, err := load(src)
	if err != nil {
		return err
	}
	for url, f := range s.files {
		dst := filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(url, Prefix)))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("assets: %w", err)
		}
		if err := os.WriteFile(dst, f.body, 0o644); err != nil {
			return fmt.Errorf("assets: %w", err)
		}
	}
	b, err := json.MarshalIndent(manifest{GOVUKFrontend: GOVUKVersion, URLs: s.urls}, "", "  ")
	if err != nil {
		return fmt.Errorf("assets: %w", err)
	}
	if err := os.WriteFile(filepath.Join(out, manifestName), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("assets: %w", err)
	}
	return nil
}

// load reads the sources in root, rewrites the references between them and
// hashes each: the Set Build writes out.
func load(root fs.FS) (*Set, error) {
	version, err := fs.ReadFile(root, "govuk/VERSION")
	if err != nil {
		return nil, fmt.Errorf("assets: GOV.UK Frontend's files are not in the sources (run `make web-assets`): %w", err)
	}
	if v := strings.TrimSpace(string(version)); v != GOVUKVersion {
		return nil, fmt.Errorf("assets: the sources have GOV.UK Frontend %s, the pages are made for %s (run `make web-assets`)", v, GOVUKVersion)
	}
	var names []string
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(path.Base(p), ".") || path.Base(p) == "VERSION" {
			return nil
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	for _, r := range required {
		if !slices.Contains(names, r) {
			return nil, fmt.Errorf("assets: %s is missing from the sources (run `make web-assets`)", r)
		}
	}
	s := &Set{urls: map[string]string{}, files: map[string]file{}}
	// Files that refer to others (stylesheets, modules) are hashed after
	// every file they may refer to; they do not refer to each other, but
	// for the start-up module, which imports GOV.UK Frontend's module.
	sort.SliceStable(names, func(i, j int) bool { return rank(names[i]) < rank(names[j]) })
	for _, name := range names {
		body, err := fs.ReadFile(root, name)
		if err != nil {
			return nil, fmt.Errorf("assets: %w", err)
		}
		if rank(name) > 0 {
			body = s.rewrite(name, body)
		}
		s.add(name, body)
	}
	return s, nil
}

// rank orders the files for hashing: 0 for files that refer to none, 1 for
// GOV.UK Frontend's stylesheet and module, 2 for ours, which refer to those.
func rank(name string) int {
	switch {
	case strings.HasPrefix(name, "govuk/") && (strings.HasSuffix(name, ".css") || strings.HasSuffix(name, ".js")):
		return 1
	case strings.HasSuffix(name, ".css") || strings.HasSuffix(name, ".mjs") || strings.HasSuffix(name, ".js"):
		return 2
	}
	return 0
}

// rewrite replaces the references in the file name to other assets by
// their hashed URLs. GOV.UK Frontend's stylesheet refers to its fonts and
// images as /assets/fonts/... and /assets/images/...; a module imports
// others by a path relative to itself.
func (s *Set) rewrite(name string, body []byte) []byte {
	body = stripSourceMaps(body)
	// One pass for each form of reference, each looked up: not a pass over
	// the file for every asset there is.
	body = stylesheetRef.ReplaceAllFunc(body, func(m []byte) []byte {
		plain := "govuk/" + string(m[len("url("+Prefix):len(m)-1])
		if hashed, ok := s.urls[plain]; ok {
			return []byte("url(" + hashed + ")")
		}
		return m
	})
	return moduleRef.ReplaceAllFunc(body, func(m []byte) []byte {
		plain := path.Join(path.Dir(name), string(m[len(`"./`):len(m)-1]))
		if hashed, ok := s.urls[plain]; ok {
			return []byte(strconv.Quote(hashed))
		}
		return m
	})
}

// stylesheetRef matches GOV.UK Frontend's stylesheet's references to its
// fonts and images, url(/assets/fonts/x.woff2); moduleRef a module's
// import of another by a path relative to itself, "./x.mjs".
var (
	stylesheetRef = regexp.MustCompile(`url\(` + regexp.QuoteMeta(Prefix) + `[^)"'\s]+\)`)
	moduleRef     = regexp.MustCompile(`"\./[^"\s]+"`)
)

// stripSourceMaps removes a stylesheet's or module's source map comments
// (/*# sourceMappingURL=... */, or //# sourceMappingURL=... on a line of
// its own): source maps are not served. Each pattern starts with a literal,
// which the regexp package finds fast, so a large file is scanned quickly.
func stripSourceMaps(body []byte) []byte {
	body = cssSourceMap.ReplaceAll(body, nil)
	var out []byte
	last, cut := 0, false
	for _, m := range jsSourceMap.FindAllIndex(body, -1) {
		if m[0] > 0 && body[m[0]-1] != '\n' {
			continue
		}
		out = append(out, body[last:m[0]]...)
		last, cut = m[1], true
	}
	if !cut {
		return body
	}
	return append(out, body[last:]...)
}

var (
	cssSourceMap = regexp.MustCompile(`/\*# sourceMappingURL=[^*]*\*/`)
	jsSourceMap  = regexp.MustCompile(`//# sourceMappingURL=[^\n]*`)
)

// add hashes the file and records it under its hashed URL:
// /assets/<dir>/<name>.<first 12 hex digits of its SHA-256>.<ext>.
func (s *Set) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	if strings.HasSuffix(name, ".min.css") || strings.HasSuffix(name, ".min.js") {
		ext = path.Ext(strings.TrimSuffix(name, ext)) + ext
	}
	url := Prefix + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
	s.urls[name] = url
	s.files[url] = file{body: body, contentType: contentType(name)}
}

// contentType is the Content-Type the asset at name is served with.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".mjs", ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".woff2":
		return "font/woff2"
	case ".woff":
		return "font/woff"
	case ".svg":
		return "image/svg+xml"
	case ".ico":
		return "image/x-icon"
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// ErrUnknown is returned by URL for a file that is not an asset.
var ErrUnknown = errors.New("no such asset")

// URL returns the hashed URL of the asset at name, its path under static/
// ("govuk/govuk-frontend.min.css", "frontdoor.mjs").
func (s *Set) URL(name string) (string, error) {
	u, ok := s.urls[name]
	if !ok {
		return "", fmt.Errorf("%w: %s", ErrUnknown, name)
	}
	return u, nil
}

// ServeHTTP serves an asset by its hashed URL, cached for a year and never
// revalidated; any other path under Prefix is not found (briefly cached,
// as it may exist in the next release).
func (s *Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := s.files[r.URL.Path]
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if !ok {
		h.Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}
	body := f.body
	if body == nil {
		var err error
		if body, err = fs.ReadFile(s.built, strings.TrimPrefix(r.URL.Path, Prefix)); err != nil {
			// In the manifest but not built: a broken build, not a
			// missing page.
			h.Set("Cache-Control", "no-store")
			http.Error(w, "The file could not be read.", http.StatusInternalServerError)
			return
		}
	}
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}
