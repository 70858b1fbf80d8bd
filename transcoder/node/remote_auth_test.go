package node

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/opkit-dev/opkit/transcoder"
)

const nodeTestWorkerSecret = "node-test-worker-secret-0123456789"

// registerRaw opens a worker stream by hand, with secret; the body is
// closed at the end of the test.
func registerRaw(t *testing.T, base, secret, name string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/v1/workers/register", strings.NewReader(`{"name":"`+name+`","capacity":1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// realAnswer is a node's genuine answer to one segment, transcoded here
// with ladder: what a lying worker hands back as someone else's result.
type realAnswer struct {
	contentType string
	body        []byte
}

func answerOf(t *testing.T, stream string, seq int, seg []byte, ladder string) realAnswer {
	t.Helper()
	n := startNode(t, testNodeConfig(t), nil)
	resp := postSegment(t, n.base, stream, seq, seg, func(r *http.Request) { r.Header.Set(HeaderLadder, ladder) })
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("real answer: %s %v", resp.Status, err)
	}
	return realAnswer{resp.Header.Get("Content-Type"), body}
}

// postResult posts a as the result of job on worker, with token.
func postResult(base, worker string, job uint64, token string, a realAnswer) (int, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/v1/workers/"+worker+"/jobs/"+itoa(int(job)), bytes.NewReader(a.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+nodeTestWorkerSecret)
	req.Header.Set("Content-Type", a.contentType)
	req.Header.Set(HeaderJobToken, token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// rogueWorker registers and answers every job it gets with a, token and
// all: a worker lying about what it did.
func rogueWorker(t *testing.T, base string, a realAnswer) {
	resp := registerRaw(t, base, nodeTestWorkerSecret, "rogue")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("rogue registration: %s", resp.Status)
	}
	go func() { // ends when the test closes the stream
		dec := json.NewDecoder(resp.Body)
		var id string
		for {
			var m struct {
				Type, Worker, Token string
				Job                 uint64
			}
			if dec.Decode(&m) != nil {
				return
			}
			switch m.Type {
			case msgRegistered:
				id = m.Worker
			case msgJob:
				_, _ = postResult(base, id, m.Job, m.Token, a)
			}
		}
	}()
}

func TestRemoteClientSecretCannotRegisterWorker(t *testing.T) {
	n := orchestrator(t)
	if resp := registerRaw(t, n.base, nodeTestSecret, "intruder"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the client secret registered a worker: %s", resp.Status)
	}
	wantError(t, postSegment(t, n.base, "s", 0, []byte("x"), withAuth(nodeTestWorkerSecret)), http.StatusUnauthorized, "unauthorized")
	if n.Stats().Workers != 0 {
		t.Error("a worker registered")
	}
}

// TestRemoteForgedResultRefused: a registered worker that posts a result
// to another worker's job, guessing the ids, is refused without the job's
// token, and the client gets the real worker's answer.
func TestRemoteForgedResultRefused(t *testing.T) {
	segs := nodeSegments(t, 2)
	forged := answerOf(t, "s", 0, segs[1], nodeTestLadder)
	n := orchestrator(t)
	entered, release := make(chan struct{}), make(chan struct{})
	startWorker(t, n, "wa", func(_ context.Context, _ string, seq int) {
		close(entered)
		<-release
	})
	rogueWorker(t, n.base, forged) // registered, never given the stream
	got := postLater(n.base, "s", 0, segs[0])
	<-entered
	for worker := 1; worker <= 4; worker++ {
		for job := uint64(1); job <= 8; job++ {
			status, err := postResult(n.base, itoa(worker), job, "", forged)
			if err != nil || status == http.StatusNoContent {
				t.Errorf("forged result for worker %d job %d: %d %v, want it refused", worker, job, status, err)
			}
		}
	}
	close(release)
	r := readOK(t, awaitAnswer(t, got))
	checkRenditions(t, r, 0)
	if r.Renditions[0].SHA256 == answerOfHash(t, forged) || r.Result.Worker != "wa" {
		t.Errorf("the client got the forged answer (worker %q)", r.Result.Worker)
	}
}

func answerOfHash(t *testing.T, a realAnswer) string {
	t.Helper()
	r, err := ReadResponse(a.contentType, bytes.NewReader(a.body))
	if err != nil {
		t.Fatal(err)
	}
	return r.Renditions[0].SHA256
}

// TestRemoteResultMustMatchJob: a worker's result for another stream, seq
// or ladder than its job's is refused (502) and never reaches the client.
func TestRemoteResultMustMatchJob(t *testing.T) {
	segs := nodeSegments(t, 2)
	for name, a := range map[string]realAnswer{
		"other stream":     answerOf(t, "x", 0, segs[0], nodeTestLadder),
		"other seq":        answerOf(t, "s", 1, segs[0], nodeTestLadder),
		"other ladder":     answerOf(t, "s", 0, segs[0], transcoder.P144p30fps16x9),
		"renditions order": answerOf(t, "s", 0, segs[0], transcoder.P144p30fps16x9+","+transcoder.P240p30fps16x9),
	} {
		t.Run(name, func(t *testing.T) {
			n := orchestrator(t)
			rogueWorker(t, n.base, a)
			wantError(t, postSegment(t, n.base, "s", 0, segs[0]), http.StatusBadGateway, "bad_worker_result")
		})
	}
}
