package metricsserver_test

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/staking/metricsserver"
)

func start(t *testing.T, h http.Handler) *metricsserver.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return metricsserver.Start(ln, h, zaptest.NewLogger(t))
}

func TestServesUntilStop(t *testing.T) {
	s := start(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "up 1\n") }))
	resp, err := http.Get("http://" + s.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "up 1\n" {
		t.Fatalf("body %q", b)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := http.Get("http://" + s.Addr() + "/metrics"); err == nil {
		t.Fatal("still serving after Stop")
	}
}

// A scraper's transport can leave a connection it never sent a request on;
// Stop must neither wait five seconds on it nor report it as a failure.
func TestStopDoesNotWaitOnAConnectionWithoutARequest(t *testing.T) {
	s := start(t, http.NotFoundHandler())
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(50 * time.Millisecond) // accepted
	begin := time.Now()
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if took := time.Since(begin); took > 3*time.Second {
		t.Fatalf("Stop took %v", took)
	}
}

// A scrape still being answered at Stop gets its answer.
func TestStopLetsAnAnswerFinish(t *testing.T) {
	entered := make(chan struct{})
	s := start(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		time.Sleep(200 * time.Millisecond)
		_, _ = io.WriteString(w, "late 1\n")
	}))
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + s.Addr() + "/metrics")
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-entered
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if b := <-got; b != "late 1\n" {
		t.Fatalf("answer %q", b)
	}
}
