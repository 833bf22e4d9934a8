// Package pgtest gives tests a real PostgreSQL database of their own: a
// fresh, empty database created for the test on a server and dropped when
// it ends.
//
// A package's TestMain hands Run the value of SOWHAT_TEST_POSTGRES:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, os.Getenv(pgtest.EnvServer))) }
//
// The server is the one it names (a postgres:// URL of a role that may
// create databases; .ci/run starts one and sets it). When it is empty, the
// first test that asks starts a throwaway server itself, from initdb and
// pg_ctl on PATH or under /usr/lib/postgresql/*/bin (as the postgres user
// when the tests run as root), and Run stops it after the tests. With
// neither, a test that asks fails: PostgreSQL is the production database,
// and its tests are not skipped in silence. SOWHAT_TEST_POSTGRES=off skips
// them, saying so, on a machine without PostgreSQL.
//
// It is for tests only; nothing in the binary imports it. It does not
// import package data, so data's own tests use it.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver the store uses
)

// EnvServer names the server tests create their databases on.
const EnvServer = "SOWHAT_TEST_POSTGRES"

var (
	ran     bool   // Run was called
	given   string // SOWHAT_TEST_POSTGRES, as Run was given it
	once    sync.Once
	srvURL  string
	srvErr  error
	started *server // the server this process started, if any
)

// URL returns the URL of a new, empty database for t, dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	return create(t, "template0")
}

// EachDialect runs f as two subtests, sqlite and postgres, each with the
// DSN of a fresh, empty database: a file in the subtest's temporary
// folder, or a database of its own from URL.
func EachDialect(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "sowhat.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, URL(t)) })
}

// templates are the databases Copy built, by key, dropped by Run.
var (
	tmplMu    sync.Mutex
	templates = map[string]*template{}
)

type template struct {
	once sync.Once
	name string
	err  error
}

// Copy returns the URL of a new database for t, dropped when t ends,
// holding what build wrote into the database at the URL it was given. The
// first Copy of a key runs build, once per test binary; the others copy its
// database (CREATE DATABASE … TEMPLATE), which is quick. build must close
// every connection it opened to the database before returning.
func Copy(t testing.TB, key string, build func(url string) error) string {
	t.Helper()
	base := serverURL(t)
	tmplMu.Lock()
	tm := templates[key]
	if tm == nil {
		tm = &template{name: "sowhat_template_" + randomHex(6)}
		templates[key] = tm
	}
	tmplMu.Unlock()
	tm.once.Do(func() {
		if tm.err = exec1(base, `CREATE DATABASE `+tm.name+` TEMPLATE template0 ENCODING 'UTF8'`); tm.err == nil {
			tm.err = build(withDatabase(base, tm.name))
		}
	})
	if tm.err != nil {
		t.Fatalf("pgtest: build %s: %v", key, tm.err)
	}
	return create(t, tm.name)
}

// exec1 runs one statement on the server's maintenance database.
func exec1(base, q string) error {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.Exec(q)
	return err
}

// create creates a database for t from the template and drops it when t
// ends.
func create(t testing.TB, from string) string {
	t.Helper()
	base := serverURL(t)
	name := "sowhat_test_" + randomHex(6)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("pgtest: open %s: %v", redact(base), err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + from + ` ENCODING 'UTF8'`); err != nil {
		t.Fatalf("pgtest: create database on %s: %v", redact(base), err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return withDatabase(base, name)
}

// serverURL is the server's URL, starting one the first time when
// SOWHAT_TEST_POSTGRES is not set.
func serverURL(t testing.TB) string {
	t.Helper()
	if !ran {
		t.Fatal("pgtest: call pgtest.Run from the package's TestMain")
	}
	v := given
	if v == "off" {
		t.Skipf("pgtest: %s=off: the PostgreSQL half of this test is not run", EnvServer)
	}
	if v != "" {
		return v
	}
	once.Do(func() { started, srvErr = start(); srvURL = started.url() })
	if srvErr != nil {
		t.Fatalf("pgtest: no PostgreSQL to test against (%v): set %s to a postgres:// URL of a server the tests may create databases on, install PostgreSQL (initdb, pg_ctl), or set %s=off to skip these tests", srvErr, EnvServer, EnvServer)
	}
	return srvURL
}

// Run runs the tests with server as the value of SOWHAT_TEST_POSTGRES and
// stops the server it started for them, if it started one; it returns the
// tests' exit code.
func Run(m *testing.M, server string) int {
	ran, given = true, server
	code := m.Run()
	if given != "" && given != "off" { // a server this process did not start keeps no template
		for _, tm := range templates {
			exec1(given, `DROP DATABASE IF EXISTS `+tm.name+` WITH (FORCE)`) //nolint:errcheck // a leftover template harms no test
		}
	}
	if started != nil {
		started.stop()
	}
	return code
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "a URL that does not parse"
	}
	return u.Redacted()
}

// server is a throwaway PostgreSQL: a data directory in a temporary
// folder, listening on a loopback port.
type server struct {
	dir, bin string
	port     int
	as       *user.User // run as this user (nil: as ourselves)
}

func (s *server) url() string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf("postgres://sowhat@127.0.0.1:%d/postgres?sslmode=disable", s.port)
}

// start runs initdb and pg_ctl start.
func start() (*server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &server{bin: bin}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		if s.as, err = user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root and there is no postgres user to run PostgreSQL as: %w", err)
		}
	}
	if s.dir, err = os.MkdirTemp("", "sowhat-pgtest-"); err != nil {
		return nil, err
	}
	if err := s.chown(s.dir); err != nil {
		return nil, err
	}
	if s.port, err = freePort(); err != nil {
		return nil, err
	}
	data := filepath.Join(s.dir, "data")
	if out, err := s.run("initdb", "-D", data, "-U", "sowhat", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		os.RemoveAll(s.dir)
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	opts := fmt.Sprintf("-h 127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", s.port, s.dir)
	if out, err := s.run("pg_ctl", "-D", data, "-l", filepath.Join(s.dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		os.RemoveAll(s.dir)
		return nil, fmt.Errorf("pg_ctl start: %w: %s", err, out)
	}
	return s, nil
}

func (s *server) stop() {
	s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop") //nolint:errcheck // removed below either way
	os.RemoveAll(s.dir)
}

// run runs one of PostgreSQL's programs, as the postgres user when set.
func (s *server) run(prog string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, prog), args...)
	cmd.Dir = s.dir
	if s.as != nil {
		uid, _ := strconv.Atoi(s.as.Uid)
		gid, _ := strconv.Atoi(s.as.Gid)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	}
	return cmd.CombinedOutput()
}

func (s *server) chown(path string) error {
	if s.as == nil {
		return nil
	}
	uid, _ := strconv.Atoi(s.as.Uid)
	gid, _ := strconv.Atoi(s.as.Gid)
	return os.Chown(path, uid, gid)
}

// findBin finds the folder holding initdb and pg_ctl.
func findBin() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "initdb")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- { // the newest version last in order
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("no initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
