package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// cluster is a throwaway PostgreSQL server in a temporary directory,
// tuned for tests: no fsync, local trust authentication, TCP on 127.0.0.1
// only.
type cluster struct {
	dir    string
	port   int
	cmd    *exec.Cmd
	exited chan struct{} // closed when the server process ends
}

func (c *cluster) dsn() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

func (c *cluster) logPath() string { return filepath.Join(c.dir, "postgres.log") }

func startCluster() (*cluster, error) {
	bin, err := binaries()
	if err != nil {
		return nil, err
	}
	attr, chown, err := runAs()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "gatehouse-pgtest-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir}
	if err := chown(dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := initdb(bin, filepath.Join(dir, "data"), attr); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// A port found free may be taken before the server binds it; try again.
	for range 3 {
		if err = c.start(bin, attr); err == nil {
			return c, nil
		}
	}
	os.RemoveAll(dir)
	return nil, err
}

// initdb creates the cluster. Its databases sort text by ICU's en-US rules
// where the server supports ICU, as production databases commonly do by
// libc's, so that code which forgets the schema's COLLATE "C" fails here.
func initdb(bin, data string, attr *syscall.SysProcAttr) error {
	args := []string{"-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"}
	var out []byte
	for _, locale := range [][]string{{"--locale-provider=icu", "--icu-locale=en-US"}, nil} {
		os.RemoveAll(data)
		cmd := exec.Command(filepath.Join(bin, "initdb"), append(args, locale...)...)
		cmd.SysProcAttr = attr
		var err error
		if out, err = cmd.CombinedOutput(); err == nil {
			return nil
		}
	}
	return fmt.Errorf("initdb failed:\n%s", out)
}

func (c *cluster) start(bin string, attr *syscall.SysProcAttr) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	logFile, err := os.Create(c.logPath())
	if err != nil {
		return err
	}
	defer logFile.Close()
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", filepath.Join(c.dir, "data"),
		"-p", strconv.Itoa(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="+c.dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200")
	c.cmd.SysProcAttr = attr
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	if err := c.cmd.Start(); err != nil {
		return err
	}
	c.exited = make(chan struct{})
	go func() {
		_ = c.cmd.Wait()
		close(c.exited)
	}()
	if err := c.waitReady(30 * time.Second); err != nil {
		c.stop()
		return fmt.Errorf("%v\nserver log:\n%s", err, c.logTail())
	}
	return nil
}

// waitReady polls until the server accepts connections.
func (c *cluster) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, c.dsn())
		cancel()
		if err == nil {
			return conn.Close(context.Background())
		}
		select {
		case <-c.exited:
			return errors.New("postgres exited during start-up")
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres not ready after %v: %v", limit, err)
		}
	}
}

// stop shuts the server down fast (SIGINT), killing it if it lingers.
func (c *cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		_ = c.cmd.Process.Signal(os.Interrupt)
		select {
		case <-c.exited:
		case <-time.After(10 * time.Second):
			_ = c.cmd.Process.Kill()
			<-c.exited
		}
	}
	os.RemoveAll(c.dir)
}

func (c *cluster) logTail() string {
	b, _ := os.ReadFile(c.logPath())
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// binaries finds the directory of initdb and postgres: the newest version
// under /usr/lib/postgresql (Debian's layout), else PATH.
func binaries() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	initdb, err := exec.LookPath("initdb")
	if err != nil {
		return "", errors.New("no initdb under /usr/lib/postgresql/*/bin or on PATH")
	}
	return filepath.Dir(initdb), nil
}

// version reads the major version out of /usr/lib/postgresql/<v>/bin.
func version(dir string) int {
	v, _ := strconv.Atoi(strings.Split(filepath.ToSlash(dir), "/")[4])
	return v
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
