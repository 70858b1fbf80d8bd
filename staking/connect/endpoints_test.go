package connect

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"
)

// TestDialRPCKeepsTheKeyOutOfErrors: over http(s) the key in the URL's
// path, query and userinfo reaches the endpoint on every request, but no
// error of the client can quote it, because the client only knows
// scheme://host.
func TestDialRPCKeepsTheKeyOutOfErrors(t *testing.T) {
	var mu sync.Mutex
	var got []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Clone(context.Background()))
		mu.Unlock()
		var req struct {
			ID json.RawMessage `json:"id"`
		}
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &req)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":` + string(req.ID) + `,"result":"0x539"}`))
	}))
	raw := strings.Replace(srv.URL, "http://", "http://user:PASSWORD@", 1) + "/v2/SECRETKEY?apikey=QUERYKEY"
	c, err := dialRPC(context.Background(), raw, func(err error) error { return err })
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	id, err := c.ChainID(context.Background())
	if err != nil || id.Uint64() != 1337 {
		t.Fatalf("chain id %v, %v", id, err)
	}
	mu.Lock()
	r := got[0]
	mu.Unlock()
	user, pw, ok := r.BasicAuth()
	if r.URL.Path != "/v2/SECRETKEY" || r.URL.Query().Get("apikey") != "QUERYKEY" || !ok || user != "user" || pw != "PASSWORD" {
		t.Fatalf("the endpoint got path %q, query %q, auth %q/%q (%v): want the whole URL", r.URL.Path, r.URL.RawQuery, user, pw, ok)
	}
	srv.Close()
	_, err = c.ChainID(context.Background())
	if err == nil {
		t.Fatal("a closed endpoint answered")
	}
	for _, secret := range []string{"SECRETKEY", "QUERYKEY", "PASSWORD"} {
		if strings.Contains(err.Error(), secret) {
			t.Fatalf("error %q quotes %s", err, secret)
		}
	}
}

func TestEndpointURLs(t *testing.T) {
	if got := URLs(" https://a.example/v2/K1 , ,wss://b.example/ws "); len(got) != 2 || got[0] != "https://a.example/v2/K1" || got[1] != "wss://b.example/ws" {
		t.Fatalf("URLs: %q", got)
	}
	for raw, want := range map[string]bool{"https://a.example/k": true, "ws://127.0.0.1:8546": true, "ftp://a.example": false, "a.example": false, "http://": false} {
		if ValidURL(raw) != want {
			t.Errorf("ValidURL(%q) = %v", raw, !want)
		}
	}
	if got := RedactURLs("https://u:pw@a.example/v2/KEY?x=1,http://127.0.0.1:8545"); got != "https://a.example,http://127.0.0.1:8545" {
		t.Fatalf("RedactURLs: %q", got)
	}
	if got := RedactURL("::bad"); got != "(invalid url)" {
		t.Fatalf("RedactURL of a bad URL: %q", got)
	}
}

// TestDialEndpointsNeedsOne: an empty list is refused; a failed dial names
// only scheme://host.
func TestDialEndpointsNeedsOne(t *testing.T) {
	if _, err := dialEndpoints(context.Background(), " , ", nil, func(err error) error { return err }, nopLogger()); err == nil {
		t.Fatal("no endpoint accepted")
	}
	_, err := dialEndpoints(context.Background(), "ws://127.0.0.1:1/SECRETKEY", nil, func(err error) error {
		return errors.New(strings.ReplaceAll(err.Error(), "SECRETKEY", "…"))
	}, nopLogger())
	if err == nil || strings.Contains(err.Error(), "SECRETKEY") || !strings.Contains(err.Error(), "ws://127.0.0.1:1") {
		t.Fatalf("dial error %v: want scheme://host and no key", err)
	}
}

func nopLogger() *zap.Logger { return zap.NewNop() }
