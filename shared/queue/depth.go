package queue

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/csc-frontdoor/frontdoor/shared/sweep"
)

var _ sweep.DeadLetters = (*Monitor)(nil)

// AttributesAPI is the part of the SQS client the monitor uses.
type AttributesAPI interface {
	GetQueueAttributes(ctx context.Context, in *sqs.GetQueueAttributesInput, opts ...func(*sqs.Options)) (*sqs.GetQueueAttributesOutput, error)
}

// Monitor reads queue depths.
type Monitor struct {
	client AttributesAPI
	urls   map[string]string
}

// NewMonitor watches the queues at urls, by name.
func NewMonitor(client AttributesAPI, urls map[string]string) *Monitor {
	return &Monitor{client: client, urls: urls}
}

// Depths returns the number of messages waiting on each queue.
func (m *Monitor) Depths(ctx context.Context) (map[string]int, error) {
	out := make(map[string]int, len(m.urls))
	var errs []error
	for name, url := range m.urls {
		a, err := m.client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
			QueueUrl:       &url,
			AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameApproximateNumberOfMessages},
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("depth of %s: %w", name, err))
			continue
		}
		n, err := strconv.Atoi(a.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessages)])
		if err != nil {
			errs = append(errs, fmt.Errorf("depth of %s: %w", name, err))
			continue
		}
		out[name] = n
	}
	return out, errors.Join(errs...)
}
