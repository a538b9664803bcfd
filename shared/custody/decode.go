package custody

import (
	"github.com/csc-frontdoor/frontdoor/shared/apperr"
	"github.com/csc-frontdoor/frontdoor/shared/strictjson"
)

// Decode reads a custody request from a request body. It is strict: the
// body must be at most MaxBody bytes and exactly one JSON object; every
// member name must be a field of the request, spelt with the same case, and
// appear once in its object; every value must have the field's type.
// Nothing may follow the object but white space.
//
// A body over MaxBody gives an *apperr.Error with code apperr.TooLarge; a
// body that breaks the other rules gives one with code apperr.Malformed.
// Problems with individual members (unknown, repeated or of the wrong type)
// are all listed as field errors, each naming the member by its path, such
// as "detainee.estimatedAge". No message repeats any part of the body.
func Decode(body []byte) (*Request, error) {
	if len(body) > MaxBody {
		return nil, apperr.New(apperr.TooLarge, "The request body is over %d KiB. A custody request is much smaller than that: shorten the free-text answers.", MaxBody>>10)
	}
	return strictjson.Decode[Request](body, strictjson.Form{What: "custody request", FieldOf: "the custody request"})
}
