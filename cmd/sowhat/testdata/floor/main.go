// Command floor is the least a Go program that answers from SQLite does:
// it opens the database with the driver sowhat uses, runs the statements
// given (separated by ";\n"), and prints their rows. BenchmarkAskProcess
// times it beside sowhat ask and the sqlite3 shell.
package main

import (
	"database/sql"
	"fmt"
	"os"
	"strings"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: floor DB STATEMENTS")
		os.Exit(2)
	}
	db, err := sql.Open("sqlite3", "file:"+os.Args[1]+"?mode=ro")
	if err != nil {
		fail(err)
	}
	defer db.Close()
	for _, stmt := range strings.Split(os.Args[2], ";\n") {
		if stmt = strings.TrimSuffix(strings.TrimSpace(stmt), ";"); stmt == "" {
			continue
		}
		rows, err := db.Query(stmt)
		if err != nil {
			fail(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				fail(err)
			}
			fmt.Println(vals...)
		}
		if err := rows.Err(); err != nil {
			fail(err)
		}
		rows.Close()
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
