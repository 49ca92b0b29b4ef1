package ldaptest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// adSchema gives entries the attributes that Active Directory identifies
// accounts by, with Microsoft's OIDs, through an auxiliary class.
const adSchema = `attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
	EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
	SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName'
	EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
	SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.55555.1.1 NAME 'adAccount' AUXILIARY
	MAY ( sAMAccountName $ userPrincipalName ) )
`

// slapdConf is slapd.conf with %[1]s the server's directory and %[2]s its
// TLS settings. Passwords are readable by no one, as in a real directory.
const slapdConf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include %[1]s/ad.schema
pidfile %[1]s/slapd.pid
argsfile %[1]s/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
%[2]s
access to attrs=userPassword by anonymous auth by * none
access to * by * read
database mdb
suffix "` + BaseDN + `"
rootdn "` + AdminDN + `"
rootpw ` + AdminPassword + `
directory %[1]s/db
dbnosync
`

// process is a running slapd.
type process struct {
	port, ldapsPort int
	cmd             *exec.Cmd
	exited          chan struct{} // closed when slapd ends
}

// launch writes a configuration into dir and starts slapd on it.
func launch(dir string, certPEM, keyPEM []byte) (*process, error) {
	var tlsConf string
	files := map[string][]byte{"ad.schema": []byte(adSchema)}
	if certPEM != nil {
		files["cert.pem"], files["key.pem"] = certPEM, keyPEM
		tlsConf = fmt.Sprintf("TLSCertificateFile %[1]s/cert.pem\nTLSCertificateKeyFile %[1]s/key.pem", dir)
	}
	files["slapd.conf"] = []byte(fmt.Sprintf(slapdConf, dir, tlsConf))
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return nil, err
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		return nil, err
	}
	// A port found free may be taken before slapd binds it; try again.
	var err error
	for range 3 {
		var p *process
		if p, err = run(dir, certPEM != nil); err == nil {
			return p, nil
		}
	}
	return nil, err
}

func run(dir string, ldaps bool) (*process, error) {
	p := &process{exited: make(chan struct{})}
	var err error
	if p.port, err = freePort(); err != nil {
		return nil, err
	}
	urls := fmt.Sprintf("ldap://127.0.0.1:%d/", p.port)
	if ldaps {
		if p.ldapsPort, err = freePort(); err != nil {
			return nil, err
		}
		urls += fmt.Sprintf(" ldaps://127.0.0.1:%d/", p.ldapsPort)
	}
	// "-d none" keeps slapd in the foreground, logging only what matters,
	// such as configuration errors.
	p.cmd = exec.Command(slapdPath, "-d", "none", "-f", filepath.Join(dir, "slapd.conf"), "-h", urls)
	var log bytes.Buffer
	p.cmd.Stdout, p.cmd.Stderr = &log, &log
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	if err := p.waitReady(10 * time.Second); err != nil {
		p.stop()
		return nil, fmt.Errorf("%v\nslapd log:\n%s", err, strings.TrimSpace(log.String()))
	}
	return p, nil
}

// waitReady polls until the administrator can bind.
func (p *process) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		conn, err := ldap.DialURL(fmt.Sprintf("ldap://127.0.0.1:%d", p.port),
			ldap.DialWithDialer(&net.Dialer{Timeout: time.Second}))
		if err == nil {
			err = conn.Bind(AdminDN, AdminPassword)
			conn.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case <-p.exited:
			return errors.New("slapd exited during start-up")
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("slapd not ready after %v: %v", limit, err)
		}
	}
}

// stop asks slapd to shut down, killing it if it lingers.
func (p *process) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
