// Package teams connects the bot to Microsoft Teams as a Bot Framework
// bot, on net/http and the standard library: there is no maintained Go
// SDK.
//
// Inbound, the Bot Connector POSTs activities to /api/messages. Every
// request's bearer token is verified before its body is acted on (auth.go):
// signed by a key from the Bot Framework's OpenID metadata (cached, and
// refreshed daily or on an unknown key id), issued by
// https://api.botframework.com for this app's id, within its lifetime,
// with the key endorsed for the activity's channel and the token's
// serviceurl claim naming the activity's service URL. A message is handed
// to the bot core (bot.Enqueue, which records it durably and drops
// retries) and only then acknowledged.
//
// Outbound, replies and proactive digests are posted to the service URLs
// seen in verified activities only, with tokens from Entra ID's client
// credentials grant (token.go), as Adaptive Cards (render.go) kept within
// Teams' message size limit. 429s and 5xx are retried after their
// Retry-After, with backoff; nothing accepted is dropped short of a
// shutdown that runs out of time.
//
// Conversation references (service URL, tenant, team, channel,
// conversation) are stored in the state database as they are seen, so
// digests and alerts can start threads in channels (publish.go).
package teams
