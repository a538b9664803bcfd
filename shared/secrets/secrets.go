// Package secrets reads secrets from AWS Secrets Manager: the adapter for
// the settings that must never be plain template parameters or environment
// variables, such as the staff pages' client secret at the identity
// provider.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/csc-frontdoor/frontdoor/shared/lambdaenv"
)

// API is the part of the Secrets Manager client this package uses.
type API interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// NewClient returns a Secrets Manager client for cfg, at the endpoint the
// environment sets (lambdaenv.Endpoint), if any.
func NewClient(cfg aws.Config) *secretsmanager.Client {
	endpoint := lambdaenv.Endpoint("SECRETS_MANAGER")
	return secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) { o.BaseEndpoint = endpoint })
}

// MaxLength is the longest secret accepted: a client secret is far
// shorter, and anything longer is not one.
const MaxLength = 4096

// Read returns the current value of the secret named (or whose ARN is)
// name, a string secret without surrounding white space. The error names
// the secret and never holds its value: it fails for a secret that cannot
// be read, is binary, is empty or is over MaxLength.
func Read(ctx context.Context, api API, name string) (string, error) {
	out, err := api.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("secrets: read %s: %w", name, err)
	}
	if out.SecretString == nil {
		return "", fmt.Errorf("secrets: %s is binary; store the value as a string", name)
	}
	v := strings.TrimSpace(*out.SecretString)
	switch {
	case v == "":
		return "", errors.New("secrets: " + name + " is empty")
	case len(v) > MaxLength:
		return "", fmt.Errorf("secrets: %s is over %d bytes", name, MaxLength)
	}
	return v, nil
}
