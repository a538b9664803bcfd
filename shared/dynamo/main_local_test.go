package dynamo_test

// The adapter tests run the real Store against DynamoDB Local (in memory),
// on a table created exactly as template.yaml declares FrontDoorTable, a
// fresh table for each test. DynamoDB Local is started lazily, by the first
// test that needs it (needDB), and stopped after every test has run, so that
// the package's pure unit tests still run under -short or on a machine
// without Java.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/infra/dynamolocal"
	"github.com/csc-frontdoor/frontdoor/infra/provision"
	"github.com/csc-frontdoor/frontdoor/infra/samtemplate"
	"github.com/csc-frontdoor/frontdoor/shared/dynamo"
)

// tableLogicalID is the table's logical id in template.yaml.
const tableLogicalID = "FrontDoorTable"

// local is DynamoDB Local as the tests share it: started at most once.
var local struct {
	once sync.Once
	// skip, when not empty, is why the adapter tests do not run here (and
	// fail is whether that is a failure rather than a skip).
	skip string
	fail bool
	// err is why DynamoDB Local, although installed, could not be used.
	err    error
	server *dynamolocal.Server
	client *dynamodb.Client
	table  samtemplate.Table
	// tables counts the tables made, for their unique names.
	tables atomic.Int64
}

func TestMain(m *testing.M) {
	code := m.Run()
	if local.server != nil {
		if err := local.server.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "shared/dynamo: stop DynamoDB Local: %v\n", err)
		}
	}
	os.Exit(code)
}

// skipLine is the loud line that says the adapter tests did not run, and why.
func skipLine(why string) string {
	return "*** shared/dynamo: SKIPPING the DynamoDB Local adapter tests: " + why +
		"; run `make test` (it installs Java 17 and DynamoDB Local) ***"
}

// needDB skips the test under -short (make unit), saying so loudly once on
// stderr, and fails it when Java or DynamoDB Local is not installed, so that
// the adapter tests never pass without running. Otherwise it starts
// DynamoDB Local the first time.
func needDB(t testing.TB) {
	t.Helper()
	local.once.Do(startLocal)
	switch {
	case local.fail:
		t.Fatal(local.skip)
	case local.skip != "":
		t.Skip(local.skip)
	case local.err != nil:
		t.Fatalf("shared/dynamo: DynamoDB Local is installed but could not be used: %v", local.err)
	}
}

// startLocal decides whether the adapter tests can run and, if so, starts
// DynamoDB Local and reads the table's definition from template.yaml.
func startLocal() {
	if testing.Short() {
		local.skip = skipLine("-short was given (make unit runs no test that needs Java or DynamoDB Local)")
		fmt.Fprintf(os.Stderr, "\n%s\n\n", local.skip)
		return
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		local.err = err
		return
	}
	opts := dynamolocal.Options{Dir: installDir(root), InMemory: true}
	if err := dynamolocal.Missing(opts); err != nil {
		local.fail = true
		local.skip = "shared/dynamo: FAIL: the DynamoDB Local adapter tests cannot run: " + err.Error() +
			" (`make test` installs what they need; `make unit` runs the tests that need none of it)"
		fmt.Fprintln(os.Stderr, local.skip)
		return
	}
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		local.err = fmt.Errorf("read template.yaml: %w", err)
		return
	}
	found := false
	for _, tb := range tpl.Tables {
		if tb.LogicalID == tableLogicalID {
			local.table, found = tb, true
		}
	}
	if !found {
		local.err = fmt.Errorf("template.yaml declares no table %s", tableLogicalID)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := dynamolocal.Start(ctx, opts)
	if err != nil {
		local.err = err
		return
	}
	local.server = srv
	local.client = newClient(srv.Endpoint())
}

// installDir is where `make tools` installs DynamoDB Local, unless
// DYNAMODB_LOCAL_DIR says otherwise.
func installDir(root string) string {
	if dir := os.Getenv("DYNAMODB_LOCAL_DIR"); dir != "" {
		return dir
	}
	return filepath.Join(root, ".local", "tools", "dynamodb-local")
}

// newClient builds the DynamoDB client as the functions do (dynamo.NewClient,
// with AWS_ENDPOINT_URL_DYNAMODB pointing at DynamoDB Local so that response
// checksum validation is off), with static credentials in eu-west-2.
func newClient(endpoint string) *dynamodb.Client {
	os.Setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
	return dynamo.NewClient(aws.Config{
		Region:       "eu-west-2",
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(endpoint),
	})
}

// fixture is one test's table and the Store on it, with the raw client to
// look at the items the Store wrote.
type fixture struct {
	store *dynamo.Store
	db    *dynamodb.Client
	table string
}

var unsafeTableChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// newFixture skips the test unless DynamoDB Local can run (see needDB), and
// otherwise creates a fresh table for it, named after the test, exactly as
// template.yaml declares FrontDoorTable (indexes and time-to-live), dropped
// when the test ends.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	needDB(t)
	name := fmt.Sprintf("%s-%d-%s", tableLogicalID, local.tables.Add(1), unsafeTableChars.ReplaceAllString(t.Name(), "_"))
	if len(name) > 200 {
		name = name[:200]
	}
	if err := provision.Table(t.Context(), local.client, name, local.table); err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, err := local.client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
		if err != nil {
			t.Logf("drop table %s: %v", name, err)
		}
	})
	return &fixture{store: dynamo.New(local.client, name), db: local.client, table: name}
}

// scan returns every item of the table (consistent reads).
func (f *fixture) scan(t *testing.T) []map[string]types.AttributeValue {
	t.Helper()
	var items []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(f.db, &dynamodb.ScanInput{TableName: &f.table, ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatalf("scan %s: %v", f.table, err)
		}
		items = append(items, out.Items...)
	}
	return items
}

// keys returns "pk / sk" of every item of the table, for messages and for
// checking that nothing was half-written.
func (f *fixture) keys(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, item := range f.scan(t) {
		out = append(out, str(item, "pk")+" / "+str(item, "sk"))
	}
	return out
}

// countPrefix counts the items of partition pk whose sort key begins with
// prefix (consistent read).
func (f *fixture) countPrefix(t *testing.T, pk, prefix string) int {
	t.Helper()
	return len(f.queryPrefix(t, pk, prefix))
}

// queryPrefix returns the items of partition pk whose sort key begins with
// prefix, in sort key order (consistent read).
func (f *fixture) queryPrefix(t *testing.T, pk, prefix string) []map[string]types.AttributeValue {
	t.Helper()
	var items []map[string]types.AttributeValue
	p := dynamodb.NewQueryPaginator(f.db, &dynamodb.QueryInput{
		TableName:              &f.table,
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: pk}, ":prefix": &types.AttributeValueMemberS{Value: prefix},
		},
		ConsistentRead: aws.Bool(true),
	})
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatalf("query %s %s*: %v", pk, prefix, err)
		}
		items = append(items, out.Items...)
	}
	return items
}

// item returns the item with the key, or nil (consistent read).
func (f *fixture) item(t *testing.T, pk, sk string) map[string]types.AttributeValue {
	t.Helper()
	out, err := f.db.GetItem(t.Context(), &dynamodb.GetItemInput{
		TableName: &f.table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: sk}},
	})
	if err != nil {
		t.Fatalf("get %s / %s: %v", pk, sk, err)
	}
	return out.Item
}

// indexPartition returns the sort keys of one partition of a ByState-like
// index (index, its partition key attribute and value), ascending. Index
// reads are eventually consistent on DynamoDB; DynamoDB Local applies them
// at once.
func (f *fixture) indexPartition(t *testing.T, index, pkAttr, part string) []string {
	t.Helper()
	var sks []string
	skAttr := strings.Replace(pkAttr, "pk", "sk", 1)
	p := dynamodb.NewQueryPaginator(f.db, &dynamodb.QueryInput{
		TableName: &f.table, IndexName: aws.String(index),
		KeyConditionExpression:    aws.String("#p = :p"),
		ExpressionAttributeNames:  map[string]string{"#p": pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: part}},
	})
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatalf("query %s %s: %v", index, part, err)
		}
		for _, item := range out.Items {
			sks = append(sks, str(item, skAttr))
		}
	}
	return sks
}

// str returns a string attribute of an item, or "".
func str(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// num returns a number attribute of an item as written, or "".
func num(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberN); ok {
		return v.Value
	}
	return ""
}

// isConditionFailure reports whether err is DynamoDB refusing a write on
// its condition (a failed transaction or a conditional check).
func isConditionFailure(err error) bool {
	var cancelled *types.TransactionCanceledException
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &cancelled) || errors.As(err, &ccf)
}

// everyPage reads a list page by page until its last, with read giving the
// page after cursor ("" for the first) and the next page's cursor ("" on
// the last), and returns every item in the order listed. It fails the test
// on an error, on a page longer than limit, on a page short of limit that
// is not the last, or after more than 100 pages.
func everyPage[T any](t *testing.T, what string, limit int, read func(cursor string) ([]T, string, error)) []T {
	t.Helper()
	var all []T
	cursor := ""
	for n := 0; ; n++ {
		if n > 100 {
			t.Fatalf("%s: more than 100 pages of %d", what, limit)
		}
		items, next, err := read(cursor)
		if err != nil {
			t.Fatalf("%s page %d: %v", what, n, err)
		}
		if len(items) > limit {
			t.Fatalf("%s page %d: %d items, limit %d", what, n, len(items), limit)
		}
		all = append(all, items...)
		if next == "" {
			return all
		}
		cursor = next
	}
}
