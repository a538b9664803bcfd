package dynamo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/csc-frontdoor/frontdoor/shared/decision"
	"github.com/csc-frontdoor/frontdoor/shared/followup"
	"github.com/csc-frontdoor/frontdoor/shared/referral"
	"github.com/csc-frontdoor/frontdoor/shared/stats"
)

var _ stats.Store = (*Store)(nil)

// byMonth calls fn with every ByMonth entry of the partitions prefix+month.
func (st *Store) byMonth(ctx context.Context, prefix string, months []string, fn func(map[string]types.AttributeValue) error) error {
	for _, m := range months {
		p := dynamodb.NewQueryPaginator(st.db, &dynamodb.QueryInput{
			TableName:                 &st.table,
			IndexName:                 aws.String(IndexByMonth),
			KeyConditionExpression:    aws.String("gsi3pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": s(prefix + m)},
		})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("query %s%s: %w", prefix, m, err)
			}
			for _, item := range out.Items {
				if err := fn(item); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ReferralFacts returns what the figures need of the referrals received in
// the months.
func (st *Store) ReferralFacts(ctx context.Context, months []string) ([]stats.Referral, error) {
	var out []stats.Referral
	err := st.byMonth(ctx, StatsReferrals, months, func(item map[string]types.AttributeValue) error {
		var raw struct {
			PK             string `dynamodbav:"pk"`
			ReceivedAt     string `dynamodbav:"receivedAt"`
			Source         string `dynamodbav:"referralSource"`
			FirstDecidedAt string `dynamodbav:"firstDecidedAt"`
			Decision       struct {
				Outcome     string `dynamodbav:"outcome"`
				PrimaryNeed string `dynamodbav:"primaryNeed"`
			} `dynamodbav:"decision"`
		}
		if err := attributevalue.UnmarshalMap(item, &raw); err != nil {
			return fmt.Errorf("decode referral facts: %w", err)
		}
		r := stats.Referral{
			ID: strings.TrimPrefix(raw.PK, referralPrefix), Source: raw.Source,
			NoFurtherAction: raw.Decision.Outcome == string(decision.NoFurtherAction), PrimaryNeed: raw.Decision.PrimaryNeed,
		}
		var err error
		if r.ReceivedAt, err = time.Parse(keyTime, raw.ReceivedAt); err != nil {
			return fmt.Errorf("decode receivedAt of referral facts: %w", err)
		}
		if r.FirstDecidedAt, err = optionalKeyTime(raw.FirstDecidedAt); err != nil {
			return fmt.Errorf("decode firstDecidedAt of referral facts: %w", err)
		}
		if sc, ok := item["screening"]; ok {
			var screening referral.Screening
			if err := formDecoder.Decode(sc, &screening); err != nil {
				return fmt.Errorf("decode screening of referral facts: %w", err)
			}
			due := screening.ScreeningDueAt
			r.ScreeningDueAt, r.ReReferral, r.DecisionOverdue = &due, screening.ReReferral, screening.OverdueAt != nil
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// FollowUpFacts returns what the figures need of the follow-ups whose clock
// started in the months.
func (st *Store) FollowUpFacts(ctx context.Context, months []string) ([]stats.FollowUp, error) {
	var out []stats.FollowUp
	err := st.byMonth(ctx, StatsFollowUps, months, func(item map[string]types.AttributeValue) error {
		var raw struct {
			Kind        followup.Kind   `json:"kind"`
			Status      followup.Status `json:"status"`
			StartAt     time.Time       `json:"startAt"`
			DueAt       time.Time       `json:"dueAt"`
			OverdueAt   *time.Time      `json:"overdueAt"`
			CompletedAt *time.Time      `json:"completedAt"`
			ArrivedAt   *time.Time      `json:"arrivedAt"`
		}
		if err := formDecoder.Decode(&types.AttributeValueMemberM{Value: item}, &raw); err != nil {
			return fmt.Errorf("decode follow-up facts: %w", err)
		}
		out = append(out, stats.FollowUp{
			Kind: raw.Kind, StartAt: raw.StartAt, DueAt: raw.DueAt, Status: raw.Status,
			CompletedAt: raw.CompletedAt, ArrivedAt: raw.ArrivedAt, Overdue: raw.OverdueAt != nil,
		})
		return nil
	})
	return out, err
}
