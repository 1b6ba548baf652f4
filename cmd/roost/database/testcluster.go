package database

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// TestEngineEnv chooses the engine of the stores that tests open with
// OpenTemp: unset or "sqlite" for a SQLite file, "postgres" for a fresh
// schema on a throwaway PostgreSQL cluster started once per test binary.
const TestEngineEnv = "ROOST_TEST_DATABASE"

// ErrNoPostgres says no PostgreSQL server binaries are installed.
var ErrNoPostgres = errors.New("PostgreSQL is not installed (Debian package postgresql)")

var testCluster struct {
	once sync.Once
	pg   *Postgres
	err  error
	n    int
	mu   sync.Mutex
}

// TestPostgres returns the test binary's throwaway PostgreSQL, starting it
// on first use: initdb and postgres from the Debian postgresql package, a
// data folder and socket in a temporary folder, a free loopback port. The
// cluster stops and its folder goes when the test binary exits, however it
// exits. PostgreSQL refuses to run as root, so under root it runs as the
// postgres user.
func TestPostgres() (*Postgres, error) {
	testCluster.once.Do(func() {
		testCluster.pg, testCluster.err = startTestCluster()
	})
	return testCluster.pg, testCluster.err
}

// TestSchema returns a schema name no other store of this test binary uses.
func TestSchema() string {
	testCluster.mu.Lock()
	defer testCluster.mu.Unlock()
	testCluster.n++
	return "test_" + strconv.Itoa(testCluster.n)
}

func startTestCluster() (*Postgres, error) {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		return nil, ErrNoPostgres
	}
	sort.Strings(bins)
	bin := filepath.Dir(bins[len(bins)-1])
	dir, err := os.MkdirTemp("", "roost-pg-")
	if err != nil {
		return nil, err
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("test postgres: running as root needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "roost", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("test postgres: initdb: %w: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	// The shell runs postgres until its standard input closes, which happens
	// when this process exits, then stops it and removes the folder.
	script := `"$1/postgres" -D "$2/data" -k "$2" -h 127.0.0.1 -p "$3" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 >"$2/log" 2>&1 &
pid=$!
cat >/dev/null
kill -INT $pid; wait $pid; rm -rf "$2"`
	cmd := exec.Command("/bin/sh", "-c", script, "sh", bin, dir, strconv.Itoa(port))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("test postgres: %w", err)
	}
	// The goroutine keeps the pipe's write end reachable, so it stays open
	// until the test binary exits.
	go func() { cmd.Wait(); stdin.Close() }()
	url := fmt.Sprintf("postgres://roost@127.0.0.1:%d/postgres?sslmode=disable&pool_max_conns=40", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		pg, err := OpenPostgres(ctx, url)
		cancel()
		if err == nil {
			return pg, nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			return nil, fmt.Errorf("test postgres did not start: %w: %s", err, log)
		}
		time.Sleep(100 * time.Millisecond)
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
