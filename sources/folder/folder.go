package folder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/ingest"
)

// DefaultSettle is how long a file must stay unchanged before it is read,
// when Options.Settle is not set.
const DefaultSettle = time.Minute

// RefusedDir is the subfolder refused files are moved into.
const RefusedDir = "refused"

// Options for a Watcher.
type Options struct {
	Dir string // the folder
	// Settle is how long a file's size and modification time must stay
	// the same before it is read; 0 means DefaultSettle.
	Settle time.Duration
	Now    func() time.Time // the clock Settle is measured on; nil means time.Now
	Log    *slog.Logger     // nil logs nothing
	// Ingest is how files are read: the reporting currency, a kind or a
	// platform every file has. Its Progress and Hash are not used.
	Ingest ingest.Options
}

// Watcher imports the files dropped in one folder into a store. Its Run
// may be called from any goroutine; calls take turns.
type Watcher struct {
	name  string
	store *data.Store
	opts  Options
	log   *slog.Logger

	mu    sync.Mutex
	files map[string]*seen // by path, the files of the last pass

	// onRead, when set, hears each read of a file being imported (tests
	// stop an import part-way with it).
	onRead func(n int)
}

// seen is what the watcher knows of one file.
type seen struct {
	size  int64
	mtime time.Time
	since time.Time // when it was first seen at this size and mtime
	hash  string    // its content's SHA-256 at this size and mtime, once read
	done  bool      // in the store: nothing to do until it changes
	// changed: it changed while read, so only the watcher's own clock
	// says when it has settled, not its modification time.
	changed bool
}

// Report says what one Run did.
type Report struct {
	Imported []FileResult
	Refused  []FileResult // refused for the first time: each content is in one Report only
	// Skipped counts the files neither imported nor refused: in the store
	// already, or still being written.
	Skipped int
	// Settling counts the skipped files still being written, and Next is
	// the earliest time one of them may have settled (zero when none is):
	// a Run then reads it.
	Settling int
	Next     time.Time
}

// FileResult is one file imported or refused.
type FileResult struct {
	Path    string // where the file was dropped
	Hash    string // its content's SHA-256, hex
	Rows    int    // rows imported
	Err     error  // why it was refused: its error names the file, line and column
	MovedTo string // where the refused file is now; "" if it could not be moved (Run's error says why)
}

// New returns a watcher of opts.Dir importing into store, as the source
// called name.
func New(name string, store *data.Store, opts Options) *Watcher {
	if opts.Settle <= 0 {
		opts.Settle = DefaultSettle
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts.Ingest.Progress, opts.Ingest.Hash = nil, ""
	return &Watcher{name: name, store: store, opts: opts, log: log.With(slog.String("source", name)), files: map[string]*seen{}}
}

// Run makes one pass over the folder: it imports each complete file whose
// content is not in the store yet, and moves aside those the importer
// refuses. A file it could not read, or could not move aside, is named in
// the error, after the other files are done; a store that fails, or ctx
// ending, stops the pass, with what was done so far in the report.
func (w *Watcher) Run(ctx context.Context) (Report, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var rep Report
	if err := w.opts.Ingest.Check(); err != nil {
		return rep, fmt.Errorf("source %s: %w", w.name, err) // a setting, not the files
	}
	entries, err := os.ReadDir(w.opts.Dir)
	if err != nil {
		return rep, fmt.Errorf("source %s: read folder: %w", w.name, err)
	}
	present := make(map[string]bool, len(entries))
	var errs []error
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("source %s: %w", w.name, err)
		}
		if e.IsDir() || Ignored(e.Name()) {
			continue
		}
		path := filepath.Join(w.opts.Dir, e.Name())
		fi, err := os.Stat(path) // through a symbolic link
		if errors.Is(err, fs.ErrNotExist) {
			continue // gone since the listing
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("source %s: %w", w.name, err))
			continue
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		present[path] = true
		s := w.observe(path, fi)
		if s.done {
			rep.Skipped++
			continue
		}
		if !w.settled(s, &rep) {
			continue
		}
		stop, err := w.take(ctx, path, s, &rep)
		if errors.Is(err, fs.ErrNotExist) && !stop {
			delete(w.files, path) // gone meanwhile: moved aside by another replica
			continue
		}
		if err != nil {
			err = fmt.Errorf("source %s: %w", w.name, err)
			if stop {
				return rep, err
			}
			errs = append(errs, err)
		}
	}
	w.forgetGone(present)
	return rep, errors.Join(errs...)
}

// Ignored reports whether a file name is one Run never reads: a dotfile,
// or a name writers give a file until it is complete.
func Ignored(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") {
		return true
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".part", ".partial", ".filepart", ".tmp", ".temp", ".crdownload", ".download":
		return true
	}
	return false
}

// observe returns what the watcher knows of the file at path, starting
// afresh when its size or modification time changed.
func (w *Watcher) observe(path string, fi fs.FileInfo) *seen {
	s := w.files[path]
	if s == nil || s.size != fi.Size() || !s.mtime.Equal(fi.ModTime()) {
		s = &seen{size: fi.Size(), mtime: fi.ModTime(), since: w.opts.Now()}
		w.files[path] = s
	}
	return s
}

// settled reports whether s has stayed as it is for Settle; when not, it
// counts s in the report as settling.
func (w *Watcher) settled(s *seen, rep *Report) bool {
	at := s.since.Add(w.opts.Settle)
	if old := s.mtime.Add(w.opts.Settle); !s.changed && old.Before(at) {
		at = old
	}
	if !w.opts.Now().Before(at) {
		return true
	}
	rep.Skipped++
	rep.Settling++
	if rep.Next.IsZero() || at.Before(rep.Next) {
		rep.Next = at
	}
	return false
}

// unsettle makes s a file still being written, as seen now.
func (w *Watcher) unsettle(s *seen, rep *Report) {
	s.since, s.hash, s.changed = w.opts.Now(), "", true
	w.settled(s, rep)
}

// forgetGone drops what the watcher knows of files no longer there.
func (w *Watcher) forgetGone(present map[string]bool) {
	for p := range w.files {
		if !present[p] {
			delete(w.files, p)
		}
	}
}

// take imports one settled file, or refuses it. stop says the pass can't
// go on (the store failed, or ctx ended).
func (w *Watcher) take(ctx context.Context, path string, s *seen, rep *Report) (stop bool, err error) {
	if s.hash == "" {
		h, err := hashFile(ctx, path)
		if err != nil {
			return ctx.Err() != nil, err
		}
		s.hash = h
	}
	done, err := w.store.Imported(ctx, s.hash)
	if err != nil {
		return true, err
	}
	if done {
		s.done = true
		rep.Skipped++
		return false, nil
	}
	res, rerr, err := w.importFile(ctx, path, s.hash)
	var bad *ingest.Error
	switch {
	case err == nil:
		s.done = true
		rep.Imported = append(rep.Imported, FileResult{Path: path, Hash: s.hash, Rows: res.Stats.Rows})
		w.log.Info("imported dropped file", slog.String("file", path), slog.String("hash", s.hash), slog.String("format", res.Format), slog.Int("rows", res.Stats.Rows))
		return false, nil
	case errors.Is(err, data.ErrAlreadyImported):
		s.done = true // by another replica, since the look-up
		rep.Skipped++
		return false, nil
	case ctx.Err() != nil:
		return true, fmt.Errorf("import %s: %w", path, ctx.Err())
	case errors.Is(rerr, errChanged):
		w.log.Info("dropped file changed while read: left until it settles", slog.String("file", path))
		w.unsettle(s, rep)
		return false, nil
	case rerr != nil:
		return false, fmt.Errorf("import %s: %w", path, rerr) // the file stays for another pass
	case errors.As(err, &bad):
		return w.refuse(ctx, path, s, err, rep)
	}
	return true, err
}

// errChanged: a file's content is not what it was when hashed.
var errChanged = errors.New("the file changed while it was read")

// importFile imports the file at path, whose content hashes to want. rerr
// is the file's own read error, if any: an I/O error, or errChanged, which
// fails the import (nothing written) and is no fault of the content.
func (w *Watcher) importFile(ctx context.Context, path, want string) (res ingest.Result, rerr, err error) {
	f, err := os.Open(path)
	if err != nil {
		return res, err, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return res, err, err
	}
	r := &contentReader{r: f, h: sha256.New(), want: want, size: fi.Size(), onRead: w.onRead}
	opts := w.opts.Ingest
	opts.Hash = want
	res, err = ingest.Read(ctx, w.store, path, r, opts)
	return res, r.err, err
}

// contentReader reads a file, checking at its end that it hashes to want:
// else it fails with errChanged instead of ending, and the import with it.
type contentReader struct {
	r      io.Reader
	h      hash.Hash
	want   string
	size   int64
	err    error // the first read error but the end, or errChanged
	onRead func(n int)
}

func (r *contentReader) Size() int64 { return r.size }

func (r *contentReader) Read(b []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.r.Read(b)
	r.h.Write(b[:n])
	if r.onRead != nil {
		r.onRead(n)
	}
	switch {
	case err == io.EOF && hex.EncodeToString(r.h.Sum(nil)) != r.want:
		r.err = errChanged
		return n, r.err
	case err != nil && err != io.EOF:
		r.err = err
	}
	return n, err
}

// hashFile returns the SHA-256 of the file at path, hex.
func hashFile(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx, f}); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ctxReader stops reading once ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}
