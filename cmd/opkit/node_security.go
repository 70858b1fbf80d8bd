package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/transcoder/node"
)

// Flag names of the node's worker secret and certificate, and of the
// transcoder's CA.
const (
	flagNodeWorkerSecret = "worker-secret-file"
	flagNodeVerifierSec  = "verifier-secret-file"
	flagNodeTLSCert      = "tls-cert"
	flagNodeTLSKey       = "tls-key"
	flagWorkerTLSCA      = "tls-ca"
)

// maxCAFileBytes bounds the --tls-ca file read.
const maxCAFileBytes = 1 << 20

// nodeSecurityConfig is what the node's worker secret and TLS flags fill.
type nodeSecurityConfig struct {
	workerSecretFile, verifierSecretFile, tlsCert, tlsKey string
}

// validate checks the flags without reading the files.
func (c nodeSecurityConfig) validate(maxSessions int) error {
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return fmt.Errorf("--%s and --%s go together", flagNodeTLSCert, flagNodeTLSKey)
	}
	if maxSessions == 0 && c.workerSecretFile == "" {
		return fmt.Errorf("--%s 0 (a pure orchestrator) needs --%s: the secret remote workers register with", flagNodeMaxSessions, flagNodeWorkerSecret)
	}
	return nil
}

func nodeSecurityFlags(env func(string) []string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagNodeWorkerSecret, Usage: "file holding the secret remote opkit transcoder workers register with (not the clients' --secret-file; required with --max-sessions 0; without it no worker can register)", EnvVars: env(flagNodeWorkerSecret)},
		&cli.StringFlag{Name: flagNodeVerifierSec, Usage: "file holding the secret `opkit verifier --node` fetches kept segments with, under /v1/archive/ (needs --claims-db; not the clients' or workers' secret); without it the archive is not served", EnvVars: env(flagNodeVerifierSec)},
		&cli.StringFlag{Name: flagNodeTLSCert, Usage: "PEM certificate (chain) file: serve HTTPS (TLS 1.2+) instead of HTTP; with --tls-key", EnvVars: env(flagNodeTLSCert)},
		&cli.StringFlag{Name: flagNodeTLSKey, Usage: "PEM private key file of --tls-cert", EnvVars: env(flagNodeTLSKey)},
	}
}

func nodeSecurityConfigFrom(c *cli.Context) nodeSecurityConfig {
	return nodeSecurityConfig{workerSecretFile: c.String(flagNodeWorkerSecret), verifierSecretFile: c.String(flagNodeVerifierSec),
		tlsCert: c.String(flagNodeTLSCert), tlsKey: c.String(flagNodeTLSKey)}
}

// apply reads the worker secret and the certificate into ncfg.
func (c nodeSecurityConfig) apply(ncfg *node.Config, log *zap.Logger) error {
	if c.workerSecretFile != "" {
		secret, err := readSecretFile(c.workerSecretFile, log)
		if err != nil {
			return fmt.Errorf("--%s: %w", flagNodeWorkerSecret, err)
		}
		ncfg.WorkerSecret = secret
	}
	if c.verifierSecretFile != "" {
		secret, err := readSecretFile(c.verifierSecretFile, log)
		if err != nil {
			return fmt.Errorf("--%s: %w", flagNodeVerifierSec, err)
		}
		ncfg.VerifierSecret = secret
	}
	if c.tlsCert == "" {
		return nil
	}
	cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
	if err != nil {
		return fmt.Errorf("--%s %s, --%s %s: %w", flagNodeTLSCert, c.tlsCert, flagNodeTLSKey, c.tlsKey, err)
	}
	ncfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	return nil
}

// errNoCACert: the --tls-ca file holds no PEM certificate.
var errNoCACert = errors.New("no PEM certificate")

// loadTLSRoots reads a CA file given with --flag: the CAs trusted for an
// https:// peer instead of the system's. nil for "".
func loadTLSRoots(flag, path string) (*x509.CertPool, error) {
	if path == "" {
		return nil, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	if !st.Mode().IsRegular() || st.Size() > maxCAFileBytes {
		return nil, fmt.Errorf("--%s %s: want a regular file of at most %d bytes", flag, path, maxCAFileBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("--%s %s: %w", flag, path, errNoCACert)
	}
	return pool, nil
}
