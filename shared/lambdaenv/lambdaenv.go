// Package lambdaenv is what every function's main needs before it starts:
// the structured logger, required environment variables (as template.yaml
// sets them) and the AWS configuration. A missing variable stops the
// function at start-up, where it is seen at once, not at the first request.
package lambdaenv

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/csc-frontdoor/frontdoor/shared/logging"
)

// Setup installs the JSON logger at LOG_LEVEL as the default and returns the
// AWS configuration Lambda gives a function: its region and its execution
// role's credentials, from the variables Lambda sets (AWS_REGION,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), read as the
// SDK's own environment provider reads them. Service clients take their
// defaults (retries, HTTP client) from the SDK; a local endpoint
// (AWS_ENDPOINT_URL_<SERVICE>) is for each adapter's client to read.
//
// It deliberately does without the SDK's config module: that module reads
// shared config and credentials files, which Lambda does not have, and
// links SSO, STS and instance-metadata clients, which no function calls,
// into every binary (0.55 MiB of each zipped bootstrap). Nothing here
// blocks.
func Setup() aws.Config {
	slog.SetDefault(logging.New(os.Stdout, os.Getenv("LOG_LEVEL")))
	return aws.Config{
		Region: Require("AWS_REGION"),
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
			Require("AWS_ACCESS_KEY_ID"), Require("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))),
	}
}

// Endpoint is the endpoint set for a service in the environment, as the
// SDK's config module reads it: AWS_ENDPOINT_URL_<SERVICE> (the service's
// id in capitals, spaces as underscores: DYNAMODB, SQS, SECRETS_MANAGER),
// else AWS_ENDPOINT_URL; nil when neither is set, for the service's own.
// The local stack and `sam local` point the clients at local services
// with them.
func Endpoint(service string) *string {
	for _, name := range []string{"AWS_ENDPOINT_URL_" + service, "AWS_ENDPOINT_URL"} {
		if v := os.Getenv(name); v != "" {
			return &v
		}
	}
	return nil
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
