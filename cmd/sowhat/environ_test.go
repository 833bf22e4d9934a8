package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// envFuncs are the functions that read (or change) the process
// environment, by import path.
var envFuncs = map[string][]string{
	"os":      {"Getenv", "LookupEnv", "Environ", "ExpandEnv", "Setenv", "Unsetenv", "Clearenv"},
	"syscall": {"Getenv", "Environ", "Setenv", "Unsetenv", "Clearenv"},
}

// envReaders returns where the Go source in file uses one of envFuncs,
// however the package is imported ("os", or os under another name).
func envReaders(fset *token.FileSet, file *ast.File) []string {
	names := map[string]string{} // local name → import path
	for _, imp := range file.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if _, ok := envFuncs[path]; !ok {
			continue
		}
		name := filepath.Base(path)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = path
	}
	var uses []string
	ast.Inspect(file, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		if path, ok := names[x.Name]; ok && slices.Contains(envFuncs[path], sel.Sel.Name) {
			uses = append(uses, fset.Position(sel.Pos()).String()+": "+path+"."+sel.Sel.Name)
		}
		return true
	})
	return uses
}

// moduleRoot is the directory of the go.mod above the working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// TestOnlyMainReadsTheEnvironment holds every setting to one reading: main
// passes the environment to LoadConfig, and no other code of the module
// (tests aside) reads it.
func TestOnlyMainReadsTheEnvironment(t *testing.T) {
	root := moduleRoot(t)
	allowed := filepath.Join("cmd", "sowhat", "main.go")
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		if rel == allowed {
			return nil
		}
		for _, use := range envReaders(fset, f) {
			t.Errorf("%s reads the environment: settings belong in cmd/sowhat's Config, passed down", use)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("checked %d Go files under %s: not the module", files, root)
	}
}

func TestEnvReadersFindsEveryForm(t *testing.T) {
	src := `package p

import (
	"os"
	sys "syscall"
)

var lookup = os.LookupEnv

func f() string {
	v, _ := sys.Getenv("A")
	return os.Getenv("B") + v + os.ExpandEnv("$C")
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := envReaders(fset, f)
	var funcs []string
	for _, u := range got {
		funcs = append(funcs, u[strings.LastIndex(u, " ")+1:])
	}
	want := []string{"os.LookupEnv", "syscall.Getenv", "os.Getenv", "os.ExpandEnv"}
	if !slices.Equal(funcs, want) {
		t.Errorf("found %v, want %v", got, want)
	}
}
