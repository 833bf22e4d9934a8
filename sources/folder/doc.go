// Package folder is the drop-folder source: a folder (an SFTP landing
// folder, a mounted share) where the ad platforms' scheduled reports
// arrive as files, imported as they come.
//
// Each Run is one pass over the folder's files (not its subfolders):
//
//   - A file is read once complete: its size and modification time have
//     stayed the same for Options.Settle on the watcher's clock (or its
//     modification time is that long past when first seen). Names a
//     writer uses while writing — *.part, *.partial, *.filepart, *.tmp,
//     *.temp, *.crdownload, *.download — and dotfiles are never read; a
//     file renamed from one of them when done is read like any other.
//   - It is imported through data/ingest, as `sowhat ingest` imports it,
//     with its content's SHA-256 recorded in the import's own transaction:
//     each content is imported once, whatever its name, however often it
//     is dropped again, and whichever replica gets to it first (the
//     store's unique index decides; the others find it imported). A file
//     whose content changes is imported again, replacing the days it
//     holds as any re-import does. Imported files stay where they are.
//   - A file the importer refuses (a bad value, an unknown format) is moved
//     into the folder's refused/ subfolder with <name>.error.txt beside it,
//     naming the file, line and column. Its content is remembered in the
//     store, so the refusal is in one Run's Report.Refused, once, however
//     many copies of it arrive or replicas refuse it; a copy dropped again
//     is tried again (a setting may have been fixed) and moved aside
//     without being reported twice.
//   - A file that changes while it is read, or can't be read, is left
//     where it is for a later Run; so is everything when the store fails.
package folder
