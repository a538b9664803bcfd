package bench

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Phases is where the time of one submission goes, as means in
// milliseconds over N referrals sent one at a time with triage paused.
type Phases struct {
	N int `json:"n"`
	// Total is POST /referrals as the client saw it.
	Total float64 `json:"totalMs"`
	// Outside is what is not the function's: the HTTP API (its routing,
	// the request's event), the Runtime API hand-over and the client.
	Outside float64 `json:"outsideFunctionMs"`
	// Function is from the function taking the invocation to its answer.
	Function float64 `json:"functionMs"`
	// Calls are the function's calls to DynamoDB and SQS, each as seen
	// from its endpoint (the recorder's hop included).
	Calls []Call `json:"calls"`
	// Rest is the function's time outside those calls: decoding,
	// validating, marshalling, the SDK's own work, logging.
	Rest float64 `json:"restMs"`
}

// Call is one kind of call a submission makes.
type Call struct {
	Service   string  `json:"service"`
	Operation string  `json:"operation"`
	PerReq    float64 `json:"perSubmission"`
	Mean      float64 `json:"meanMs"`
}

// phasesAndCost starts the stack with its functions' DynamoDB and SQS
// calls going through recorders, then measures the phases of a submission
// and what referrals that make a follow-up use from submission to
// follow-up.
func phasesAndCost(ctx context.Context, o Options, typical, withFollowUp []byte) (Phases, Usage, error) {
	ddbRec, err := NewRecorder(true)
	if err != nil {
		return Phases{}, Usage{}, err
	}
	defer ddbRec.Close()
	sqsRec, err := NewRecorder(false)
	if err != nil {
		return Phases{}, Usage{}, err
	}
	defer sqsRec.Close()
	ddbPort, err := freePort()
	if err != nil {
		return Phases{}, Usage{}, err
	}
	sqsPort, err := freePort()
	if err != nil {
		return Phases{}, Usage{}, err
	}
	if err := ddbRec.SetTarget("http://127.0.0.1:" + strconv.Itoa(ddbPort)); err != nil {
		return Phases{}, Usage{}, err
	}
	if err := sqsRec.SetTarget("http://127.0.0.1:" + strconv.Itoa(sqsPort)); err != nil {
		return Phases{}, Usage{}, err
	}
	l, err := startLocal(ctx, o, "b", 4, ddbPort, sqsPort, map[string]string{
		"AWS_ENDPOINT_URL_DYNAMODB": ddbRec.URL(),
		"AWS_ENDPOINT_URL_SQS":      sqsRec.URL(),
	})
	if err != nil {
		return Phases{}, Usage{}, err
	}
	defer l.close()

	ph, err := phases(ctx, l, ddbRec, sqsRec, typical, o.Phases)
	if err != nil {
		return ph, Usage{}, err
	}
	u, err := cost(ctx, l, ddbRec, withFollowUp, o.Cost)
	return ph, u, err
}

// phases sends n referrals one at a time with triage paused.
func phases(ctx context.Context, l *local, ddbRec, sqsRec *Recorder, body []byte, n int) (Phases, error) {
	const fn = "SubmitReferralFunction"
	l.st.Pause("TriageFunction")
	defer l.st.Resume("TriageFunction")
	bodies, err := l.stream(body, n+20)
	if err != nil {
		return Phases{}, err
	}
	if _, err := Measure(ctx, 20, 1, l.submitOp(bodies[n:], "phases-warm")); err != nil {
		return Phases{}, err
	}
	ddbRec.Reset()
	sqsRec.Reset()
	before := l.st.Usage()[fn]
	lat, err := Measure(ctx, n, 1, l.submitOp(bodies[:n], "phases"))
	if err != nil {
		return Phases{}, err
	}
	use := l.st.Usage()[fn].Sub(before)
	if use.Invocations != int64(n) {
		return Phases{}, fmt.Errorf("bench: %d submissions made %d invocations of %s", n, use.Invocations, fn)
	}
	p := Phases{N: n, Total: lat.Mean, Function: ms(use.Duration / time.Duration(n))}
	p.Outside = round3(p.Total - p.Function)
	p.Rest = p.Function
	for service, rec := range map[string]*Recorder{"DynamoDB": ddbRec, "SQS": sqsRec} {
		for op, s := range rec.Ops() {
			c := Call{Service: service, Operation: op, PerReq: round2(float64(s.Count) / float64(n)), Mean: ms(s.Total / time.Duration(s.Count))}
			p.Calls = append(p.Calls, c)
			p.Rest -= ms(s.Total / time.Duration(n))
		}
	}
	p.Rest = round3(p.Rest)
	slices.SortFunc(p.Calls, func(a, b Call) int {
		return strings.Compare(a.Service+a.Operation, b.Service+b.Operation)
	})
	return p, nil
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// cost sends n referrals that make a follow-up, four at a time, waits for
// every follow-up and for the queues to empty, and counts what they used:
// DynamoDB's capacity as it reports it, every request the SQS emulator
// served (the pollers' receives and deletes included, the bench's own
// depth reads not), every function's invocations and billed time, and the
// HTTP API's requests.
func cost(ctx context.Context, l *local, ddbRec *Recorder, body []byte, n int) (Usage, error) {
	if err := l.drain(ctx, "TriageQueue"); err != nil {
		return Usage{}, err
	}
	ddbRec.Reset()
	sqsBefore := l.st.SQS().Requests()
	usageBefore := l.st.Usage()
	bodies, err := l.stream(body, n)
	if err != nil {
		return Usage{}, err
	}
	ids := make([]string, n)
	_, err = Measure(ctx, n, 4, func(ctx context.Context, i int) error {
		var err error
		ids[i], err = l.submit(ctx, bodies[i], "bench-cost-"+strconv.Itoa(i))
		return err
	})
	if err != nil {
		return Usage{}, err
	}
	if _, err := l.awaitFollowUps(ctx, ids); err != nil {
		return Usage{}, err
	}
	for _, q := range []string{"TriageQueue", "FollowUpQueue"} {
		if err := l.drain(ctx, q); err != nil {
			return Usage{}, err
		}
	}
	u := Usage{Referrals: n, APIRequests: int64(n), DynamoDBCalls: ddbRec.Ops()}
	for _, s := range u.DynamoDBCalls {
		u.WriteUnits += s.WriteUnits
		u.ReadUnits += s.ReadUnits
		if s.Unreported > 0 {
			return u, fmt.Errorf("bench: DynamoDB gave no consumed capacity for %d calls", s.Unreported)
		}
	}
	for action, k := range l.st.SQS().Requests() {
		if action != "GetQueueAttributes" {
			u.SQSRequests += k - sqsBefore[action]
		}
	}
	for fn, after := range l.st.Usage() {
		d := after.Sub(usageBefore[fn])
		u.Invocations += d.Invocations
		u.GBSeconds += d.GBSeconds(l.st.MemoryMB(fn))
	}
	return u, nil
}
