package folder

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
)

// refuse moves aside a file the importer refused, with its error beside
// it, and reports it when its content is refused for the first time. A
// file that changed since it was hashed is not refused: it is being
// written still, and is read again once settled.
func (w *Watcher) refuse(ctx context.Context, path string, s *seen, cause error, rep *Report) (stop bool, err error) {
	h, err := hashFile(ctx, path)
	if err != nil {
		return ctx.Err() != nil, err
	}
	if h != s.hash {
		w.log.Info("dropped file changed while read: left until it settles", slog.String("file", path))
		w.unsettle(s, rep)
		return false, nil
	}
	first, err := w.store.NoteRefused(ctx, data.Refusal{Hash: s.hash, Source: w.name, File: path, Error: cause.Error()})
	if err != nil {
		return true, err
	}
	moved, merr := w.moveAside(ctx, path, s.hash, cause)
	res := FileResult{Path: path, Hash: s.hash, Err: cause, MovedTo: moved}
	if first {
		rep.Refused = append(rep.Refused, res)
		w.log.Warn("refused dropped file", slog.String("file", path), slog.String("hash", s.hash), slog.String("moved_to", moved), slog.Any("error", cause))
	} else {
		w.log.Info("refused dropped file again: reported before", slog.String("file", path), slog.String("hash", s.hash), slog.String("moved_to", moved))
	}
	if merr != nil {
		return false, merr
	}
	delete(w.files, path)
	return false, nil
}

// moveAside moves the file at path into the refused folder, with
// <name>.error.txt beside it saying why, and returns where it is now. A
// name taken there by another content gets the content's hash added, so
// nothing refused earlier is overwritten; a replica moving the same file
// at the same time picks the same place, and one of them moves it.
func (w *Watcher) moveAside(ctx context.Context, path, hash string, cause error) (string, error) {
	dir := filepath.Join(w.opts.Dir, RefusedDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("move refused %s aside: %w", path, err)
	}
	name := filepath.Base(path)
	dst := filepath.Join(dir, name)
	if h, err := hashFile(ctx, dst); err == nil && h != hash || err != nil && !errors.Is(err, fs.ErrNotExist) {
		ext := filepath.Ext(name)
		dst = filepath.Join(dir, strings.TrimSuffix(name, ext)+"."+hash[:12]+ext)
	}
	// The reason is written first, under a name Run ignores, and put in
	// place once the file is moved.
	why, err := writeTemp(dir, w.reason(path, hash, cause))
	if err != nil {
		return "", fmt.Errorf("move refused %s aside: %w", path, err)
	}
	if err := os.Rename(path, dst); err != nil {
		os.Remove(why)
		if _, serr := os.Lstat(path); errors.Is(serr, fs.ErrNotExist) {
			return dst, nil // moved there by another replica, with its reason
		}
		return "", fmt.Errorf("move refused %s aside: %w", path, err)
	}
	if err := os.Rename(why, dst+".error.txt"); err != nil {
		os.Remove(why)
		return dst, fmt.Errorf("write why %s was refused: %w", dst, err)
	}
	return dst, nil
}

// reason is the text of a refused file's .error.txt.
func (w *Watcher) reason(path, hash string, cause error) []byte {
	return fmt.Appendf(nil, "sowhat refused this file: nothing from it was written.\n\nfile:    %s\nsource:  %s\nsha256:  %s\nerror:   %v\n\nFix the file, or the setting the error names, and drop it into %s again.\n",
		path, w.name, hash, cause, w.opts.Dir)
}

// writeTemp writes b to a new dotfile in dir and returns its path.
func writeTemp(dir string, b []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".refused-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
