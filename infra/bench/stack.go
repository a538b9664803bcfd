package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/csc-frontdoor/frontdoor/infra/dynamolocal"
	"github.com/csc-frontdoor/frontdoor/infra/localauth"
	"github.com/csc-frontdoor/frontdoor/infra/samevents"
	"github.com/csc-frontdoor/frontdoor/infra/stack"
	"github.com/csc-frontdoor/frontdoor/shared/idempotency"
)

// local is one run of the local stack with the clients the bench uses.
type local struct {
	st    *stack.Stack
	http  *http.Client
	db    *dynamodb.Client
	sqs   *sqs.Client
	table string
	api   string
	dir   string
	// children counts the children of every stream made so far.
	children int
	once     sync.Once
	err      error
}

// startLocal starts the stack as `make run` does (DynamoDB Local persisting
// to disk), with up to conns instances of each function and env added to
// every function's environment. ddbPort and sqsPort are 0 for free ports.
func startLocal(ctx context.Context, o Options, name string, conns, ddbPort, sqsPort int, env map[string]string) (*local, error) {
	dir, err := os.MkdirTemp("", "frontdoor-bench-")
	if err != nil {
		return nil, err
	}
	for _, sub := range []string{"data", "build", "auth"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, err
		}
	}
	st, err := stack.Start(ctx, stack.Config{
		ProjectDir: o.Root,
		Binaries:   o.Binaries,
		BuildDir:   filepath.Join(dir, "build"),
		StackName:  "frontdoor-bench-" + name,
		APIAddr:    "127.0.0.1:0",
		DynamoDB: dynamolocal.Options{
			Dir:     o.DynamoDBDir,
			Port:    ddbPort,
			DataDir: filepath.Join(dir, "data"),
		},
		SQSPort: sqsPort,
		Parameters: map[string]string{
			"ChildMatchKey": "bench-child-match-key-0123456789abcdef",
			"HubPhone":      samevents.LocalHubPhone,
			"StaffClientId": localauth.WebClientID,
		},
		Env:              env,
		Concurrency:      conns,
		DisableSchedules: true,
		Output:           o.Logs,
		AuthDir:          filepath.Join(dir, "auth"),
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("bench: start the local stack: %w", err)
	}
	sdkHTTP := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = 2 * conns
		t.MaxIdleConnsPerHost = conns
	})
	cfg := aws.Config{
		Region:      stack.Region,
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
		HTTPClient:  sdkHTTP,
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 2 * conns
	tr.MaxIdleConnsPerHost = conns
	return &local{
		st:   st,
		http: &http.Client{Transport: tr, Timeout: 60 * time.Second},
		db: dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
			o.BaseEndpoint = aws.String(st.DynamoDBEndpoint())
			o.DisableValidateResponseChecksum = true
		}),
		sqs:   sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(st.SQSEndpoint()) }),
		table: st.TableName("FrontDoorTable"),
		api:   st.APIURL(),
		dir:   dir,
	}, nil
}

// close stops the stack, once, and removes its files.
func (l *local) close() error {
	l.once.Do(func() {
		l.err = l.st.Close()
		os.RemoveAll(l.dir)
	})
	return l.err
}

// freePort returns a port free on 127.0.0.1 just now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// receipt is the part of a submission's answer the bench reads.
type receipt struct {
	ID string `json:"id"`
}

// submit posts one referral with a fresh Idempotency-Key and returns its id.
func (l *local) submit(ctx context.Context, body []byte, key string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.api+"/referrals", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := l.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusAccepted {
		return "", fmt.Errorf("POST /referrals: %s", resp.Status)
	}
	var r receipt
	if err := json.Unmarshal(b, &r); err != nil || r.ID == "" {
		return "", fmt.Errorf("POST /referrals: no id in the receipt (%v)", err)
	}
	return r.ID, nil
}

// submitOp is POST /referrals of the bodies, each with its own key.
func (l *local) submitOp(bodies [][]byte, run string) Op {
	return func(ctx context.Context, i int) error {
		_, err := l.submit(ctx, bodies[i%len(bodies)], "bench-"+run+"-"+strconv.Itoa(i))
		return err
	}
}

// stream makes n referrals of body, each about a child of its own, as a
// front door gets them (the same child thousands of times would make each
// screening read its 200 latest earlier referrals, and each screened
// referral larger): the first child's last name takes a suffix of letters
// counted on from every stream before, and it has no NHS number, which
// would match them all. The bodies are made before a run is timed.
func (l *local) stream(body []byte, n int) ([][]byte, error) {
	var form map[string]any
	if err := json.Unmarshal(body, &form); err != nil {
		return nil, fmt.Errorf("bench: sample: %w", err)
	}
	kids, _ := form["children"].([]any)
	if len(kids) == 0 {
		return nil, errors.New("bench: the sample has no child")
	}
	child, _ := kids[0].(map[string]any)
	last, _ := child["lastName"].(string)
	delete(child, "nhsNumber")
	out := make([][]byte, n)
	for i := range out {
		child["lastName"] = last + "-" + letters(l.children)
		l.children++
		b, err := json.Marshal(form)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// letters writes i in base 26 with the letters a to z.
func letters(i int) string {
	s := string(rune('a' + i%26))
	for i /= 26; i > 0; i /= 26 {
		s = string(rune('a'+(i-1)%26)) + s
	}
	return s
}

// referralItem reads the stored referral item of id.
func (l *local) referralItem(ctx context.Context, id string) (map[string]types.AttributeValue, error) {
	out, err := l.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(l.table),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "REFERRAL#" + id},
			"sk": &types.AttributeValueMemberS{Value: "REFERRAL"},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("bench: read referral: %w", err)
	}
	return out.Item, nil
}

// submissionItems reads what submitting referral id with Idempotency-Key
// key stored: the referral, its reference claim, its idempotency record
// and its audit entry.
func (l *local) submissionItems(ctx context.Context, id, key string) ([]map[string]types.AttributeValue, error) {
	ref, err := l.referralItem(ctx, id)
	if err != nil || ref == nil {
		return nil, fmt.Errorf("bench: the model referral %s is not stored (%v)", id, err)
	}
	items := []map[string]types.AttributeValue{ref}
	hash := idempotency.Key{Route: "POST /referrals", Value: key}.Hash()
	for _, k := range [][2]string{{"REFNO#" + str(ref, "reference"), "REFNO"}, {"IDEMPOTENCY#" + hash, "IDEMPOTENCY"}} {
		out, err := l.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(l.table), Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: k[0]}, "sk": &types.AttributeValueMemberS{Value: k[1]},
		}})
		if err != nil || out.Item == nil {
			return nil, fmt.Errorf("bench: the model referral's %s item is not stored (%v)", k[1], err)
		}
		items = append(items, out.Item)
	}
	out, err := l.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(l.table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :audit)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "REFERRAL#" + id}, ":audit": &types.AttributeValueMemberS{Value: "AUDIT#"},
		},
		Limit: aws.Int32(1),
	})
	if err != nil || len(out.Items) == 0 {
		return nil, fmt.Errorf("bench: the model referral's audit entry is not stored (%v)", err)
	}
	return append(items, out.Items[0]), nil
}

// progress is where a referral is: when it was screened and when its first
// follow-up was created (zero if not yet).
type progress struct {
	triaged, followUp time.Time
}

// progressOf reads referral id's partition.
func (l *local) progressOf(ctx context.Context, id string) (progress, error) {
	var p progress
	out, err := l.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(l.table),
		KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "REFERRAL#" + id},
		},
	})
	if err != nil {
		return p, fmt.Errorf("bench: read referral: %w", err)
	}
	for _, item := range out.Items {
		sk := str(item, "sk")
		switch {
		case sk == "REFERRAL" && str(item, "status") != "RECEIVED" && str(item, "status") != "QUEUED":
			if sc, ok := item["screening"].(*types.AttributeValueMemberM); ok {
				p.triaged, _ = time.Parse(time.RFC3339Nano, str(sc.Value, "triagedAt"))
			}
		case len(sk) > 9 && sk[:9] == "FOLLOWUP#":
			at, _ := time.Parse(time.RFC3339Nano, str(item, "createdAt"))
			if p.followUp.IsZero() || at.Before(p.followUp) {
				p.followUp = at
			}
		}
	}
	return p, nil
}

// awaitFollowUps waits (at most 3 minutes in all) until every referral of
// ids is triaged with its follow-up created, and returns where each is.
func (l *local) awaitFollowUps(ctx context.Context, ids []string) ([]progress, error) {
	out := make([]progress, len(ids))
	deadline := time.Now().Add(3 * time.Minute)
	for i, id := range ids {
		for {
			p, err := l.progressOf(ctx, id)
			if err != nil {
				return nil, err
			}
			if !p.triaged.IsZero() && !p.followUp.IsZero() {
				out[i] = p
				break
			}
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("bench: referral %s not triaged with its follow-up after 3 minutes", id)
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	return out, nil
}

func str(item map[string]types.AttributeValue, name string) string {
	if s, ok := item[name].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

// drain waits until the stack's queue logicalID holds no message, visible
// or in flight.
func (l *local) drain(ctx context.Context, logicalID string) error {
	url := l.st.QueueURL(logicalID)
	deadline := time.Now().Add(5 * time.Minute)
	for {
		out, err := l.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
			QueueUrl:       aws.String(url),
			AttributeNames: []sqstypes.QueueAttributeName{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"},
		})
		if err != nil {
			return fmt.Errorf("bench: %s depth: %w", logicalID, err)
		}
		if out.Attributes["ApproximateNumberOfMessages"] == "0" && out.Attributes["ApproximateNumberOfMessagesNotVisible"] == "0" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: %s not drained after 5 minutes: %v", logicalID, out.Attributes)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
