package lambdaenv

import "testing"

func TestEndpoint(t *testing.T) {
	tests := []struct {
		name            string
		service, global string
		want            string
		wantNoneAtAll   bool
	}{
		{name: "the service's own", service: "http://127.0.0.1:8000", want: "http://127.0.0.1:8000"},
		{name: "the service's before the global", service: "http://127.0.0.1:8000", global: "http://127.0.0.1:4566", want: "http://127.0.0.1:8000"},
		{name: "the global when the service has none", global: "http://127.0.0.1:4566", want: "http://127.0.0.1:4566"},
		{name: "none: the service's real endpoint", wantNoneAtAll: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", tt.service)
			t.Setenv("AWS_ENDPOINT_URL", tt.global)
			got := Endpoint("SECRETS_MANAGER")
			switch {
			case tt.wantNoneAtAll && got != nil:
				t.Errorf("Endpoint = %q, want none", *got)
			case !tt.wantNoneAtAll && (got == nil || *got != tt.want):
				t.Errorf("Endpoint = %v, want %q", got, tt.want)
			}
		})
	}
}

// TestSetupReadsLambdasEnvironment: the region and the role's credentials
// are Lambda's variables, read as they are.
func TestSetupReadsLambdasEnvironment(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-west-2")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "token")
	cfg := Setup()
	if cfg.Region != "eu-west-2" {
		t.Errorf("Region = %q", cfg.Region)
	}
	creds, err := cfg.Credentials.Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "AKIDEXAMPLE" || creds.SecretAccessKey != "secret" || creds.SessionToken != "token" {
		t.Errorf("credentials %+v", creds)
	}
}
