// Package data is sowhat's single source of truth: the schema and its
// migrations, the metric registry, the store that every importer writes to and
// the query layer that every answer, digest and alert reads from.
//
// Data flows one way: importers (package data/ingest) and the demo generator
// (package data/demo) write records through Store.Ingest; intents and reports
// read through Store.Run. Every figure sowhat shows is computed here, from
// additive sums, with each metric defined once in the registry.
package data
