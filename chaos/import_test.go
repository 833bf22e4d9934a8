package chaos

import (
	"bufio"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeAds writes a canonical ads CSV of n rows over campaigns the demo
// does not have, with categories of their own, and returns its path.
func writeAds(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ads.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "date,platform,account,campaign,campaign_type,category,spend,impressions,clicks,conversions,revenue")
	day0 := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		c := i % 500
		fmt.Fprintf(w, "%s,meta,Chaos,Chaos %03d,prospecting,Chaos category %d,%d.25,%d,%d,%d,%d.50\n",
			day0.AddDate(0, 0, i/500).Format("2006-01-02"), c, c%7, 10+i%500, 1000+i%9000, 10+i%300, i%20, 30+i%900)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// fingerprint hashes every row of every table of the database (the health
// row and the record of failed imports aside: a refused import may leave
// its failure there), and counts the rows: two databases with the same
// fingerprint hold the same data.
func fingerprint(t testing.TB, db string) (string, int) {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
	var tables []string
	rows, err := conn.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('health', 'import_failures') ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	h := sha256.New()
	total := 0
	for _, tbl := range tables {
		rs, err := conn.Query(`SELECT * FROM "` + tbl + `" ORDER BY 1, 2`)
		if err != nil {
			rs, err = conn.Query(`SELECT * FROM "` + tbl + `" ORDER BY 1`)
		}
		if err != nil {
			t.Fatalf("dump %s: %v", tbl, err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s%v\n", tbl, vals)
			total++
		}
		rs.Close()
	}
	return hex.EncodeToString(h.Sum(nil)), total
}

// TestKillMidImport: an import is killed (SIGKILL) while it writes. The
// database is whole and holds exactly what it held before — no new
// campaigns, no changed categories, no facts — and the same file then goes
// in whole.
func TestKillMidImport(t *testing.T) {
	t.Parallel()
	db := demoDB(t)
	file := writeAds(t, 400_000)
	before, rowsBefore := fingerprint(t, db)
	p := start(t, "killed ingest", nil, "ingest", "--db", db, file)
	// Kill it once its transaction has written a good part of the file.
	waitUntil(t, "the import to be writing", 60*time.Second, func() bool {
		fi, err := os.Stat(db + "-wal")
		return err == nil && fi.Size() > 4<<20
	})
	p.kill()
	if !p.killed() {
		t.Fatalf("the import ended before it was killed: %v\n%s", p.err, p.out.String())
	}
	after, rowsAfter := fingerprint(t, db)
	if after != before {
		t.Fatalf("the killed import changed the database: %d rows before, %d after", rowsBefore, rowsAfter)
	}
	again := start(t, "ingest again", nil, "ingest", "--db", db, file)
	if err := again.wait(2 * time.Minute); err != nil {
		t.Fatalf("ingest again: %v\n%s", err, again.out.String())
	}
	if out := again.out.String(); !strings.Contains(out, "400000 rows") {
		t.Fatalf("ingest again: %s", out)
	}
	t.Logf("killed mid-import with the write-ahead log past 4 MiB: database unchanged (%d rows, integrity ok); the same file then imported whole", rowsBefore)
}

// TestDiskFullMidImport: the disk fills up partway through an import —
// writes to the database's files fail with ENOSPC (an LD_PRELOAD library,
// testdata/fulldisk.c), so SQLite says "database or disk is full" — or the
// database's file may not grow (RLIMIT_FSIZE: an I/O error, "file too
// large"). Either way the import is refused with the reason, the database
// is whole and unchanged, and the same file goes in whole once there is
// room.
func TestDiskFullMidImport(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, want string
		run        func(t *testing.T, db, file string) *proc
	}{
		{"no space left", "database or disk is full", func(t *testing.T, db, file string) *proc {
			return start(t, "ingest on a full disk", map[string]string{"LD_PRELOAD": fullDisk, "FULLDISK_PATH": db, "FULLDISK_BYTES": "1500000"},
				"ingest", "--db", db, file)
		}},
		{"file size limit", "disk I/O error", func(t *testing.T, db, file string) *proc {
			fi, err := os.Stat(db)
			if err != nil {
				t.Fatal(err)
			}
			// The shell sets the limit for the sowhat it execs; the file to
			// import is read, not written, so only the database meets it.
			return startShell(t, "ingest at a file size limit", fmt.Sprintf(`ulimit -f %d && exec "$0" ingest --db "$1" "$2"`, fi.Size()/1024+1024), db, file)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := demoDB(t)
			file := writeAds(t, 200_000)
			before, rows := fingerprint(t, db)
			p := tt.run(t, db, file)
			err := p.wait(2 * time.Minute)
			out := p.out.String()
			if err == nil || !strings.Contains(out, tt.want) || !strings.Contains(out, "nothing from them was written") {
				t.Fatalf("ingest: %v, want it refused with %q\n%s", err, tt.want, out)
			}
			if after, _ := fingerprint(t, db); after != before {
				t.Fatalf("the refused import changed the database:\n%s", out)
			}
			again := start(t, "ingest with room", nil, "ingest", "--db", db, file)
			if err := again.wait(2 * time.Minute); err != nil {
				t.Fatalf("ingest with room: %v\n%s", err, again.out.String())
			}
			t.Logf("refused (%s); database unchanged (%d rows, integrity ok); the same file then imported whole", firstLine(out), rows)
		})
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
