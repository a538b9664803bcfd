package chart

import ("os"; "strings"; "testing")

func TestZZDemo(t *testing.T) {
	var b strings.Builder
	b.WriteString("<!doctype html><html><body style='margin:0'>")
	for _, name := range []string{"lines close together", "many lines", "long shown values", "nasty text", "odd values", "horizontal empty"} {
		for _, tc := range charts {
			if tc.name == name {
				b.WriteString("<div style='width:480px;display:inline-block;vertical-align:top;border:1px solid #ccc'>" + string(tc.c.SVG()) + "</div>")
			}
		}
	}
	os.WriteFile("/tmp/chartdemo/edge.html", []byte(b.String()), 0o644)
}
