package bench

import "math"

// Prices are on-demand prices in US dollars for Europe (London),
// eu-west-2, beyond any free tier. PricesAsOf says when they were read
// from the pages below: check them there before quoting a figure.
//
//   - DynamoDB on-demand, Standard table class:
//     https://aws.amazon.com/dynamodb/pricing/on-demand/
//   - SQS standard queues: https://aws.amazon.com/sqs/pricing/
//   - Lambda on Arm (Graviton2): https://aws.amazon.com/lambda/pricing/
//   - API Gateway HTTP APIs, first 300 million a month:
//     https://aws.amazon.com/api-gateway/pricing/
type Prices struct {
	WriteRequestUnit float64 `json:"dynamodbWriteRequestUnit"`
	ReadRequestUnit  float64 `json:"dynamodbReadRequestUnit"`
	SQSRequest       float64 `json:"sqsRequest"`
	LambdaRequest    float64 `json:"lambdaRequest"`
	LambdaGBSecond   float64 `json:"lambdaArmGBSecond"`
	HTTPAPIRequest   float64 `json:"httpApiRequest"`
}

// PricesAsOf is when London's prices were read.
const PricesAsOf = "2026-12-03"

// London is eu-west-2's prices, each per single unit.
var London = Prices{
	WriteRequestUnit: 0.7425 / 1e6,
	ReadRequestUnit:  0.1485 / 1e6,
	SQSRequest:       0.40 / 1e6,
	LambdaRequest:    0.20 / 1e6,
	LambdaGBSecond:   0.0000133334,
	HTTPAPIRequest:   1.11 / 1e6,
}

// Usage is what a number of referrals used, from submission to follow-up.
type Usage struct {
	Referrals int `json:"referrals"`
	// WriteUnits and ReadUnits are DynamoDB's capacity units as reported
	// (a transaction's items count double).
	WriteUnits float64 `json:"writeUnits"`
	ReadUnits  float64 `json:"readUnits"`
	// SQSRequests counts every request to SQS: sends, receives, deletes.
	SQSRequests int64 `json:"sqsRequests"`
	// Invocations and GBSeconds are Lambda's: each invocation's billed
	// milliseconds times its function's memory.
	Invocations int64   `json:"invocations"`
	GBSeconds   float64 `json:"gbSeconds"`
	// APIRequests counts requests to the HTTP API.
	APIRequests int64 `json:"apiRequests"`
	// DynamoDBCalls is every DynamoDB operation made, with its capacity.
	DynamoDBCalls map[string]OpStats `json:"dynamodbCalls"`
}

// Cost is a referral's cost at Prices, in dollars, by service.
type Cost struct {
	DynamoDB   float64 `json:"dynamodb"`
	SQS        float64 `json:"sqs"`
	Lambda     float64 `json:"lambda"`
	APIGateway float64 `json:"apiGateway"`
	Total      float64 `json:"total"`
}

// PerReferral is u's cost of one referral at p.
func (u Usage) PerReferral(p Prices) Cost {
	if u.Referrals == 0 {
		return Cost{}
	}
	n := float64(u.Referrals)
	c := Cost{
		DynamoDB:   (u.WriteUnits*p.WriteRequestUnit + u.ReadUnits*p.ReadRequestUnit) / n,
		SQS:        float64(u.SQSRequests) * p.SQSRequest / n,
		Lambda:     (float64(u.Invocations)*p.LambdaRequest + u.GBSeconds*p.LambdaGBSecond) / n,
		APIGateway: float64(u.APIRequests) * p.HTTPAPIRequest / n,
	}
	c.Total = c.DynamoDB + c.SQS + c.Lambda + c.APIGateway
	return c
}

// sig rounds f to 3 significant figures, for the table.
func sig(f float64) float64 {
	if f == 0 {
		return 0
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(f))))
	return math.Round(f*p) / p
}
