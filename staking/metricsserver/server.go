// Package metricsserver owns the small HTTP server that opkit's staking and
// claims commands answer /metrics (and their status pages) on: started on a
// listener the command opened, and stopped at once, whatever a scraper left
// open.
package metricsserver

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"go.uber.org/zap"
)

// grace is how long Stop lets answers being written finish. A scrape is
// answered in milliseconds; what is still open after this is a connection
// that has sent no request, which http.Server.Shutdown would otherwise wait
// five seconds on.
const grace = time.Second

// Server serves one handler on one listener until Stop.
type Server struct {
	srv  *http.Server
	addr string
	done chan struct{}
}

// Start serves h on ln. Errors after the start are logged, as the command
// goes on without its metrics.
func Start(ln net.Listener, h http.Handler, log *zap.Logger) *Server {
	s := &Server{
		srv:  &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second},
		addr: ln.Addr().String(),
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", zap.Error(err))
		}
	}()
	log.Info("serving metrics", zap.String("addr", s.addr))
	return s
}

// Addr is the address being served.
func (s *Server) Addr() string { return s.addr }

// Stop closes the listener, lets answers being written finish for at most
// a second, closes every connection left and returns once the server has
// stopped. Connections closed at the deadline are not an error.
func (s *Server) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.srv.Close()
	}
	<-s.done
	return err
}
