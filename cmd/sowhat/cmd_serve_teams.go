package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/sowhat-ai/sowhat/bot"
	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	teamsbot "github.com/sowhat-ai/sowhat/bot/teams"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/reports"
)

// checkServeChats checks the settings of the chat platforms serve answers
// on: Slack, Teams or both, each as soon as any of its credentials is set,
// and at least one.
func checkServeChats(cfg Config) error {
	slackOn, teamsOn := cfg.Slack.Configured(), cfg.Teams.Configured()
	if !slackOn && !teamsOn {
		return errors.Join(cfg.Slack.CheckServe(),
			errors.New("or, to serve Microsoft Teams, set "+varTeamsAppID+" and "+varTeamsPassword+" (see README, Add to Teams)"))
	}
	var errs []error
	if slackOn {
		errs = append(errs, cfg.Slack.CheckServe())
	}
	if teamsOn {
		errs = append(errs, cfg.Teams.CheckServe())
	}
	return errors.Join(errs...)
}

// Configured reports whether any Slack credential is set: serve then
// serves Slack, and refuses to start unless all it needs is right.
func (s SlackSettings) Configured() bool {
	return s.BotToken != "" || s.AppToken != "" || s.SigningSecret != ""
}

// teamsOptions are the Teams adapter's settings.
func teamsOptions(e *env, set TeamsSettings, refs teamsbot.Refs) []teamsbot.Option {
	opts := []teamsbot.Option{teamsbot.WithLogger(e.log), teamsbot.WithRefs(refs)}
	if !set.MultiTenant() {
		opts = append(opts, teamsbot.WithTenant(set.TenantID))
	}
	if set.OpenIDMetadataURL != "" {
		opts = append(opts, teamsbot.WithOpenIDMetadataURL(set.OpenIDMetadataURL))
	}
	if set.TokenURL != "" {
		opts = append(opts, teamsbot.WithTokenURL(set.TokenURL))
	}
	return opts
}

// connectTeams gets the app a token, which checks its id and secret.
func connectTeams(ctx context.Context, a *teamsbot.Adapter) error {
	if err := a.Connect(ctx); err != nil {
		return model.Tell(fmt.Sprintf("%s and %s were not accepted by Microsoft Entra ID (check the secret has not expired, and %s for a SingleTenant bot): %v",
			varTeamsAppID, varTeamsPassword, varTeamsTenant, err), err)
	}
	return nil
}

// startChats makes and connects the adapters of the configured platforms.
func (s *server) startChats(ctx context.Context, e *env) error {
	if s.set.Configured() {
		set := s.set
		s.slack = slackbot.New(s.bot, set.BotToken, slackbot.WithAPIURL(set.APIURL), slackbot.WithSigningSecret(set.SigningSecret),
			slackbot.WithAppToken(set.AppToken), slackbot.WithLogger(e.log), slackbot.WithMetrics(e.metrics))
		if err := connectSlack(ctx, s.slack); err != nil {
			return err
		}
	}
	if set := e.cfg.Teams; set.Configured() {
		s.teams = teamsbot.New(s.bot, set.AppID, set.Password, teamsOptions(e, set, s.state)...)
		if err := connectTeams(ctx, s.teams); err != nil {
			return err
		}
	}
	return nil
}

// router sends digests and alerts to the configured platforms.
func (s *server) router() reports.Router {
	r := reports.Router{}
	if s.slack != nil {
		r[slackbot.Platform] = s.slack
	}
	if s.teams != nil {
		r[teamsbot.Platform] = s.teams
	}
	return r
}

// chatServices are the services of the configured platforms: resuming
// their unfinished events, and Slack's Socket Mode.
func (s *server) chatServices() []service {
	var svcs []service
	resume := func(platform string, to bot.Sender) service {
		return service{"resume " + platform + " events", func(ctx context.Context) error {
			s.bot.Resume(ctx, platform, to, s.state.Lease()/2)
			return nil
		}}
	}
	if s.slack != nil {
		svcs = append(svcs, resume(slackbot.Platform, s.slack))
		if s.set.SocketMode() {
			svcs = append(svcs, service{"slack socket mode", s.slack.RunSocketMode})
		}
	}
	if s.teams != nil {
		svcs = append(svcs, resume(teamsbot.Platform, s.teams))
	}
	return svcs
}

// mountChats serves the platforms' HTTP endpoints.
func (s *server) mountChats(mux *http.ServeMux) {
	if s.slack != nil && !s.set.SocketMode() {
		mux.Handle("/slack/", s.slack.Handler())
	}
	if s.teams != nil {
		mux.Handle(teamsbot.PathMessages, s.teams.Handler())
	}
}

// closeChats waits for the adapters to post what they hold.
func (s *server) closeChats(ctx context.Context) error {
	var errs []error
	if s.slack != nil {
		errs = append(errs, s.slack.Close(ctx))
	}
	if s.teams != nil {
		errs = append(errs, s.teams.Close(ctx))
	}
	return errors.Join(errs...)
}

// chatsConnected is the readiness of every configured platform, each
// reason named by its platform when both are served.
func (s *server) chatsConnected(context.Context) error {
	both := s.slack != nil && s.teams != nil
	var errs []error
	add := func(platform string, ok bool, why string) {
		switch {
		case ok:
		case both:
			errs = append(errs, errors.New(platform+": "+why))
		default:
			errs = append(errs, errors.New(why))
		}
	}
	if s.slack != nil {
		ok, why := s.slack.Connected()
		add(slackbot.Platform, ok, why)
	}
	if s.teams != nil {
		ok, why := s.teams.Connected()
		add(teamsbot.Platform, ok, why)
	}
	return errors.Join(errs...)
}

// chatMode names the platforms served, for the start-up line.
func (s *server) chatMode() string {
	var mode string
	if s.slack != nil {
		mode = "slack http"
		if s.set.SocketMode() {
			mode = "slack socket"
		}
	}
	if s.teams != nil {
		if mode != "" {
			mode += ", "
		}
		mode += "teams"
	}
	return mode
}

var _ teamsbot.Refs = (*data.State)(nil)

// withTeams adds Teams to the router of sowhat digest --send and of the
// alert check after an ingest, when Teams is configured: a publisher
// with no bot behind it, reaching channels by the references serve keeps
// in state. Anything but a router (a test's recorder) is left as it is.
func (e *env) withTeams(ctx context.Context, pub reports.Publisher, state *data.State) (reports.Publisher, error) {
	r, ok := pub.(reports.Router)
	set := e.cfg.Teams
	if !ok || !set.Configured() {
		return pub, nil
	}
	if err := set.CheckServe(); err != nil {
		return nil, configError{err}
	}
	a := teamsbot.NewPublisher(set.AppID, set.Password, teamsOptions(e, set, state)...)
	if err := connectTeams(ctx, a); err != nil {
		return nil, err
	}
	out := reports.Router{teamsbot.Platform: a}
	for k, v := range r {
		out[k] = v
	}
	return out, nil
}
