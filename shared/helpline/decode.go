package helpline

import (
	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// Decode reads a call from a request body. It is strict: the body must be
// at most MaxBody bytes and exactly one JSON object; every member name must
// be a field of the call form, spelt with the same case, and appear once in
// its object; every value must have the field's type. Nothing may follow the
// object but white space.
//
// A body over MaxBody gives an *apperr.Error with code apperr.TooLarge; a
// body that breaks the other rules gives one with code apperr.Malformed,
// listing every member at fault by its path, such as "caller.anonymous". No
// message repeats any part of the body.
func Decode(body []byte) (*Call, error) {
	if len(body) > MaxBody {
		return nil, apperr.New(apperr.TooLarge,
			"The request body is over %d KiB. A helpline call is much smaller than that: shorten the account of the advice given.", MaxBody>>10)
	}
	return strictjson.Decode[Call](body, strictjson.Form{What: "helpline call", FieldOf: "the helpline call form"})
}
