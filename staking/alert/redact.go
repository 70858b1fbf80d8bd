package alert

import (
	"net/url"
	"regexp"
)

// urlInText finds URLs in free text: a scheme, "://" and what follows up
// to a space or a quote.
var urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)

// StripURLSecrets cuts every URL in text down to scheme://host: RPC
// providers put API keys in the path (/v2/KEY), the query (?apikey=KEY) or
// the userinfo, and error text quotes the URL it failed on.
func StripURLSecrets(text string) string {
	return urlInText.ReplaceAllStringFunc(text, func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return "(url)"
		}
		return u.Scheme + "://" + u.Host
	})
}
