package daemon

import (
	"context"
	"errors"
	"fmt"

	"github.com/opkit-dev/opkit/staking/alert"
	"github.com/opkit-dev/opkit/staking/reward"
)

// buildAlerts builds a sender for each configured alert destination and the
// dead-man pinger; Run runs them.
func (d *Daemon) buildAlerts() (alert.Sink, error) {
	base := alert.WebhookConfig{Redact: d.cfg.AlertRedact, Logger: d.cfg.Logger}
	var sinks alert.Multi
	add := func(wh *alert.Webhook, err error, what string) error {
		if err != nil {
			return fmt.Errorf("%s alerts: %w", what, err)
		}
		d.webhooks = append(d.webhooks, wh)
		sinks = append(sinks, wh)
		return nil
	}
	if d.cfg.AlertWebhook != "" {
		cfg := base
		cfg.URL = d.cfg.AlertWebhook
		wh, err := alert.NewWebhook(cfg)
		if err := add(wh, err, "webhook"); err != nil {
			return nil, err
		}
	}
	if d.cfg.AlertTelegramToken != "" || d.cfg.AlertTelegramChat != "" {
		tg := alert.TelegramConfig{Token: d.cfg.AlertTelegramToken, ChatID: d.cfg.AlertTelegramChat,
			APIBase: d.cfg.AlertTelegramAPI, Redact: d.cfg.AlertRedact}
		wh, err := alert.NewTelegram(tg, base)
		if err := add(wh, err, "Telegram"); err != nil {
			return nil, err
		}
	}
	if d.cfg.AlertDiscordURL != "" {
		wh, err := alert.NewDiscord(d.cfg.AlertDiscordURL, base)
		if err := add(wh, err, "Discord"); err != nil {
			return nil, err
		}
	}
	if d.cfg.DeadManURL != "" {
		dm, err := alert.NewDeadMan(d.cfg.DeadManURL, 0, d.cfg.Logger)
		if err != nil {
			return nil, err
		}
		d.deadman = dm
	}
	if len(sinks) == 0 {
		return alert.Discard{}, nil
	}
	return sinks, nil
}

// onOutcome pings the dead-man monitor for every round duty that ended
// (not for one cut short by shutdown) and passes the outcome on.
func (d *Daemon) onOutcome(round uint64, o reward.Outcome, err error) {
	if d.deadman != nil && !errors.Is(err, context.Canceled) {
		d.deadman.Ping(err == nil && o.Fulfilled())
	}
	if d.cfg.OnOutcome != nil {
		d.cfg.OnOutcome(round, o, err)
	}
}
