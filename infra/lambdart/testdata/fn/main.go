// Command fn is a Lambda function for the lambdart tests: what it does
// depends on the payload's "do" field.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type request struct {
	Do  string `json:"do"`
	Env string `json:"env"`
	Ms  int    `json:"ms"`
}

type response struct {
	PID       int    `json:"pid"`
	RequestID string `json:"requestId"`
	Env       string `json:"env"`
	Function  string `json:"function"`
	Deadline  bool   `json:"deadline"`
}

func handle(ctx context.Context, r request) (response, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	_, hasDeadline := ctx.Deadline()
	resp := response{PID: os.Getpid(), Env: os.Getenv(r.Env), Function: lambdacontext.FunctionName, Deadline: hasDeadline}
	if lc != nil {
		resp.RequestID = lc.AwsRequestID
	}
	switch r.Do {
	case "fail":
		return resp, errors.New("asked to fail")
	case "sleep":
		time.Sleep(time.Duration(r.Ms) * time.Millisecond)
	case "exit":
		os.Exit(3)
	case "log":
		fmt.Println("line one")
		fmt.Fprintln(os.Stderr, "line two")
	}
	return resp, nil
}

func main() {
	if os.Getenv("FAIL_INIT") != "" {
		fmt.Fprintln(os.Stderr, "cannot start")
		os.Exit(1)
	}
	lambda.Start(handle)
}
