package sqslocal

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// TestRequestsCountsEachAction: every request is counted once under its
// action, across a Disconnect and Reconnect.
func TestRequestsCountsEachAction(t *testing.T) {
	s, err := Start(0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	client := sqs.New(sqs.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(s.Endpoint()),
	})
	ctx := t.Context()
	q, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("Counted")})
	if err != nil {
		t.Fatal(err)
	}
	send := func() {
		t.Helper()
		if _, err := client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String("id")}); err != nil {
			t.Fatal(err)
		}
	}
	send()
	send()
	if err := s.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if err := s.Reconnect(); err != nil {
		t.Fatal(err)
	}
	send()
	if _, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10}); err != nil {
		t.Fatal(err)
	}
	got := s.Requests()
	want := map[string]int64{"CreateQueue": 1, "SendMessage": 3, "ReceiveMessage": 1}
	for action, n := range want {
		if got[action] != n {
			t.Errorf("Requests()[%q] = %d, want %d (all: %v)", action, got[action], n, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Requests() = %v, want only %v", got, want)
	}
}
