// Command minimal is the least aws-lambda-go function: the bench measures
// its cold start beside the functions' as their floor.
package main

import "github.com/aws/aws-lambda-go/lambda"

func main() { lambda.Start(func() (string, error) { return "ok", nil }) }
