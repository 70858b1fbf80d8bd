package reward

import (
	"context"
	"fmt"
)

// RunOnce is one check-and-call for cron: it reads the current round,
// initializes it if allowed and needed, and calls reward() unless the reward
// is already on chain or the transcoder is not active. It retries transient
// failures until ctx ends (give it a timeout) or the round ends. A round
// nobody initialized, with initializing not allowed, is a final outcome.
func (s *Service) RunOnce(ctx context.Context) (Outcome, error) {
	st, err := s.cfg.Chain.RoundState(ctx, nil)
	if err != nil {
		return OutcomeUnknown, fmt.Errorf("read round state: %w", err)
	}
	s.cfg.Metrics.SetCurrentRound(st.Round)
	o, err := s.runRound(ctx, st.Round, nil, true)
	if err != nil {
		return o, fmt.Errorf("round %d: %w", st.Round, err)
	}
	return o, nil
}
