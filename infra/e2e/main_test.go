// Package e2e drives the real system end to end: the real bootstrap binaries,
// built through the Makefile as `sam build` builds them, behind the local HTTP
// API, against DynamoDB Local (in memory) and the in-process SQS emulator.
package e2e

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/csc-frontdoor/frontdoor/infra/dynamolocal"
	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/infra/samevents"
	"github.com/csc-frontdoor/frontdoor/infra/stack"
)

// env is the running stack shared by every test in the package (the SQS
// emulator is one per process).
var env struct {
	stack *stack.Stack
	ddb   *dynamodb.Client
	sqs   *sqs.Client
	table string
	queue string
	dlq   string
	logs  *syncBuffer
	// messages holds every message delivered to a function, one a line.
	messages *syncBuffer
}

// syncBuffer collects the functions' log output for the privacy checks.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// The tests need Java, DynamoDB Local and the functions' binaries. Only
	// -short (make unit) leaves them out, saying so; without it a missing
	// tool fails the package, so that it can never pass without running.
	if testing.Short() {
		fmt.Fprintln(os.Stderr, "*** infra/e2e: SKIPPED in -short mode: every end-to-end test needs the local stack; `make test` runs them ***")
		return 0
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	dataDir, err := os.MkdirTemp("", "frontdoor-e2e-dynamodb-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dataDir)
	if err := dynamolocal.Missing(dynamoOptions(root, dataDir)); err != nil {
		fmt.Fprintf(os.Stderr, "infra/e2e: FAIL: the end-to-end tests cannot run: %v\n(`make test` installs what they need; `make unit` runs the tests that need none of it)\n", err)
		return 1
	}
	env.logs, env.messages = &syncBuffer{}, &syncBuffer{}
	var out io.Writer = env.logs
	if testing.Verbose() {
		out = io.MultiWriter(env.logs, os.Stderr)
	}
	// `make test` builds every function once beforehand (make functions)
	// and says where; run alone, the package builds them itself.
	binaries := os.Getenv("FRONTDOOR_FUNCTIONS_DIR")
	buildDir, err := os.MkdirTemp("", "frontdoor-e2e-build-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(buildDir)
	authDir, err := os.MkdirTemp("", "frontdoor-e2e-auth-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(authDir)
	// Long enough for a cold build of every function on a 2-core machine
	// that is compiling the other packages' tests at the same time.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	st, err := stack.Start(ctx, stack.Config{
		ProjectDir:        root,
		Binaries:          binaries,
		BuildDir:          buildDir,
		StackName:         "frontdoor-e2e",
		APIAddr:           "127.0.0.1:0",
		DynamoDB:          withOutput(dynamoOptions(root, dataDir), out),
		Messages:          env.messages,
		Output:            out,
		DisableSchedules:  true,
		VisibilityTimeout: 2 * time.Second,
		Parameters: map[string]string{"ChildMatchKey": "e2e-child-match-key-0123456789abcdef", "HubPhone": samevents.LocalHubPhone,
			"StaffClientId": localauth.WebClientID},
		AuthDir: authDir,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "start the local stack (run `make test`, which installs DynamoDB Local and Java): %v\n", err)
		return 1
	}
	defer st.Close()
	env.stack = st
	awsCfg := aws.Config{
		Region:      "eu-west-2",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}
	env.ddb = dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(st.DynamoDBEndpoint())
		o.DisableValidateResponseChecksum = true
	})
	env.sqs = sqs.NewFromConfig(awsCfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(st.SQSEndpoint()) })
	env.table = st.TableName("FrontDoorTable")
	env.queue = st.QueueURL("TriageQueue")
	env.dlq = st.QueueURL("TriageDeadLetterQueue")
	code := m.Run()
	// Every test has run: what all of them made the functions log is
	// checked for the people of every sample.
	// And what they put on the queues and in the idempotency records,
	// and what the table keeps for a limited time only.
	if problems := afterRun(root); len(problems) > 0 {
		fmt.Fprintln(os.Stderr, "infra/e2e: FAIL: after the last test:")
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  "+p)
		}
		return 1
	}
	if found := privacyScan(root, env.logs.String()); len(found) > 0 {
		fmt.Fprintln(os.Stderr, "infra/e2e: FAIL: personal data from the samples reached the logs:")
		for _, f := range found {
			fmt.Fprintln(os.Stderr, "  "+f)
		}
		return 1
	}
	return code
}

// dynamoOptions runs DynamoDB Local from where `make tools` installed it,
// keeping its data in dataDir, as `make run` does, so that a test can
// restart it and find what it had acknowledged.
func dynamoOptions(root, dataDir string) dynamolocal.Options {
	dir := os.Getenv("DYNAMODB_LOCAL_DIR")
	if dir == "" {
		dir = filepath.Join(root, ".local", "tools", "dynamodb-local")
	}
	return dynamolocal.Options{Dir: dir, DataDir: dataDir}
}

// withOutput sends DynamoDB Local's own output to out, prefixed, beside
// the functions' logs.
func withOutput(o dynamolocal.Options, out io.Writer) dynamolocal.Options {
	o.Output = &prefixWriter{prefix: "[dynamodb-local] ", w: out}
	return o
}

// prefixWriter prefixes each write (DynamoDB Local writes a line at a
// time) with prefix.
type prefixWriter struct {
	prefix string
	w      io.Writer
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	if _, err := p.w.Write(append([]byte(p.prefix), b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}

// pauseTriage stops the triage function taking messages from the triage
// queue until the test ends, so the test can look at them itself.
func pauseTriage(t *testing.T) {
	t.Helper()
	env.stack.Pause("TriageFunction")
	t.Cleanup(func() { env.stack.Resume("TriageFunction") })
	waitEmpty(t, env.stack.QueueURL("FollowUpQueue"))
}

// waitEmpty waits until no message is waiting or in flight on the queue, so
// that nothing is still being written when a test counts items.
func waitEmpty(t testing.TB, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := env.sqs.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
			QueueUrl: &url,
			AttributeNames: []sqstypes.QueueAttributeName{
				sqstypes.QueueAttributeNameApproximateNumberOfMessages,
				sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		a := out.Attributes
		if a[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)] == "0" &&
			a[string(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible)] == "0" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue %s still busy after 30 s: %v", url, a)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// logsContain reports whether the functions' logs hold s.
func logsContain(s string) bool { return strings.Contains(env.logs.String(), s) }

// itemsUnder returns the items of partition pk whose sort key begins with
// prefix (consistent read).
func itemsUnder(t *testing.T, pk, prefix string) []map[string]types.AttributeValue {
	t.Helper()
	out, err := env.ddb.Query(context.Background(), &dynamodb.QueryInput{
		TableName: &env.table, ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk},
			":p":  &types.AttributeValueMemberS{Value: prefix},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Items
}
