package data

import (
	"context"
	"errors"
)

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	return nil, errors.New("open database: PostgreSQL is not supported yet; set DATABASE_URL to a SQLite file path")
}
