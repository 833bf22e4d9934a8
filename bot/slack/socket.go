package slack

import (
	"context"
	"fmt"
	"log/slog"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/sowhat-ai/sowhat/bot"
)

// RunSocketMode connects over Socket Mode (apps.connections.open, then a
// websocket) and handles what arrives until ctx ends. Each envelope is
// acknowledged once its message is queued; one that can't be queued is
// left unacknowledged, so Slack delivers it again.
func (a *Adapter) RunSocketMode(ctx context.Context) error {
	if a.appToken == "" {
		return errNoAppToken
	}
	a.setSocket(false, "socket mode is connecting")
	defer a.setSocket(false, "socket mode stopped")
	client := socketmode.New(a.api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	for {
		select {
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt := <-client.Events:
			a.socketEvent(ctx, client, evt)
		}
	}
}

func (a *Adapter) socketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.setSocket(true, "")
		a.log.Info("slack socket mode connected")
	case socketmode.EventTypeConnecting:
		a.setSocket(false, "socket mode is connecting")
	case socketmode.EventTypeDisconnect:
		a.setSocket(false, "socket mode disconnected")
	case socketmode.EventTypeConnectionError:
		a.setSocket(false, "socket mode connection failed")
		a.log.Warn("slack socket mode", slog.String("event", string(evt.Type)), slog.Any("detail", evt.Data))
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("slack socket mode", slog.String("event", string(evt.Type)), slog.Any("detail", evt.Data))
	case socketmode.EventTypeInvalidAuth:
		a.setSocket(false, "socket mode: the app token was refused")
		a.log.Error("slack socket mode: the app token was refused (SLACK_APP_TOKEN)")
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			a.ack(client, evt, nil)
			return
		}
		if m, ok := a.fromEvent(ev, envelopePayload(evt)); ok {
			if err := a.enqueue(ctx, m); err != nil {
				return
			}
		}
		a.ack(client, evt, nil)
	case socketmode.EventTypeSlashCommand:
		c, ok := evt.Data.(slackapi.SlashCommand)
		if !ok {
			a.ack(client, evt, nil)
			return
		}
		// An envelope is delivered once per command: its id names a command
		// that has no trigger id.
		envelope := ""
		if evt.Request != nil {
			envelope = evt.Request.EnvelopeID
		}
		m, ok := a.fromCommand(c, commandKey(c.TriggerID, envelope, envelopePayload(evt)))
		if !ok {
			a.ack(client, evt, nil)
			return
		}
		text := ackText
		if err := a.enqueue(ctx, m); err != nil {
			text, _ = bot.Explain(err)
		}
		a.ack(client, evt, map[string]string{"response_type": "ephemeral", "text": text})
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slackapi.InteractionCallback)
		if ok {
			if m, ok := a.fromAction(cb); ok {
				if err := a.enqueue(ctx, m); err != nil {
					return
				}
			}
		}
		a.ack(client, evt, nil)
	}
}

// envelopePayload is the payload an envelope delivered, as it came.
func envelopePayload(evt socketmode.Event) []byte {
	if evt.Request == nil {
		return nil
	}
	return evt.Request.Payload
}

func (a *Adapter) ack(client *socketmode.Client, evt socketmode.Event, payload any) {
	if evt.Request == nil {
		return
	}
	var err error
	if payload == nil {
		err = client.Ack(*evt.Request)
	} else {
		err = client.Ack(*evt.Request, payload)
	}
	if err != nil {
		a.log.Warn("slack socket mode ack", slog.String("envelope_id", evt.Request.EnvelopeID), slog.Any("error", err))
	}
}
