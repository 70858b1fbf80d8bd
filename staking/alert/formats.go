package alert

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Format encodes an alert as the JSON body a destination expects.
type Format func(Alert) ([]byte, error)

// FormatJSON is the generic webhook body: the Alert itself.
func FormatJSON(a Alert) ([]byte, error) { return json.Marshal(a) }

// Text is the one-paragraph, human-readable form of an alert used by chat
// destinations.
func (a Alert) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "opkit %s", a.Kind)
	if a.Round != 0 {
		fmt.Fprintf(&b, " (round %d)", a.Round)
	}
	if a.Account != "" {
		fmt.Fprintf(&b, " account %s", a.Account)
	}
	b.WriteString(": ")
	b.WriteString(a.Message)
	if a.Tx != "" {
		fmt.Fprintf(&b, " tx %s", a.Tx)
	}
	return b.String()
}

// Limits of the chat services' message texts (Telegram counts UTF-8
// characters after entity parsing, Discord characters of content).
const (
	telegramMaxText = 4096
	discordMaxText  = 2000
)

// truncate cuts s to at most n characters, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// telegramMessage is the body of the Bot API's sendMessage.
type telegramMessage struct {
	ChatID                string `json:"chat_id"`
	Text                  string `json:"text"`
	DisableWebPagePreview bool   `json:"disable_web_page_preview"`
}

// FormatTelegram returns the sendMessage body for chatID (a numeric id or
// an @channel name). The text is plain (no parse_mode), so nothing in an
// error message can break the markup.
func FormatTelegram(chatID string) Format {
	return func(a Alert) ([]byte, error) {
		return json.Marshal(telegramMessage{ChatID: chatID, Text: truncate(a.Text(), telegramMaxText), DisableWebPagePreview: true})
	}
}

// discordMessage is the body of an execute-webhook call. Mentions are
// disabled: a message quoting "@everyone" must not ping a server.
type discordMessage struct {
	Content         string          `json:"content"`
	Username        string          `json:"username,omitempty"`
	AllowedMentions discordMentions `json:"allowed_mentions"`
}

type discordMentions struct {
	Parse []string `json:"parse"`
}

// FormatDiscord is the execute-webhook body.
func FormatDiscord(a Alert) ([]byte, error) {
	return json.Marshal(discordMessage{Content: truncate(a.Text(), discordMaxText), Username: "opkit",
		AllowedMentions: discordMentions{Parse: []string{}}})
}

// DefaultTelegramAPI is the Bot API's base URL.
const DefaultTelegramAPI = "https://api.telegram.org"

// ErrInvalidTelegram is returned for an unusable bot token or chat id.
var ErrInvalidTelegram = errors.New("alert: invalid Telegram bot token or chat id")

// TelegramConfig configures alerts to a Telegram chat through a bot.
type TelegramConfig struct {
	// Token is the bot token from @BotFather (a secret: never logged).
	Token  string
	ChatID string
	// APIBase replaces DefaultTelegramAPI (tests, a local Bot API server).
	APIBase string
	Redact  func(string) string
}

// NewTelegram returns a Webhook that sends alerts as messages of a bot.
func NewTelegram(cfg TelegramConfig, base WebhookConfig) (*Webhook, error) {
	if cfg.Token == "" || strings.ContainsAny(cfg.Token, "/?#@ ") || cfg.ChatID == "" {
		return nil, ErrInvalidTelegram
	}
	api := cfg.APIBase
	if api == "" {
		api = DefaultTelegramAPI
	}
	base.URL = strings.TrimRight(api, "/") + "/bot" + url.PathEscape(cfg.Token) + "/sendMessage"
	base.Format = FormatTelegram(cfg.ChatID)
	base.Redact = cfg.Redact
	return NewWebhook(base)
}

// NewDiscord returns a Webhook that posts alerts to a Discord channel
// webhook URL (a secret: never logged).
func NewDiscord(webhookURL string, base WebhookConfig) (*Webhook, error) {
	base.URL, base.Format = webhookURL, FormatDiscord
	return NewWebhook(base)
}

// Multi raises every alert on each of its sinks.
type Multi []Sink

var _ Sink = Multi(nil)

func (m Multi) Raise(a Alert) {
	for _, s := range m {
		s.Raise(a)
	}
}
