module github.com/sowhat-ai/sowhat

go 1.26.8

require (
	github.com/jmoiron/sqlx v1.4.0 // indirect
	github.com/joho/godotenv v1.5.1 // indirect
	github.com/mattn/go-sqlite3 v1.14.53 // indirect
)
