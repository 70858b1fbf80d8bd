package rpcfault_test

import (
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/contracts/devnet/rpcfault"
)

// A client's transport may dial a connection it never sends a request on
// (a spare dial that lost the race to an idle connection). The server counts
// such a connection as active for five seconds; Close must not wait on it,
// nor call the stop a failure.
func TestCloseDoesNotWaitOnAConnectionWithoutARequest(t *testing.T) {
	p, err := rpcfault.New("http://127.0.0.1:1", big.NewInt(1), 1)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", p.URL()[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(50 * time.Millisecond) // the server has accepted it
	start := time.Now()
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %v", d)
	}
	// The connection is gone: a read sees EOF or a reset, not a timeout.
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); err == nil {
		t.Fatal("connection still open after Close")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("connection still open after Close")
	}
}
