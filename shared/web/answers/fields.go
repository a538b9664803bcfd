package answers

import (
	"strconv"
	"strings"

	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/internal/lazyre"
	"github.com/csc-frontdoor/frontdoor/shared/web/draft"
)

// indexed matches a list's item in a field path: children[2].nhsNumber.
var indexed = lazyre.New(`^(children|household|professionals)\[(\d+)\](?:\.(.+))?$`)

// Place says on which page and at which form field a problem the
// referral's validation names by its JSON path is shown. A problem with a
// whole date is placed on the date input's prefix (dateOfBirth), one with a
// part of it on that part's field (dateOfBirth-month). The second result
// is false for a path no page asks for (a fault of ours: logged, and shown
// on check answers).
func Place(d *draft.Draft, path string) (FieldError, bool) {
	if m := indexed().FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[2])
		ids := d.Lists[m[1]]
		if i >= len(ids) {
			return FieldError{}, false
		}
		page := m[1] + "/" + ids[i]
		switch m[1] {
		case ListChildren:
			return FieldError{Page: page, Field: childField(m[3])}, true
		default:
			return FieldError{Page: page, Field: itemField(m[3])}, true
		}
	}
	section, rest, _ := strings.Cut(path, ".")
	rest, _, _ = strings.Cut(strings.SplitN(rest, "[", 2)[0], ".")
	switch section {
	case "referrer":
		return FieldError{Page: PageReferrer, Field: orFirst(rest, "name")}, true
	case "consent":
		return FieldError{Page: PageConsent, Field: orFirst(rest, "familyAware")}, true
	case "concerns":
		if rest == "immediateRisk" {
			return FieldError{Page: PageRisk, Field: "immediateRisk"}, true
		}
		return FieldError{Page: PageConcerns, Field: orFirst(rest, "categories")}, true
	case "missingEpisode":
		switch rest {
		case "", "wentMissingAt", "returnedAt":
			return FieldError{Page: PageMissing, Field: orFirst(rest, "wentMissingAt")}, true
		case "stillMissing":
			return FieldError{Page: PageMissing, Field: "returned"}, true
		}
		return FieldError{Page: PageMissing, Field: rest}, true
	case ListChildren, ListHousehold, ListProfessionals:
		return FieldError{Page: section, Field: "add"}, true
	}
	return FieldError{}, false
}

// childField is the form field of a child's JSON member.
func childField(member string) string {
	switch member {
	case "", "estimatedAge":
		if member == "" {
			return "born"
		}
		return member
	}
	if a, ok := strings.CutPrefix(member, "address."); ok {
		return "address" + strings.ToUpper(a[:1]) + a[1:]
	}
	if strings.HasPrefix(member, "currentLocation") {
		return "addressLine1"
	}
	return member
}

// itemField is the form field of a household member's or professional's
// JSON member.
func itemField(member string) string {
	switch member {
	case "":
		return "name"
	}
	return member
}

func orFirst(field, first string) string {
	if field == "" {
		return first
	}
	return field
}

// PlaceAll places each field problem of a validation error; problems no
// page asks for are returned apart.
func PlaceAll(d *draft.Draft, err error) (placed []FieldError, unplaced []apperr.FieldError) {
	e := apperr.As(err)
	if e == nil {
		return nil, nil
	}
	for _, f := range e.Fields {
		p, ok := Place(d, f.Field)
		if !ok {
			unplaced = append(unplaced, f)
			continue
		}
		p.Message = f.Message
		placed = append(placed, p)
	}
	return placed, unplaced
}
