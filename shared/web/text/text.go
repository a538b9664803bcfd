// Package text is the web pages' message catalogue: every word the pages
// show, by key, in one file per language (en.json), so that a Welsh version
// is a new file and no template or handler changes. Messages may hold named
// placeholders, {name}, filled by T's arguments.
package text

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/csc-frontdoor/frontdoor/shared/internal/lazyre"
)

//go:embed *.json
var files embed.FS

// Catalogue holds one language's messages.
type Catalogue struct {
	lang     string
	messages map[string]string
}

// placeholder matches {name} in a message.
var placeholder = lazyre.New(`\{([a-zA-Z][a-zA-Z0-9]*)\}`)

// Load returns the catalogue of a language ("en").
func Load(lang string) (*Catalogue, error) {
	b, err := files.ReadFile(lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("text: no catalogue for %q: %w", lang, err)
	}
	c := &Catalogue{lang: lang}
	if err := json.Unmarshal(b, &c.messages); err != nil {
		return nil, fmt.Errorf("text: %s.json: %w", lang, err)
	}
	return c, nil
}

// MustLoad is Load for the catalogues built in: it panics on an error,
// which a test catches.
func MustLoad(lang string) *Catalogue {
	c, err := Load(lang)
	if err != nil {
		panic(err)
	}
	return c
}

// Lang is the catalogue's language, for the page's lang attribute.
func (c *Catalogue) Lang() string { return c.lang }

// T returns the message with the key, its placeholders filled from args,
// given as pairs: T("due", "time", "17:00"). A key the catalogue lacks is
// shown as [[key]], which the page tests look for; a placeholder with no
// argument is left as it is, which they look for too.
func (c *Catalogue) T(key string, args ...any) string {
	m, ok := c.messages[key]
	if !ok {
		return "[[" + key + "]]"
	}
	if len(args) == 0 {
		return m
	}
	vals := map[string]string{}
	for i := 0; i+1 < len(args); i += 2 {
		vals[fmt.Sprint(args[i])] = fmt.Sprint(args[i+1])
	}
	return placeholder().ReplaceAllStringFunc(m, func(p string) string {
		if v, ok := vals[p[1:len(p)-1]]; ok {
			return v
		}
		return p
	})
}

// Has reports whether the catalogue has the key.
func (c *Catalogue) Has(key string) bool {
	_, ok := c.messages[key]
	return ok
}

// Keys returns every key, sorted.
func (c *Catalogue) Keys() []string {
	keys := make([]string, 0, len(c.messages))
	for k := range c.messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Placeholders returns the names of the placeholders in the key's message.
func (c *Catalogue) Placeholders(key string) []string {
	var out []string
	for _, m := range placeholder().FindAllStringSubmatch(c.messages[key], -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

// Missing reports whether s holds a key the catalogue lacked or a
// placeholder left unfilled: what a page must never show.
func Missing(s string) bool {
	return strings.Contains(s, "[[") || placeholder().MatchString(s)
}
