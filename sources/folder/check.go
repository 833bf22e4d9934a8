package folder

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Problem is what Check found wrong with a folder, and what to do.
type Problem struct {
	What string // "the drop folder /srv/in of source meta_reports does not exist"
	Fix  string // "create it, or correct the source's folder"
	Err  error
}

func (p *Problem) Error() string { return p.What + ": " + p.Fix }
func (p *Problem) Unwrap() error { return p.Err }

// Check reports, as a *Problem, what stops Run: the folder missing, not a
// folder, not readable, or not writable (refused files are moved aside
// into its refused subfolder).
func (w *Watcher) Check(ctx context.Context) error {
	dir := w.opts.Dir
	where := fmt.Sprintf("the drop folder %s of source %s", dir, w.name)
	if dir == "" {
		return &Problem{fmt.Sprintf("source %s names no folder", w.name), "give the source its folder", errors.New("no folder")}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := w.opts.Ingest.Check(); err != nil {
		return &Problem{fmt.Sprintf("source %s reads its files with a setting sowhat does not know: %v", w.name, err), "correct the setting", err}
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &Problem{where + " does not exist", "create it, or correct the source's folder", err}
	case err != nil:
		return &Problem{where + " can't be looked at", "check the path and the permissions of the folders above it", err}
	case !fi.IsDir():
		return &Problem{where + " is not a folder", "correct the source's folder to name the folder the files arrive in", errors.New("not a folder")}
	}
	if _, err := os.ReadDir(dir); err != nil {
		return &Problem{where + " can't be read", "let sowhat's user list and read it (r and x permission)", err}
	}
	if err := probe(dir); err != nil {
		return &Problem{where + " can't be written to", fmt.Sprintf("let sowhat's user write to it (w permission): refused files are moved aside into %s", filepath.Join(dir, RefusedDir)), err}
	}
	refused := filepath.Join(dir, RefusedDir)
	fi, err = os.Stat(refused)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil // made by the first refusal
	case err != nil:
		return &Problem{fmt.Sprintf("the refused-files folder %s of source %s can't be looked at", refused, w.name), "check its permissions", err}
	case !fi.IsDir():
		return &Problem{fmt.Sprintf("%s, where source %s moves refused files, is not a folder", refused, w.name), "move that file away", errors.New("not a folder")}
	}
	if err := probe(refused); err != nil {
		return &Problem{fmt.Sprintf("the refused-files folder %s of source %s can't be written to", refused, w.name), "let sowhat's user write to it (w permission)", err}
	}
	return nil
}

// probe creates and removes a dotfile (which Run ignores) in dir.
func probe(dir string) error {
	f, err := os.CreateTemp(dir, ".sowhat-check-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}
