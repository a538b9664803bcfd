package secrets

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// fakeAPI answers with out or err, and keeps the id it was asked.
type fakeAPI struct {
	out   *secretsmanager.GetSecretValueOutput
	err   error
	asked string
}

func (f *fakeAPI) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.asked = aws.ToString(in.SecretId)
	return f.out, f.err
}

func TestRead(t *testing.T) {
	const value = "client-secret-value"
	tests := []struct {
		name    string
		api     *fakeAPI
		want    string
		wantErr string
	}{
		{"a string", &fakeAPI{out: &secretsmanager.GetSecretValueOutput{SecretString: aws.String(value)}}, value, ""},
		{"with a trailing newline", &fakeAPI{out: &secretsmanager.GetSecretValueOutput{SecretString: aws.String(value + "\n")}}, value, ""},
		{"unreadable", &fakeAPI{err: errors.New("AccessDeniedException")}, "", "AccessDenied"},
		{"binary", &fakeAPI{out: &secretsmanager.GetSecretValueOutput{SecretBinary: []byte(value)}}, "", "binary"},
		{"empty", &fakeAPI{out: &secretsmanager.GetSecretValueOutput{SecretString: aws.String(" ")}}, "", "empty"},
		{"too long", &fakeAPI{out: &secretsmanager.GetSecretValueOutput{SecretString: aws.String(strings.Repeat("x", MaxLength+1))}}, "", "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(context.Background(), tt.api, "frontdoor/staff-client")
			if tt.api.asked != "frontdoor/staff-client" {
				t.Errorf("asked for %q", tt.api.asked)
			}
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Errorf("Read = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "frontdoor/staff-client") {
				t.Fatalf("error %v, want one naming the secret and saying %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), value) {
				t.Errorf("the error holds the secret: %v", err)
			}
		})
	}
}
