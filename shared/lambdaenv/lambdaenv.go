// Package lambdaenv is what every function's main needs before it starts:
// the structured logger, required environment variables (as template.yaml
// sets them) and the AWS configuration. A missing variable stops the
// function at start-up, where it is seen at once, not at the first request.
package lambdaenv

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/csc-frontdoor/frontdoor/shared/logging"
)

// Setup installs the JSON logger at LOG_LEVEL as the default and returns the
// AWS configuration from the environment.
func Setup(ctx context.Context) aws.Config {
	slog.SetDefault(logging.New(os.Stdout, os.Getenv("LOG_LEVEL")))
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fatal("cannot load AWS configuration", "error", err)
	}
	return cfg
}

// Require returns the value of the environment variable name, stopping the
// process if it is not set.
func Require(name string) string {
	v := os.Getenv(name)
	if v == "" {
		fatal("required environment variable is not set", "name", name)
	}
	return v
}

// Fatal logs msg at ERROR with args and stops the process: for a function
// that cannot start (its configuration or its embedded files are wrong).
func Fatal(msg string, args ...any) { fatal(msg, args...) }

func fatal(msg string, args ...any) {
	slog.Error(msg, args...)
	os.Exit(1)
}
