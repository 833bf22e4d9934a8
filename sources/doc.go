// Package sources brings data into the store by itself: the sources a
// SOURCES_CONFIG file describes, each synced on its schedule.
//
// A warehouse source (kind dbt_ad_reporting, or sql with a column mapping)
// reads an ad table of PostgreSQL or Amazon Redshift through database/sql,
// in a read-only transaction and in pages, only the days within its
// look-back window of the newest day it already delivered, and upserts
// them into the store in one import (data.Store.Ingest), so a restated day
// replaces what was there. A drop-folder source (kind folder) is run by a
// Runner registered for its kind.
//
// The Syncer runs each source on its cron schedule exactly once across
// replicas (a claim in the state database per scheduled time), retries a
// failed run with backoff, then compares the source's per-platform daily
// totals with the store's (reconciliation) and calls back so that alerts
// are evaluated. Check tells sowhat doctor whether a source can be
// reached, read and mapped.
//
// It imports data, data/ingest and model; what posts and what answers is
// handed to it by cmd/sowhat.
package sources
