// Package samschema validates template.yaml against the official AWS SAM JSON
// schema, so a template that `sam deploy` would reject fails the tests first.
package samschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ecmaRegexp compiles the schema's patterns as ECMAScript regular
// expressions: the SAM schema uses look-ahead, which Go's regexp lacks.
type ecmaRegexp struct{ re *regexp2.Regexp }

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func (r ecmaRegexp) String() string { return r.re.String() }

func compileECMA(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return ecmaRegexp{re}, nil
}

// TemplateJSON turns a SAM template in YAML into JSON, keeping intrinsic
// functions (!Ref, !GetAtt, !Sub) as their long forms unevaluated.
func TemplateJSON(yamlSrc []byte) ([]byte, error) {
	out, err := intrinsics.ProcessYAML(yamlSrc, &intrinsics.ProcessorOptions{NoProcess: true})
	if err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	return out, nil
}

// Validate checks the SAM template in YAML against the JSON schema at
// schemaPath.
func Validate(yamlSrc []byte, schemaPath string) error {
	doc, err := TemplateJSON(yamlSrc)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("decode template JSON: %w", err)
	}
	f, err := os.Open(schemaPath)
	if err != nil {
		return fmt.Errorf("open schema: %w", err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return fmt.Errorf("decode schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(compileECMA)
	if err := c.AddResource("sam.schema.json", schemaDoc); err != nil {
		return fmt.Errorf("add schema: %w", err)
	}
	sch, err := c.Compile("sam.schema.json")
	if err != nil {
		return fmt.Errorf("compile schema: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("template does not match the SAM schema: %w", err)
	}
	return nil
}

// Resources returns the template's resources by logical id, each as its
// decoded JSON object, for checks the schema cannot express.
func Resources(yamlSrc []byte) (map[string]map[string]any, error) {
	doc, err := TemplateJSON(yamlSrc)
	if err != nil {
		return nil, err
	}
	var t struct {
		Resources map[string]map[string]any
	}
	if err := json.Unmarshal(doc, &t); err != nil {
		return nil, fmt.Errorf("decode template JSON: %w", err)
	}
	return t.Resources, nil
}
