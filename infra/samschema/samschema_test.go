package samschema

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// schemaPath is the official SAM schema kept with the team's reference
// material beside the project.
const schemaPath = "../../../shared/reference/sam.schema.json"

func readTemplate(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestTemplateMatchesSAMSchema(t *testing.T) {
	if _, err := os.Stat(schemaPath); err != nil {
		t.Fatalf("the SAM schema is expected at %s: %v", schemaPath, err)
	}
	if err := Validate(readTemplate(t), schemaPath); err != nil {
		t.Fatal(err)
	}
}

func TestBrokenTemplateFailsSchema(t *testing.T) {
	broken := strings.Replace(string(readTemplate(t)), "Type: AWS::Serverless::Function", "Type: AWS::Serverless::Function\n    Bogus: 1", 1)
	if err := Validate([]byte(broken), schemaPath); err == nil {
		t.Fatal("a function with an unknown top-level key passed the schema")
	}
}

// TestFunctionsBuildThroughMakefile checks that every function is built by a
// build-<LogicalId> target, as `sam build` expects for BuildMethod: makefile,
// and that each runs on provided.al2023 on arm64 through Globals.
func TestFunctionsBuildThroughMakefile(t *testing.T) {
	src := readTemplate(t)
	res, err := Resources(src)
	if err != nil {
		t.Fatal(err)
	}
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for id, r := range res {
		if r["Type"] != "AWS::Serverless::Function" {
			continue
		}
		n++
		md, _ := r["Metadata"].(map[string]any)
		if md["BuildMethod"] != "makefile" {
			t.Errorf("%s: Metadata.BuildMethod = %v, want makefile", id, md["BuildMethod"])
		}
		if !strings.Contains(string(makefile), "\nbuild-"+id+":") {
			t.Errorf("%s: the Makefile has no build-%s target", id, id)
		}
		props, _ := r["Properties"].(map[string]any)
		if props["CodeUri"] != "." {
			t.Errorf("%s: CodeUri = %v, want . (the Makefile is at the root)", id, props["CodeUri"])
		}
	}
	if n == 0 {
		t.Fatal("no functions found in template.yaml")
	}
	for _, want := range []string{"Runtime: provided.al2023", "Architectures: [arm64]", "Handler: bootstrap"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("template.yaml Globals lack %q", want)
		}
	}
}

// TestQueuesHaveDeadLetterQueues checks every queue that is not itself a
// dead-letter queue redrives to one after 5 receives, with a visibility
// timeout of at least six times the longest function timeout.
func TestQueuesHaveDeadLetterQueues(t *testing.T) {
	res, err := Resources(readTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	dlqs := map[string]bool{}
	for _, r := range res {
		props, _ := r["Properties"].(map[string]any)
		if rp, ok := props["RedrivePolicy"].(map[string]any); ok {
			if arn, ok := rp["deadLetterTargetArn"].(map[string]any); ok {
				switch ga := arn["Fn::GetAtt"].(type) {
				case []any: // long form: [Queue, Arn]
					if len(ga) == 2 {
						dlqs[fmt.Sprint(ga[0])] = true
					}
				case string: // short form: Queue.Arn
					dlqs[strings.TrimSuffix(ga, ".Arn")] = true
				}
			}
		}
	}
	queues := 0
	for id, r := range res {
		if r["Type"] != "AWS::SQS::Queue" || dlqs[id] {
			continue
		}
		queues++
		props, _ := r["Properties"].(map[string]any)
		rp, ok := props["RedrivePolicy"].(map[string]any)
		if !ok {
			t.Errorf("%s has no RedrivePolicy", id)
			continue
		}
		if rp["maxReceiveCount"] != float64(5) {
			t.Errorf("%s: maxReceiveCount = %v, want 5", id, rp["maxReceiveCount"])
		}
		if vt, _ := props["VisibilityTimeout"].(float64); vt < 6*30 {
			t.Errorf("%s: VisibilityTimeout = %v, want at least 180 (6 × the 30 s consumer timeout)", id, vt)
		}
	}
	if queues == 0 {
		t.Fatal("no queues found in template.yaml")
	}
	if len(dlqs) == 0 {
		t.Fatal("no dead-letter queues found in template.yaml")
	}
}
