package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want slog.Level
	}{
		{"DEBUG", slog.LevelDebug}, {"debug", slog.LevelDebug}, {"INFO", slog.LevelInfo},
		{"WARN", slog.LevelWarn}, {"warning", slog.LevelWarn}, {"ERROR", slog.LevelError},
		{"", slog.LevelInfo}, {"loud", slog.LevelInfo},
	}
	for _, tt := range tests {
		if got := ParseLevel(tt.in); got != tt.want {
			t.Errorf("ParseLevel(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNewWritesJSONAtLevel(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, "WARN")
	l.Info("hidden")
	l.Warn("shown", "referralId", "01JDCQ2Z8Q7X3V4N5M6K7J8H9G")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("want exactly one JSON line, got %q: %v", buf.String(), err)
	}
	if line["msg"] != "shown" || line["referralId"] != "01JDCQ2Z8Q7X3V4N5M6K7J8H9G" {
		t.Fatalf("unexpected line %v", line)
	}
}

func TestRequestIDFromContext(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, "INFO").With("referralId", "01JDCQ2Z8Q7X3V4N5M6K7J8H9G")
	l.InfoContext(WithRequestID(context.Background(), "req-1"), "stored")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("want one JSON line, got %q: %v", buf.String(), err)
	}
	if line["requestId"] != "req-1" || line["referralId"] != "01JDCQ2Z8Q7X3V4N5M6K7J8H9G" {
		t.Fatalf("line %v lacks requestId or referralId", line)
	}
	buf.Reset()
	l.Info("no context")
	if bytes.Contains(buf.Bytes(), []byte("requestId")) {
		t.Fatalf("a record without a request id in its context has one: %s", buf.String())
	}
}
