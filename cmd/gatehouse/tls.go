package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// tlsConfigFor returns nil for plain HTTP, or the TLS configuration the
// flags ask for.
func tlsConfigFor(f serveFlags) (*tls.Config, error) {
	var cert tls.Certificate
	var err error
	switch {
	case f.tlsCert != "":
		cert, err = tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
	case f.tlsSelfSigned:
		cert, err = selfSigned(dataDir(f.db), f.addr)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("TLS certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// selfSigned returns the self-signed certificate kept in dir/tls, making it
// on first use, so that clients that pin it (as they do with appliances)
// keep working across restarts. With no dir (PostgreSQL) it lives in memory.
func selfSigned(dir, addr string) (tls.Certificate, error) {
	var certPath, keyPath string
	if dir != "" {
		certPath, keyPath = filepath.Join(dir, "tls", "self-signed.crt"), filepath.Join(dir, "tls", "self-signed.key")
		if cert, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil {
			return cert, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return tls.Certificate{}, err
		}
	}
	certPEM, keyPEM, err := newSelfSigned(addr)
	if err != nil {
		return tls.Certificate{}, err
	}
	if dir != "" {
		if err := os.MkdirAll(filepath.Dir(certPath), 0o700); err != nil {
			return tls.Certificate{}, err
		}
		if err := writePrivate(keyPath, keyPEM); err != nil {
			return tls.Certificate{}, err
		}
		if err := os.WriteFile(certPath, certPEM, 0o644); err != nil {
			return tls.Certificate{}, err
		}
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

// writePrivate writes a file readable by its owner only (see createPrivate).
func writePrivate(path string, data []byte) error {
	f, finish, err := createPrivate(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return finish(err)
}

// newSelfSigned makes an ECDSA P-256 certificate valid for localhost, the
// loopback addresses, this host's name and the listen host.
func newSelfSigned(addr string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "gatehouse", Organization: []string{"Gatehouse self-signed"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		tmpl.DNSNames = append(tmpl.DNSNames, h)
	}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		if ip := net.ParseIP(host); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, host)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), nil
}

// fingerprint is the SHA-256 of a certificate, as clients pin it.
func fingerprint(cert tls.Certificate) string {
	if len(cert.Certificate) == 0 {
		return ""
	}
	sum := sha256.Sum256(cert.Certificate[0])
	return hex.EncodeToString(sum[:])
}
