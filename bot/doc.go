// Package bot is sowhat's chat core, shared by every chat platform: a
// message comes in (platform, team, user, channel, thread, text, event id),
// is answered from the intents engine, and goes back out as a Reply that the
// platform's adapter renders (Block Kit for Slack, Adaptive Cards for Teams).
//
// Adapters (bot/slack, bot/teams) acknowledge the platform at once and hand each
// message to Bot.Enqueue; a bounded pool of workers answers them through a
// chain of middleware — logging, dedup on the platform's event id
// (persisted, so a restart or a retried delivery never answers twice),
// access policy and per-user rate limits — around the answer handler, which
// keeps a thread's last request so follow-ups ("and for Google?") keep their
// context, and refuses sensitive metrics outside the places cleared for them
// before anything is queried. Every other answer there is asked with those
// metrics hidden (Policy.Hidden), so the engine leaves them out silently,
// and is checked once more before it is posted (model.Answer.Withhold).
//
// Enqueue touches nothing but the queue, so an acknowledgement never waits
// on the database or on charts. A worker claims the event, answers, and
// saves the thread's context before replying, so the follow-up, which
// comes after the reply, reads it. A chart follows its answer: drawn once
// per distinct answer, by a bounded number of chart workers from a bounded
// queue (past it the oldest chart waiting is dropped, with a log line), so
// a burst of varied questions costs charts, not memory or acknowledgements.
//
// What went wrong is said in one place, Explain, which the command line
// uses too: a refusal, a rate limit or a question the store can't answer
// as asked (a *model.UserError, or one of the store's and the bot's
// sentinel errors) is answered with its sentence; anything else with a
// generic apology, its cause only in the log.
//
// Nothing here knows about Slack: the core sees plain text and ids.
package bot
