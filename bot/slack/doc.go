// Package slack is sowhat's Slack adapter: it turns Slack's events, slash
// commands and button presses into bot.Messages and renders bot.Replies as
// Block Kit.
//
// Two ways in, one way out. In HTTP mode Slack POSTs to /slack/events,
// /slack/commands and /slack/interactions; every request's v0 signature is
// checked against the signing secret before anything is read, and answered
// within Slack's three seconds. In Socket Mode (an xapp- app token) the
// same events arrive over a websocket, acknowledged by envelope id. Either
// way the answer is posted later with chat.postMessage in the question's
// thread, through an outbox that paces each channel to one message a
// second, honours 429 Retry-After with backoff and never drops a reply;
// charts are uploaded into the thread with files.getUploadURLExternal and
// files.completeUploadExternal once drawn, outside the channel's pace, so
// the channel's next answer never waits behind a chart.
//
// The Web API base URL is an option (WithAPIURL), so GovSlack, proxies and
// tests' httptest servers work alike.
package slack
