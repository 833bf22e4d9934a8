// Package reports writes sowhat's scheduled per-executive digests and its
// proactive alerts, and posts each exactly once.
//
// A digest is a set of sections for one audience (CFO, CMO, CEO, head of
// stores, merchandising, team lead). Every section is a question.Request
// answered by the same engine as chat, so a digest can never disagree with
// what the bot says when asked; the digest adds the change against the
// comparison period, a so-what per section and, at the top, the three things
// that matter most this period, ranked by size of change and importance.
//
// Digests and alert rules are configured in a YAML (or JSON) file that is
// validated at start, each error naming its line (see docs/digests.md). The
// Scheduler runs inside `sowhat serve`: each (digest, scheduled time) is
// claimed in the database before it is posted, so a restart does not post
// twice, a run missed while the bot was down is caught up once within a
// window, and two processes on one database never both post. Alerts post once
// when an incident opens and once when it clears.
//
// Posting goes through the small Publisher interface, which each chat adapter
// (Slack, later Teams) implements. What each channel may see comes from a
// Clearance: CheckClearance refuses at start a digest whose sections a
// channel may not see, and each post leaves those sections out for that
// channel, with WithheldNote.
package reports
