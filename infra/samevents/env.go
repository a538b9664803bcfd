package samevents

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"

	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/infra/sqslocal"
)

// What `make run` starts, as a function in a Docker container sees it.
// `sam local` runs each function in a container, where 127.0.0.1 is the
// container itself; host.docker.internal is the host (Docker Desktop has
// it; on Linux run sam with --add-host host.docker.internal:host-gateway).
// The ports and names are those of `make run` with FRONTDOOR_DDB_PORT and
// FRONTDOOR_SQS_PORT unset (infra/cmd/local; a test checks them there).
const (
	// DockerHost is the host, from inside a container.
	DockerHost = "host.docker.internal"
	// DynamoDBPort is DynamoDB Local's port under `make run`.
	DynamoDBPort = 8000
	// SQSPort is the SQS emulator's port under `make run`.
	SQSPort = 9324
	// LocalStackName is the stack name `make run` gives the local stack,
	// which prefixes the table's name.
	LocalStackName = "frontdoor-local"
	// LocalHubPhone is the hub's telephone number the pages give when run
	// locally: from Ofcom's range for drama (01632 960000 to 960999), which
	// rings nowhere.
	LocalHubPhone = "01632 960000"
	// LocalChildMatchKey is the child-matching key `make run` uses when
	// FRONTDOOR_CHILD_MATCH_KEY is unset: for local data only, never a
	// deployment's.
	LocalChildMatchKey = "local-only-child-match-key-not-for-production"
)

// DynamoDBEndpoint and SQSEndpoint are the endpoints of `make run`'s
// DynamoDB Local and SQS emulator from inside a container.
var (
	DynamoDBEndpoint = "http://" + DockerHost + ":" + strconv.Itoa(DynamoDBPort)
	SQSEndpoint      = "http://" + DockerHost + ":" + strconv.Itoa(SQSPort)
)

// EndpointVars are the AWS SDK's service endpoint variables env.json sets
// for every function. SAM CLI passes a function only the variables its
// template declares: template.yaml declares them empty (the real endpoints
// in AWS), and env.json gives them these values.
var EndpointVars = map[string]string{
	"AWS_ENDPOINT_URL_DYNAMODB": DynamoDBEndpoint,
	"AWS_ENDPOINT_URL_SQS":      SQSEndpoint,
}

// ParametersKey is the env.json member whose variables apply to every
// function.
const ParametersKey = "Parameters"

// LocalEnv is env.json's content: under ParametersKey the variables every
// function declares with the same local value, and the SDK's endpoint
// variables; under each function's logical id the variables only some
// functions declare. Each value is the template's, resolved for the stack
// `make run` starts as a container reaches it.
func LocalEnv(tpl *samtemplate.Template) (map[string]map[string]string, error) {
	r := dockerResolver{tpl: tpl}
	resolved := map[string]map[string]string{}
	for _, f := range tpl.Functions {
		vars := map[string]string{}
		for name, v := range f.Env {
			val, err := samtemplate.Resolve(v, r)
			if err != nil {
				return nil, fmt.Errorf("samevents: %s environment %s: %w", f.LogicalID, name, err)
			}
			if ep, ok := EndpointVars[name]; ok {
				val = ep
			}
			vars[name] = val
		}
		resolved[f.LogicalID] = vars
	}
	common := maps.Clone(EndpointVars)
	if len(tpl.Functions) > 0 {
	names:
		for name, val := range resolved[tpl.Functions[0].LogicalID] {
			for _, f := range tpl.Functions[1:] {
				if v, ok := resolved[f.LogicalID][name]; !ok || v != val {
					continue names
				}
			}
			common[name] = val
		}
	}
	out := map[string]map[string]string{ParametersKey: common}
	for id, vars := range resolved {
		own := map[string]string{}
		for name, val := range vars {
			if c, ok := common[name]; !ok || c != val {
				own[name] = val
			}
		}
		if len(own) > 0 {
			out[id] = own
		}
	}
	return out, nil
}

// EnvJSON is env.json as written.
func EnvJSON(tpl *samtemplate.Template) ([]byte, error) {
	env, err := LocalEnv(tpl)
	if err != nil {
		return nil, err
	}
	return marshal(env)
}

// dockerResolver resolves the template's Ref and Fn::GetAtt as the local
// stack does (infra/stack), with the endpoints as a container reaches
// them.
type dockerResolver struct{ tpl *samtemplate.Template }

func (r dockerResolver) Ref(id string) (string, error) {
	switch id {
	case "AWS::Region":
		return sqslocal.Region, nil
	case "AWS::AccountId":
		return sqslocal.AccountID, nil
	case "AWS::StackName":
		return LocalStackName, nil
	case "ChildMatchKey":
		return LocalChildMatchKey, nil
	case "HubPhone":
		return LocalHubPhone, nil
	case "StaffClientId":
		return localauth.WebClientID, nil
	case "AuthIssuer":
		// The issuer of make run's tokens, as the events' claims name it.
		return localauth.IssuerFor(LocalAPIURL), nil
	}
	if v, ok := r.tpl.Parameters[id]; ok {
		return v, nil
	}
	for _, t := range r.tpl.Tables {
		if t.LogicalID == id {
			return LocalStackName + "-" + id, nil
		}
	}
	if r.queue(id) {
		return sqslocal.QueueURL(SQSEndpoint, id), nil
	}
	return "", fmt.Errorf("no local value for !Ref %s", id)
}

func (r dockerResolver) GetAtt(id, attr string) (string, error) {
	if r.queue(id) {
		switch attr {
		case "Arn":
			return sqslocal.QueueARN(id), nil
		case "QueueName":
			return id, nil
		case "QueueUrl":
			return sqslocal.QueueURL(SQSEndpoint, id), nil
		}
	}
	return "", fmt.Errorf("no local value for !GetAtt %s.%s", id, attr)
}

func (r dockerResolver) queue(id string) bool {
	return slices.ContainsFunc(r.tpl.Queues, func(q samtemplate.Queue) bool { return q.LogicalID == id })
}

// sortedKeys returns m's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
