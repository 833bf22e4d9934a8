package reports

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/data/pgtest"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// demoAsOf is the day the demo data is built for: a Monday, so last week is
// the week of the Meta CPA jump and the month to date shows The Trade
// Desk's overspend.
var demoAsOf = time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)

var (
	demoOnce sync.Once
	demoPath string
	demoErr  error
	demoDir  string
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := pgtest.Run(m, os.Getenv(pgtest.EnvServer))
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	if propPath != "" {
		os.RemoveAll(filepath.Dir(propPath))
	}
	os.Exit(code)
}

// demoFile builds the demo database once per test run and returns its path.
func demoFile(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		if demoDir, demoErr = os.MkdirTemp("", "reports-demo-"); demoErr != nil {
			return
		}
		demoPath, demoErr = generateDemo(demoDir, demoAsOf)
	})
	if demoErr != nil {
		t.Fatalf("build demo database: %v", demoErr)
	}
	return demoPath
}

// generateDemo builds the demo database for asOf in dir and returns its
// path.
func generateDemo(dir string, asOf time.Time) (string, error) {
	ctx := context.Background()
	path := filepath.Join(dir, "demo.db")
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

// demoStore opens a private copy of the demo database in t.TempDir().
func demoStore(t *testing.T) (*data.Store, string) {
	t.Helper()
	src := demoFile(t)
	dst := filepath.Join(t.TempDir(), "demo.db")
	copyFile(t, src, dst)
	return openStore(t, dst), dst
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func openStore(t *testing.T, path string) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// openState opens the store's state database (beside a SQLite file, in a
// PostgreSQL database), as the replica named owner on clock (nil: the
// system clock). Every replica of one store opens the same state database.
func openState(st *data.Store, owner string, clock Clock) *data.State {
	opts := []data.StateOption{data.WithOwner(owner)}
	if clock != nil {
		opts = append(opts, data.WithStateClock(clock.Now))
	}
	s, err := data.OpenState(context.Background(), st.StateDSN(), opts...)
	if err != nil {
		panic(err)
	}
	return s
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func engine(st *data.Store) *intents.Engine { return intents.New(st, intents.WithLogger(quietLog())) }

// fakeChart draws a tiny PNG whose size says how many rows it charts, so
// tests need no chart package.
func fakeChart(a model.Answer) ([]byte, bool, error) {
	if len(a.Rows) == 0 {
		return nil, false, nil
	}
	img := image.NewRGBA(image.Rect(0, 0, len(a.Rows), 1))
	img.Set(0, 0, color.Black)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, false, err
	}
	return b.Bytes(), true, nil
}

// post is one message a fakePublisher received.
type post struct {
	Channel string
	Msg     Message
}

// fakePublisher records what it is asked to post; fail makes it refuse.
type fakePublisher struct {
	mu    sync.Mutex
	posts []post
	fail  error
}

func (p *fakePublisher) Publish(ctx context.Context, channel string, m Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.posts = append(p.posts, post{channel, m})
	return nil
}

func (p *fakePublisher) all() []post {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]post(nil), p.posts...)
}

// fakeClock is a settable clock. A test receiving from reads learns each
// time the clock is read while it waits.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	reads chan struct{}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case c.reads <- struct{}{}:
	default:
	}
	return c.now
}

func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./reports -update after checking):\n%s", name, diffLines(string(want), string(got)))
	}
}

// diffLines shows the first lines that differ.
func diffLines(want, got string) string {
	w, g := bytes.Split([]byte(want), []byte("\n")), bytes.Split([]byte(got), []byte("\n"))
	var b bytes.Buffer
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl []byte
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if !bytes.Equal(wl, gl) {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
			if shown++; shown == 10 {
				break
			}
		}
	}
	return b.String()
}
