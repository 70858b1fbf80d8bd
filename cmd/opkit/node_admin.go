package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/txmgr"
	"github.com/opkit-dev/opkit/transcoder/node"
)

// Flags of `opkit node` for changes at run time.
const (
	flagNodeConfigFile  = "config-file"
	flagNodeAdminSecret = "admin-secret-file"
)

const (
	// maxRuntimeConfigBytes bounds the config file and a POST body.
	maxRuntimeConfigBytes = 4 << 10
	// priceSendTimeout bounds the wait for a setPricePerSegment to be
	// mined; below the node's write timeout, so the answer still goes out.
	priceSendTimeout = 3 * time.Minute
)

// Errors of a runtime change; the admin endpoint maps each to a status.
var (
	// errRuntimeConfig: the file or body is not a valid runtime config;
	// nothing changed (400 bad_config).
	errRuntimeConfig = errors.New("invalid runtime config")
	// errPriceNoChain: a price was given to a node without a chain
	// connection; nothing changed (400 no_chain).
	errPriceNoChain = errors.New("price_per_segment_wei is set on chain: start the node with chain flags and --claims-db")
	// errPriceRefused: the chain does not take the price now (not a
	// registered transcoder, a raise in the lock period, a revert) (409).
	errPriceRefused = errors.New("price change refused")
)

// nodeAdminConfig is what the runtime-change flags fill.
type nodeAdminConfig struct {
	configFile, secretFile string
}

func nodeAdminFlags(env func(string) []string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagNodeConfigFile, Usage: `JSON ` + "`FILE`" + ` {"max_sessions": N, "max_inflight": N, "price_per_segment_wei": "WEI"} (each optional): its limits win over the flags at start; on SIGHUP the node re-reads it and applies it live (a bad file changes nothing); the price is sent on chain only then, and only when it differs`, EnvVars: env(flagNodeConfigFile)},
		&cli.StringFlag{Name: flagNodeAdminSecret, Usage: "file holding the operator's bearer secret for GET/POST /admin/config (live limits and price); differs from the client and worker secrets; without it /admin/ is 404", EnvVars: env(flagNodeAdminSecret)},
	}
}

func nodeAdminConfigFrom(c *cli.Context) nodeAdminConfig {
	return nodeAdminConfig{configFile: c.String(flagNodeConfigFile), secretFile: c.String(flagNodeAdminSecret)}
}

// nodeAdmin applies runtime changes to a running node: the config file on
// SIGHUP, and POST /admin/config.
type nodeAdmin struct {
	file   string // "": no config file
	secret []byte // nil: no admin endpoint
	price  *chainPrice
	log    *zap.Logger

	mu   sync.Mutex // one change at a time
	node *node.Node // set by attach, before serving; then only read
}

// newNodeAdmin reads the admin secret and the config file. The file's
// limits go into ncfg (they win over the flags); its price needs a chain
// (receipts with a connection). With a secret, ncfg serves the endpoint.
func newNodeAdmin(cfg nodeAdminConfig, ncfg *node.Config, receipts *nodeReceipts, log *zap.Logger) (*nodeAdmin, error) {
	a := &nodeAdmin{file: cfg.configFile, log: log.Named("admin")}
	if receipts != nil && receipts.env != nil {
		a.price = &chainPrice{env: receipts.env}
	}
	if cfg.secretFile != "" {
		secret, err := readSecretFile(cfg.secretFile, log)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", flagNodeAdminSecret, err)
		}
		for _, other := range [][]byte{ncfg.Secret, ncfg.WorkerSecret} {
			if subtle.ConstantTimeCompare(secret, other) == 1 {
				return nil, fmt.Errorf("--%s: the admin secret must differ from the client and worker secrets", flagNodeAdminSecret)
			}
		}
		a.secret = secret
		ncfg.Admin = a.handler()
	}
	if a.file == "" {
		return a, nil
	}
	rc, err := readRuntimeConfig(a.file)
	if err != nil {
		return nil, err
	}
	if rc.PricePerSegmentWei != nil && a.price == nil {
		return nil, fmt.Errorf("--%s %s: %w", flagNodeConfigFile, a.file, errPriceNoChain)
	}
	l := rc.limits(node.Limits{LocalSessions: ncfg.LocalSessions, MaxInflight: ncfg.MaxInflight})
	ncfg.LocalSessions, ncfg.MaxInflight = l.LocalSessions, l.MaxInflight
	return a, nil
}

// attach gives the admin the node it changes; call it before the node
// serves and before watch.
func (a *nodeAdmin) attach(n *node.Node) { a.node = n }

// watch re-reads the config file on every SIGHUP until ctx ends or stop is
// called; stop waits for a reload in progress. Without a config file a
// SIGHUP is logged and changes nothing: its default action would end the
// node with segments in flight.
func (a *nodeAdmin) watch(ctx context.Context) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-sigs:
				if a.file == "" {
					a.log.Warn("SIGHUP without --" + flagNodeConfigFile + ": nothing to re-read; nothing changed")
					continue
				}
				_ = a.reload(ctx)
			}
		}
	}()
	return func() {
		cancel()
		<-done
		signal.Stop(sigs)
	}
}

// reload reads the config file and applies it; a bad file changes nothing.
// The outcome is logged.
func (a *nodeAdmin) reload(ctx context.Context) error {
	log := a.log.With(zap.String("file", a.file))
	rc, err := readRuntimeConfig(a.file)
	if err == nil {
		var v adminView
		if v, err = a.apply(ctx, rc); err == nil {
			fields := []zap.Field{zap.Int("max_sessions", v.LocalSessions), zap.Int("max_inflight", v.MaxInflight)}
			if v.PricePerSegmentWei != nil {
				fields = append(fields, zap.Stringer("price_per_segment_wei", &v.PricePerSegmentWei.Int))
			}
			log.Info("config file applied", fields...)
			return nil
		}
	}
	var pe *partialError
	if errors.As(err, &pe) {
		log.Error("config file applied in part: the limits, not the price", zap.Error(err))
	} else {
		log.Error("config file not applied: nothing changed", zap.Error(err))
	}
	return err
}

// adminView is the answer of GET and POST /admin/config.
type adminView struct {
	node.Limits
	// PricePerSegmentWei is the price on chain; absent without a chain.
	PricePerSegmentWei *weiAmount `json:"price_per_segment_wei,omitempty"`
	// PriceTx is the setPricePerSegment this change sent and saw mined.
	PriceTx *sentTx `json:"price_tx,omitempty"`
}

// partialError: the limits were applied, the price was not.
type partialError struct{ err error }

func (e *partialError) Error() string {
	return "max_sessions and max_inflight applied; the price was not: " + e.err.Error()
}
func (e *partialError) Unwrap() error { return e.err }

// apply makes rc the node's settings. Everything that can be checked first
// is (values, limits, the chain's rules for the price), so a refused change
// changes nothing; the price is sent last, only when it differs from the
// chain's, and a failure to send it comes as a *partialError.
func (a *nodeAdmin) apply(ctx context.Context, rc runtimeConfig) (adminView, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if rc.PricePerSegmentWei != nil && a.price == nil {
		return adminView{}, errPriceNoChain
	}
	var cand *txmgr.Candidate
	if rc.PricePerSegmentWei != nil {
		var err error
		if cand, err = a.price.prepare(ctx, &rc.PricePerSegmentWei.Int); err != nil {
			return adminView{}, err
		}
	}
	if err := a.node.SetLimits(rc.limits(a.node.Limits())); err != nil {
		return adminView{}, err
	}
	v := adminView{Limits: a.node.Limits(), PricePerSegmentWei: rc.PricePerSegmentWei}
	if cand == nil {
		return a.withPrice(ctx, v)
	}
	sctx, cancel := context.WithTimeout(ctx, priceSendTimeout)
	defer cancel()
	tx, err := a.price.send(sctx, *cand)
	if err != nil {
		return v, &partialError{err: err}
	}
	a.log.Info("price per segment set on chain", zap.Stringer("price_wei", &rc.PricePerSegmentWei.Int),
		zap.Stringer("tx", tx.Hash), zap.Uint64("block", tx.Block))
	v.PriceTx = tx
	return v, nil
}

// withPrice fills v's price from the chain when there is one.
func (a *nodeAdmin) withPrice(ctx context.Context, v adminView) (adminView, error) {
	if a.price == nil {
		return v, nil
	}
	p, err := a.price.get(ctx)
	if err != nil {
		return v, err
	}
	v.PricePerSegmentWei = &weiAmount{Int: *p}
	return v, nil
}

// handler serves GET and POST /admin/config behind the admin secret.
func (a *nodeAdmin) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/config", func(w http.ResponseWriter, r *http.Request) {
		// Not under mu: a price change being mined does not hold up reads.
		v, err := a.withPrice(r.Context(), adminView{Limits: a.node.Limits()})
		a.answer(w, r, v, err)
	})
	mux.HandleFunc("POST /admin/config", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRuntimeConfigBytes))
		if err != nil {
			a.answer(w, r, adminView{}, fmt.Errorf("%w: read the body: %w", errRuntimeConfig, err))
			return
		}
		rc, err := parseRuntimeConfig(body)
		if err != nil {
			a.answer(w, r, adminView{}, err)
			return
		}
		v, err := a.apply(r.Context(), rc)
		a.answer(w, r, v, err)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.authorized(r) {
			a.log.Warn("admin request without the admin secret", zap.String("remote", r.RemoteAddr), zap.String("path", r.URL.Path))
			writeAdminError(w, http.StatusUnauthorized, "unauthorized", errors.New("missing or wrong admin bearer token"))
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// authorized compares r's bearer token with the admin secret in constant
// time (over SHA-256 digests, so the length does not leak either).
func (a *nodeAdmin) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || len(a.secret) == 0 {
		return false
	}
	x, y := sha256.Sum256([]byte(tok)), sha256.Sum256(a.secret)
	return subtle.ConstantTimeCompare(x[:], y[:]) == 1
}

// answer writes v, or err's status and code with the error body the
// segment API uses.
func (a *nodeAdmin) answer(w http.ResponseWriter, r *http.Request, v adminView, err error) {
	if err == nil {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
		return
	}
	status, code := adminStatus(err)
	a.log.Warn("admin change refused or failed", zap.String("method", r.Method), zap.Int("status", status), zap.Error(err))
	writeAdminError(w, status, code, err)
}

// adminStatus maps a runtime change's error to its HTTP status and code.
func adminStatus(err error) (int, string) {
	switch {
	case errors.Is(err, errRuntimeConfig), errors.Is(err, node.ErrBadLimits):
		return http.StatusBadRequest, "bad_config"
	case errors.Is(err, errPriceNoChain):
		return http.StatusBadRequest, "no_chain"
	case errors.Is(err, errPriceRefused):
		return http.StatusConflict, "price_refused"
	case errors.Is(err, txmgr.ErrNotConfirmed), errors.Is(err, txmgr.ErrGasPriceAboveCap), errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, "price_pending"
	}
	return http.StatusBadGateway, "chain_error"
}

func writeAdminError(w http.ResponseWriter, status int, code string, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": redactErr(err).Error(), "code": code})
}

// chainPrice reads and sets the node account's price per segment on chain,
// through the node's one transaction manager.
type chainPrice struct{ env *chainEnv }

// get reads the account's price.
func (p *chainPrice) get(ctx context.Context) (*big.Int, error) {
	t, err := p.env.Client.Transcoder(ctx, p.env.From)
	if err != nil {
		return nil, fmt.Errorf("read the price per segment: %w", err)
	}
	return t.PricePerSegment, nil
}

// prepare checks that the chain takes price now and returns its
// setPricePerSegment; nil when the chain already has that price.
func (p *chainPrice) prepare(ctx context.Context, price *big.Int) (*txmgr.Candidate, error) {
	t, err := p.env.Client.Transcoder(ctx, p.env.From)
	if err != nil {
		return nil, fmt.Errorf("read the transcoder: %w", err)
	}
	if t.PricePerSegment != nil && t.PricePerSegment.Cmp(price) == 0 {
		return nil, nil
	}
	if !t.Registered {
		return nil, fmt.Errorf("%w: %s is not a registered transcoder (run `opkit stake register` first)", errPriceRefused, p.env.From)
	}
	r, err := p.env.Client.Round(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the round: %w", err)
	}
	if r.Locked && t.PricePerSegment != nil && price.Cmp(t.PricePerSegment) > 0 {
		return nil, fmt.Errorf("%w: round %d is locked: the price may only go down (it is %s wei) until round %d begins",
			errPriceRefused, r.Current, t.PricePerSegment, r.Current+1)
	}
	cand, err := p.env.Client.SetPricePerSegment(price)
	if err != nil {
		return nil, err
	}
	return &cand, nil
}

// send sends cand and waits for it to be mined. A revert (at estimation
// or mined) is errPriceRefused, with the chain's reason.
func (p *chainPrice) send(ctx context.Context, cand txmgr.Candidate) (*sentTx, error) {
	tx, err := p.env.send(ctx, cand)
	if errors.Is(err, txmgr.ErrEstimateGas) || errors.Is(err, txmgr.ErrReverted) {
		return nil, fmt.Errorf("%w: %w", errPriceRefused, err)
	}
	return tx, err
}
