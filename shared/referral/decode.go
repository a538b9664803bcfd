package referral

import "github.com/csc-frontdoor/frontdoor/shared/strictjson"

// Decode reads a referral from a request body. It is strict: the body must
// be exactly one JSON object; every member name must be a field of the form,
// spelt with the same case, and appear once in its object; every value must
// have the field's type. Nothing may follow the object but white space.
//
// A body that breaks these rules gives an *apperr.Error with code
// apperr.Malformed. Problems with individual members (unknown, repeated or
// of the wrong type) are all listed as field errors, each naming the member
// by its path, such as "children[0].estimatedAge". No message repeats any
// part of the body.
func Decode(body []byte) (*Referral, error) {
	return strictjson.Decode[Referral](body, strictjson.Form{What: "referral", FieldOf: "the referral form"})
}
