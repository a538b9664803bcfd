package apperr

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestFieldNames(t *testing.T) {
	named := WithFields("two problems", []FieldError{{Field: "b", Message: "x"}, {Field: "a", Message: "y"}})
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"nil", nil, nil},
		{"another error", errors.New("boom"), nil},
		{"no fields", New(Conflict, "changed"), nil},
		{"in order", named, []string{"b", "a"}},
		{"wrapped", fmt.Errorf("decide: %w", named), []string{"b", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FieldNames(tt.err); !slices.Equal(got, tt.want) {
				t.Errorf("FieldNames = %v, want %v", got, tt.want)
			}
		})
	}
}
