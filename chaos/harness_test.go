package chaos

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/data/pgtest"
)

// binary is the sowhat built for the suite.
var binary string

// asOf is the demo data's "today".
var asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	if testing.Short() {
		fmt.Println("chaos: skipped in -short mode")
		return 0
	}
	dir, err := os.MkdirTemp("", "sowhat-chaos")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "sowhat")
	build := exec.Command("go", "build", "-o", binary, "github.com/sowhat-ai/sowhat/cmd/sowhat")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "chaos: build sowhat:", err)
		return 1
	}
	fullDisk = filepath.Join(dir, "fulldisk.so")
	cc := exec.Command("cc", "-shared", "-fPIC", "-O2", "-o", fullDisk, "testdata/fulldisk.c", "-ldl")
	cc.Stdout, cc.Stderr = os.Stdout, os.Stderr
	if err := cc.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "chaos: build the full-disk library (a C compiler is needed, as for SQLite):", err)
		return 1
	}
	if demoTemplate, err = buildDemo(filepath.Join(dir, "demo.db")); err != nil {
		fmt.Fprintln(os.Stderr, "chaos: build the demo database:", err)
		return 1
	}
	return pgtest.Run(m, os.Getenv(pgtest.EnvServer))
}

var demoTemplate string

// fullDisk is the LD_PRELOAD library that fills the disk (testdata/fulldisk.c).
var fullDisk string

func buildDemo(path string) (string, error) {
	ctx := context.Background()
	st, err := data.Open(ctx, path)
	if err != nil {
		return "", err
	}
	if _, err := demo.Generate(ctx, st, asOf); err != nil {
		st.Close()
		return "", err
	}
	return path, st.Close()
}

// demoPostgres returns the URL of a fresh PostgreSQL database holding the
// demo data, on the tests' server (see data/pgtest).
func demoPostgres(t testing.TB) string {
	t.Helper()
	return pgtest.Copy(t, "chaos-demo", func(url string) error {
		_, err := buildDemo(url)
		return err
	})
}

// demoDB copies the demo database into a fresh folder of the test's.
func demoDB(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(demoTemplate)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sowhat.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// logBuffer collects a process's output.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// proc is a running sowhat.
type proc struct {
	t    testing.TB
	name string
	cmd  *exec.Cmd
	addr string
	out  *logBuffer
	done chan struct{}
	err  error
}

// start runs sowhat with args and the environment env (on top of a clean
// one: no .env file, the demo's date pinned).
func start(t testing.TB, name string, env map[string]string, args ...string) *proc {
	t.Helper()
	return startExec(t, name, binary, env, args...)
}

// startExec runs the program at path as start runs sowhat.
func startExec(t testing.TB, name, path string, env map[string]string, args ...string) *proc {
	t.Helper()
	home := t.TempDir()
	vars := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "SOWHAT_ENV_FILE=" + filepath.Join(home, "none.env"),
		"SOWHAT_AS_OF=" + asOf.Format("2006-01-02"), "LOG_LEVEL=info", "LOG_FORMAT=text"}
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	// An empty .env file, so no .env of the working directory is read.
	if err := os.WriteFile(filepath.Join(home, "none.env"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, name: name, out: &logBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(path, args...)
	p.cmd.Env = vars
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("%s output:\n%s", p.name, p.out.String())
		}
	})
	return p
}

// startShell runs script with sh, its $0 the sowhat binary and args after.
func startShell(t testing.TB, name, script string, args ...string) *proc {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("no sh to run %s: %v", name, err)
	}
	return startExec(t, name, sh, nil, append([]string{"-c", script, binary}, args...)...)
}

// serve starts `sowhat serve` on the database in HTTP mode and waits until
// it is ready.
func serve(t testing.TB, name, db string, env map[string]string) *proc {
	t.Helper()
	addr := freeAddr(t)
	p := start(t, name, env, "serve", "--addr", addr, "--db", db)
	p.addr = addr
	p.waitReady()
	return p
}

// waitReady waits for /readyz to say 200.
func (p *proc) waitReady() {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			p.t.Fatalf("%s exited before it was ready (%v):\n%s", p.name, p.err, p.out.String())
		default:
		}
		resp, err := http.Get("http://" + p.addr + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	p.t.Fatalf("%s never ready:\n%s", p.name, p.out.String())
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// wait waits for the process to exit by itself and returns its error.
func (p *proc) wait(timeout time.Duration) error {
	p.t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		p.t.Fatalf("%s still running after %s:\n%s", p.name, timeout, p.out.String())
		return nil
	}
}

// killed reports whether the process ended by SIGKILL.
func (p *proc) killed() bool {
	ee, ok := p.err.(*exec.ExitError)
	if !ok {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitUntil polls cond until it holds or timeout passes.
func waitUntil(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// serveEnv is the environment of a serve in HTTP mode posting to slack
// with token.
func serveEnv(slack *fakeSlack, token string, extra map[string]string) map[string]string {
	env := map[string]string{"SLACK_BOT_TOKEN": token, "SLACK_SIGNING_SECRET": testSecret, "SLACK_API_URL": slack.URL() + "/api/",
		"REPLICA_LEASE": "2s", "SLACK_USER_RATE": "off"}
	for k, v := range extra {
		env[k] = v
	}
	return env
}
