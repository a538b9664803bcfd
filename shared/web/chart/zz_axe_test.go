package chart

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/csc-frontdoor/frontdoor/infra/browser"
)

func TestZZAxe(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Figures</title></head><body><main><h1>Figures</h1>`)
	for _, tc := range charts {
		b.WriteString("<h2>" + tc.name + "</h2>" + string(tc.c.SVG()))
	}
	b.WriteString(`</main></body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	for _, w := range []int{320, 1024} {
		br := browser.New(t, browser.Options{Width: w, Height: 800, ScreenshotDir: "/tmp/chartdemo"})
		if err := br.Navigate(srv.URL); err != nil {
			t.Fatal(err)
		}
		v, err := br.Axe()
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range v {
			t.Errorf("%d: %s %s %v", w, x.ID, x.Help, x.Nodes)
		}
		sw, err := browser.Result(br, chromedpEval("document.documentElement.scrollWidth"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("width %d: scrollWidth %v", w, sw)
	}
}
