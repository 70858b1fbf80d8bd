package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/transcoder/node"
)

func TestNodeAndTranscoderFlagsHaveOneEnvVar(t *testing.T) {
	checkEnvPrefix(t, "OPKIT_NODE_", nodeFlags(defaultNodeConfig()))
	checkEnvPrefix(t, "OPKIT_TRANSCODER_", workerFlags(defaultWorkerConfig()))
}

func TestNodeConfigValidate(t *testing.T) {
	good := defaultNodeConfig()
	good.secretFile = "/etc/opkit/secret"
	if err := good.Validate(); err != nil {
		t.Fatalf("defaults with --secret-file: %v", err)
	}
	tests := []struct {
		name string
		edit func(*nodeConfig)
		want string
	}{
		{"no secret", func(c *nodeConfig) { c.secretFile = "" }, "--secret-file is required"},
		{"bad listen", func(c *nodeConfig) { c.listen = "8935" }, "--listen"},
		{"bad ladder", func(c *nodeConfig) { c.ladder = "P9000p" }, "--ladder"},
		{"no inflight", func(c *nodeConfig) { c.maxInflight = 0 }, "--max-inflight"},
		{"short retry", func(c *nodeConfig) { c.retryAfter = time.Millisecond }, "--retry-after"},
		{"no drain", func(c *nodeConfig) { c.drainTimeout = 0 }, "--drain-timeout"},
		{"no segment deadline", func(c *nodeConfig) { c.segmentTimeout = 0 }, "--segment-timeout"},
		{"bad preset", func(c *nodeConfig) { c.engine.preset = "fastest" }, "--preset"},
		{"bad audio", func(c *nodeConfig) { c.engine.audio = "mute" }, "--audio"},
		{"cert without key", func(c *nodeConfig) { c.security.tlsCert = "/etc/opkit/node.crt" }, "--tls-key"},
		{"orchestrator without worker secret", func(c *nodeConfig) { c.maxSessions, c.security.workerSecretFile = 0, "" }, "--worker-secret-file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.edit(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
	pure := good
	pure.maxSessions, pure.security.workerSecretFile = 0, "/etc/opkit/worker.secret"
	if err := pure.Validate(); err != nil {
		t.Errorf("--max-sessions 0 (pure orchestrator): %v", err)
	}
}

func TestWorkerConfigValidate(t *testing.T) {
	good := defaultWorkerConfig()
	good.orchestrator, good.secretFile = "http://10.0.0.1:8935", "/etc/opkit/secret"
	if err := good.Validate(); err != nil {
		t.Fatalf("defaults with --orchestrator and --secret-file: %v", err)
	}
	for name, edit := range map[string]func(*workerConfig){
		"no orchestrator": func(c *workerConfig) { c.orchestrator = "" },
		"not a URL":       func(c *workerConfig) { c.orchestrator = "10.0.0.1:8935" },
		"no secret":       func(c *workerConfig) { c.secretFile = "" },
		"no capacity":     func(c *workerConfig) { c.capacity = 0 },
		"CA for http":     func(c *workerConfig) { c.tlsCA = "/etc/opkit/ca.pem" },
	} {
		t.Run(name, func(t *testing.T) {
			c := good
			edit(&c)
			if err := c.Validate(); err == nil {
				t.Error("accepted")
			}
		})
	}
	if got := sanitizeName("..gpu box#1.example"); got != "gpu-box-1.example" {
		t.Errorf("sanitizeName: %q", got)
	}
}

func TestReadSecretFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	log := zaptest.NewLogger(t)
	secret, err := readSecretFile(write("ok", "  correct-horse-battery-staple\n"), log)
	if err != nil || string(secret) != "correct-horse-battery-staple" {
		t.Fatalf("got %q, %v", secret, err)
	}
	short := "tiny-secret"
	_, err = readSecretFile(write("short", short+"\n"), log)
	if err == nil || strings.Contains(err.Error(), short) {
		t.Errorf("short secret: %v (must fail without echoing it)", err)
	}
	if _, err := readSecretFile(filepath.Join(dir, "missing"), log); err == nil {
		t.Error("missing file accepted")
	}
	if _, err := readSecretFile(dir, log); err == nil {
		t.Error("directory accepted")
	}
}

func TestNodeCommandRefusesBadSetup(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short")
	if err := os.WriteFile(short, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"node without secret":      {"opkit", "node"},
		"node with a short secret": {"opkit", "node", "--secret-file", short, "--listen", "127.0.0.1:0"},
		"transcoder without URL":   {"opkit", "transcoder", "--secret-file", short},
		"transcoder, short secret": {"opkit", "transcoder", "--secret-file", short, "--orchestrator", "http://127.0.0.1:1"},
	} {
		t.Run(name, func(t *testing.T) {
			err := newApp().Run(args)
			if err == nil || exitCode(err) != 2 {
				t.Errorf("got %v (exit %d), want exit status 2", err, exitCode(err))
			}
		})
	}
}

// writeTestCert writes a self-signed certificate for 127.0.0.1 and its key
// as PEM files; the certificate is also the CA a transcoder trusts.
func writeTestCert(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("node.crt", "CERTIFICATE", der), write("node.key", "PRIVATE KEY", keyDER)
}

func TestNodeSecurityFiles(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeTestCert(t, dir)
	ca := cert
	workerSecret := filepath.Join(dir, "worker.secret")
	if err := os.WriteFile(workerSecret, []byte("worker-secret-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var ncfg node.Config
	sec := nodeSecurityConfig{workerSecretFile: workerSecret, tlsCert: cert, tlsKey: key}
	if err := sec.apply(&ncfg, zaptest.NewLogger(t)); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if string(ncfg.WorkerSecret) != "worker-secret-0123456789" || ncfg.TLS == nil || len(ncfg.TLS.Certificates) != 1 {
		t.Fatalf("worker secret %d bytes, TLS %v", len(ncfg.WorkerSecret), ncfg.TLS)
	}
	roots, err := loadTLSRoots(flagWorkerTLSCA, ca)
	if err != nil {
		t.Fatalf("--tls-ca: %v", err)
	}
	leaf, err := x509.ParseCertificate(ncfg.TLS.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("the node's certificate does not verify against --tls-ca: %v", err)
	}
	if _, err := loadTLSRoots(flagWorkerTLSCA, key); err == nil {
		t.Error("--tls-ca of a key file accepted")
	}
	bad := nodeSecurityConfig{tlsCert: cert, tlsKey: cert}
	if err := bad.apply(&node.Config{}, zaptest.NewLogger(t)); err == nil || !strings.Contains(err.Error(), "--tls-key") {
		t.Errorf("a certificate as the key: %v, want an error naming --tls-key", err)
	}
}
