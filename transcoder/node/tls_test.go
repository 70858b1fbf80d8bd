package node

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// testCertificate makes a CA and a server certificate for 127.0.0.1 signed
// by it: the server's TLS config, and the pool that trusts the CA.
func testCertificate(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "opkit test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// TestNodeTLSWithRemoteWorker: a node with a certificate serves its
// clients and its workers over HTTPS only; a worker that does not trust
// the certificate cannot register.
func TestNodeTLSWithRemoteWorker(t *testing.T) {
	srvTLS, roots := testCertificate(t)
	cfg := testNodeConfig(t)
	cfg.LocalSessions, cfg.TLS = 0, srvTLS
	n := startNode(t, cfg, nil)
	plain := n.base
	n.base = "https://" + strings.TrimPrefix(plain, "http://")
	startWorker(t, n, "wt", nil, func(c *WorkerConfig) { c.TLSRoots = roots })
	client := &http.Client{Transport: workerTransport(roots)}
	defer client.CloseIdleConnections()
	seg := nodeSegments(t, 1)[0]
	resp, err := client.Do(segmentRequest(n.base, "s", 0, seg))
	if err != nil {
		t.Fatalf("segment over HTTPS: %v", err)
	}
	defer resp.Body.Close()
	r := readOK(t, resp)
	checkRenditions(t, r, 0)
	if r.Result.Worker != "wt" {
		t.Errorf("segment ran on %q, want the TLS worker wt", r.Result.Worker)
	}
	if resp, err := http.DefaultClient.Do(segmentRequest(plain, "s", 1, seg)); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP to the TLS node: %s, want it refused", resp.Status)
		}
	}
	w, err := NewWorker(WorkerConfig{Orchestrator: n.base, Secret: []byte(nodeTestWorkerSecret), Name: "untrusting",
		Capacity: 1, Engine: testEngine(), SessionIdle: time.Minute, Backoff: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.serve(context.Background()); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("worker without the CA: %v, want a certificate error", err)
	}
}
