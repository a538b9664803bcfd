// Command local runs the whole system on this machine, Docker-free: DynamoDB
// Local on 127.0.0.1:8000 (persisting in .local/dynamodb), the SQS emulator
// on 127.0.0.1:9324, the table and queues of template.yaml, every function's
// real bootstrap binary, and the HTTP API on 127.0.0.1:3000, until Ctrl-C.
//
// Usage:
//
//	local run                          (make run)
//	local invoke <LogicalId> [event]   run one function once with an event
//	                                   file (as `sam local invoke -e`), against
//	                                   the stack `make run` is running, and
//	                                   print its response (make invoke, make sweep)
//	local redrive                      move the messages of every dead-letter
//	                                   queue of the stack `make run` is running
//	                                   back to the queue they came from, once
//	                                   the fault that sent them there is fixed
//	                                   (make redrive)
//	local token -role <role>[,<role>] [-sub <subject>] [-ttl 8h]
//	                                   print a bearer token from the local issuer
//	                                   that the HTTP API of `make run` accepts
//	                                   (make token ROLE=mash); the signing key is
//	                                   .local/auth/signing-key.pem, made on first use
//
// Environment:
//
//	FRONTDOOR_API_PORT       HTTP API port (3000)
//	FRONTDOOR_DDB_PORT       DynamoDB Local port (8000)
//	FRONTDOOR_SQS_PORT       SQS emulator port (9324)
//	FRONTDOOR_DATA_DIR       where DynamoDB Local keeps its data (.local/dynamodb)
//	FRONTDOOR_DDB_IN_MEMORY  set to 1 to keep nothing between runs
//	FRONTDOOR_LOG_LEVEL      the functions' log level (INFO)
//	FRONTDOOR_FUNCTIONS_DIR  where `make functions` built the functions'
//	                         binaries (the Makefile sets it); when unset they
//	                         are built into .local/build
//	DYNAMODB_LOCAL_DIR       where `make tools` installed DynamoDB Local
//	                         (.local/tools/dynamodb-local)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/csc-frontdoor/frontdoor/infra/dynamolocal"
	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/infra/samevents"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/infra/sqslocal"
	"github.com/csc-frontdoor/frontdoor/infra/stack"
	"github.com/csc-frontdoor/frontdoor/shared/auth"
)

func main() {
	var err error
	switch {
	case len(os.Args) == 2 && os.Args[1] == "run":
		err = run()
	case (len(os.Args) == 3 || len(os.Args) == 4) && os.Args[1] == "invoke":
		event := ""
		if len(os.Args) == 4 {
			event = os.Args[3]
		}
		err = invoke(os.Args[2], event)
	case len(os.Args) == 2 && os.Args[1] == "redrive":
		err = redrive()
	case len(os.Args) >= 2 && os.Args[1] == "token":
		err = token(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "usage: local run | local invoke <LogicalId> [event.json] | local redrive | local token -role <role>[,<role>] [-sub <subject>] [-ttl 8h]")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "local:", err)
		os.Exit(1)
	}
}

func port(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	p, err := strconv.Atoi(v)
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("%s=%q: want a port number from 1 to 65535", name, v)
	}
	return p, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// settings are what run and invoke share.
type settings struct {
	root                      string
	apiPort, ddbPort, sqsPort int
	params                    map[string]string
	// authDir holds the local issuer's signing key.
	authDir string
}

func load() (settings, error) {
	var st settings
	root, err := os.Getwd()
	if err != nil {
		return st, err
	}
	if _, err := os.Stat(filepath.Join(root, "template.yaml")); err != nil {
		return st, errors.New("run from the project's root directory (where template.yaml is)")
	}
	st.root = root
	if st.apiPort, err = port("FRONTDOOR_API_PORT", 3000); err != nil {
		return st, err
	}
	if st.ddbPort, err = port("FRONTDOOR_DDB_PORT", 8000); err != nil {
		return st, err
	}
	if st.sqsPort, err = port("FRONTDOOR_SQS_PORT", 9324); err != nil {
		return st, err
	}
	st.authDir = filepath.Join(root, ".local", "auth")
	st.params = map[string]string{
		"AuthIssuer": localauth.IssuerFor("http://127.0.0.1:" + strconv.Itoa(st.apiPort)),
		"LogLevel":   envOr("FRONTDOOR_LOG_LEVEL", "INFO"),
		// Local data only: a deployment takes its own secret key.
		"ChildMatchKey": envOr("FRONTDOOR_CHILD_MATCH_KEY", "local-only-child-match-key-not-for-production"),
		// A number from Ofcom's range for drama, which rings nowhere.
		"HubPhone": envOr("FRONTDOOR_HUB_PHONE", samevents.LocalHubPhone),
		// The staff pages' client at the local issuer.
		"StaffClientId": localauth.WebClientID,
	}
	return st, nil
}

// loadWithTemplate is load, and the project's template.
func loadWithTemplate() (settings, *samtemplate.Template, error) {
	set, err := load()
	if err != nil {
		return set, nil, err
	}
	tpl, err := samtemplate.Load(filepath.Join(set.root, "template.yaml"))
	return set, tpl, err
}

// issuerFile, in the auth directory, records the issuer of the last `run`,
// whose URL carries its API port: `token` mints for it unless
// FRONTDOOR_API_PORT is set.
const issuerFile = "issuer"

// maxTokenTTL bounds how long a local token lives.
const maxTokenTTL = 24 * time.Hour

// token prints a token from the local issuer for the roles asked for.
func token(args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	roles := fs.String("role", "", "the caller's roles, comma-separated: "+roleNames())
	sub := fs.String("sub", "", "the caller's subject, recorded in the audit trail (default local-<first role>)")
	ttl := fs.Duration("ttl", 8*time.Hour, "how long the token is valid (at most 24h)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token: unexpected %q", fs.Arg(0))
	}
	var names []string
	for _, r := range strings.Split(*roles, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if !auth.Role(r).Valid() {
			return fmt.Errorf("token: %q is not a role; the roles are %s", r, roleNames())
		}
		names = append(names, r)
	}
	if len(names) == 0 {
		return fmt.Errorf("token: name a role with -role (make token ROLE=mash); the roles are %s", roleNames())
	}
	if *ttl <= 0 || *ttl > maxTokenTTL {
		return fmt.Errorf("token: -ttl %s: want more than 0 and at most %s", *ttl, maxTokenTTL)
	}
	if *sub == "" {
		*sub = "local-" + names[0]
	}
	set, tpl, err := loadWithTemplate()
	if err != nil {
		return err
	}
	audience := tpl.Parameters["AuthAudience"]
	if audience == "" {
		audience = localauth.DefaultAudience
	}
	issuer := set.params["AuthIssuer"]
	if _, portSet := os.LookupEnv("FRONTDOOR_API_PORT"); !portSet {
		if b, err := os.ReadFile(filepath.Join(set.authDir, issuerFile)); err == nil && strings.TrimSpace(string(b)) != "" {
			issuer = strings.TrimSpace(string(b))
		}
	}
	a, err := localauth.Open(set.authDir, issuer, audience)
	if err != nil {
		return err
	}
	tok, err := a.Mint(*sub, names, *ttl)
	if err != nil {
		return err
	}
	fmt.Println(tok)
	return nil
}

func roleNames() string {
	names := make([]string, len(auth.Roles))
	for i, r := range auth.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func invoke(function, eventFile string) error {
	set, err := load()
	if err != nil {
		return err
	}
	payload := []byte("{}")
	if eventFile != "" {
		if payload, err = os.ReadFile(eventFile); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := stack.Attach(ctx, stack.Config{
		ProjectDir: set.root,
		Binaries:   os.Getenv("FRONTDOOR_FUNCTIONS_DIR"),
		BuildDir:   filepath.Join(set.root, ".local", "build"),
		StackName:  "frontdoor-local",
		Parameters: set.params,
		Output:     os.Stderr,
	}, "http://127.0.0.1:"+strconv.Itoa(set.ddbPort), "http://127.0.0.1:"+strconv.Itoa(set.sqsPort), function)
	if err != nil {
		return err
	}
	defer st.Close()
	out, err := st.Invoke(ctx, function, payload)
	if err != nil {
		return fmt.Errorf("%s: %w (is `make run` running?)", function, err)
	}
	fmt.Println(string(out))
	return nil
}

// redrive moves dead-letter messages back on the running local stack.
func redrive() error {
	set, tpl, err := loadWithTemplate()
	if err != nil {
		return err
	}
	endpoint := "http://127.0.0.1:" + strconv.Itoa(set.sqsPort)
	client := sqs.New(sqs.Options{
		Region: sqslocal.Region, BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	})
	moved, err := stack.Redrive(context.Background(), client, tpl, func(id string) string { return sqslocal.QueueURL(endpoint, id) })
	for _, q := range tpl.Queues {
		if n, ok := moved[q.LogicalID]; ok {
			fmt.Printf("%s: %d message(s) moved back\n", q.LogicalID, n)
		}
	}
	if err != nil {
		return fmt.Errorf("%w (is `make run` running?)", err)
	}
	return nil
}

func run() error {
	set, err := load()
	if err != nil {
		return err
	}
	root, apiPort, ddbPort, sqsPort := set.root, set.apiPort, set.ddbPort, set.sqsPort
	local := filepath.Join(root, ".local")
	inMemory := os.Getenv("FRONTDOOR_DDB_IN_MEMORY") == "1"
	dataDir := envOr("FRONTDOOR_DATA_DIR", filepath.Join(local, "dynamodb"))

	stopWithParent()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Println("starting DynamoDB Local, the SQS emulator and the functions...")
	st, err := stack.Start(ctx, stack.Config{
		ProjectDir: root,
		Binaries:   os.Getenv("FRONTDOOR_FUNCTIONS_DIR"),
		BuildDir:   filepath.Join(local, "build"),
		StackName:  "frontdoor-local",
		APIAddr:    "127.0.0.1:" + strconv.Itoa(apiPort),
		DynamoDB: dynamolocal.Options{
			Dir:      envOr("DYNAMODB_LOCAL_DIR", filepath.Join(local, "tools", "dynamodb-local")),
			Port:     ddbPort,
			InMemory: inMemory,
			DataDir:  dataDir,
		},
		SQSPort:    sqsPort,
		Parameters: set.params,
		Output:     os.Stdout,
		AuthDir:    set.authDir,
	})
	if err != nil {
		return err
	}
	// `make token` in another shell mints for this issuer even when it does
	// not share this shell's FRONTDOOR_API_PORT.
	if err := os.WriteFile(filepath.Join(set.authDir, issuerFile), []byte(set.params["AuthIssuer"]+"\n"), 0o600); err != nil {
		return fmt.Errorf("record the local issuer: %w", err)
	}
	storage := "persisting in " + dataDir
	if inMemory {
		storage = "in memory"
	}
	fmt.Printf(`
The front door is running.

  HTTP API        %s
  DynamoDB Local  %s (table %s, %s)
  SQS emulator    %s (queues in memory)

Routes:
`, st.APIURL(), st.DynamoDBEndpoint(), st.TableName("FrontDoorTable"), storage, st.SQSEndpoint())
	for _, r := range st.Routes() {
		fmt.Println("  " + r)
	}
	fmt.Printf(`
Try:
  open %[1]s/ in a browser: the referral form partners use
  curl -sS -H 'content-type: application/json' -d @events/referrals/single-child.json %[1]s/referrals
  curl -sS -H "Authorization: Bearer $(make -s token ROLE=mash)" %[1]s/triage-queue
  aws --endpoint-url %[2]s --region eu-west-2 dynamodb scan --table-name %[3]s --max-items 5
  aws --endpoint-url %[4]s --region eu-west-2 sqs receive-message --queue-url %[5]s --visibility-timeout 0
(the AWS CLI wants credentials: export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local)

Ctrl-C stops everything.
`, st.APIURL(), st.DynamoDBEndpoint(), st.TableName("FrontDoorTable"), st.SQSEndpoint(), st.QueueURL("TriageQueue"))
	<-ctx.Done()
	fmt.Println("\nstopping...")
	done := make(chan error, 1)
	go func() { done <- st.Close() }()
	select {
	case err := <-done:
		if err != nil {
			return err
		}
		fmt.Println("stopped")
		return nil
	case <-time.After(15 * time.Second):
		return errors.New("did not stop within 15 s")
	}
}
