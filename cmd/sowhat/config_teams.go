package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
)

// TeamsSettings are how sowhat reaches Microsoft Teams, as a Bot Framework
// bot (an Azure Bot resource and its Entra app registration). LoadConfig
// checks the shape of what is set; CheckServe, that serving has all it
// needs.
type TeamsSettings struct {
	AppID    string // MICROSOFT_APP_ID: the Entra app (client) id
	Password string // MICROSOFT_APP_PASSWORD: a client secret of that app
	// TenantID is the app's Entra tenant (MICROSOFT_APP_TENANT_ID), which
	// a single-tenant bot gets its tokens from.
	TenantID string
	// AppType is SingleTenant (the default, and the only kind Azure
	// creates since July 2025) or MultiTenant (MICROSOFT_APP_TYPE).
	AppType string
	// OpenIDMetadataURL and TokenURL override the public cloud's
	// endpoints (TEAMS_OPENID_METADATA_URL, TEAMS_TOKEN_URL).
	OpenIDMetadataURL string
	TokenURL          string
	// AllowedChannels and AllowedUsers (TEAMS_ALLOWED_CHANNELS,
	// TEAMS_ALLOWED_USERS) join the policy's allowlists.
	AllowedChannels, AllowedUsers []string
}

// The Teams variables; the password is a secret.
const (
	varTeamsAppID     = "MICROSOFT_APP_ID"
	varTeamsPassword  = "MICROSOFT_APP_PASSWORD"
	varTeamsTenant    = "MICROSOFT_APP_TENANT_ID"
	varTeamsAppType   = "MICROSOFT_APP_TYPE"
	varTeamsOpenID    = "TEAMS_OPENID_METADATA_URL"
	varTeamsTokenURL  = "TEAMS_TOKEN_URL"
	appTypeSingle     = "SingleTenant"
	appTypeMulti      = "MultiTenant"
	teamsAllowedChans = "TEAMS_ALLOWED_CHANNELS"
	teamsAllowedUsers = "TEAMS_ALLOWED_USERS"
)

// Shapes of Teams and Entra ids.
var (
	guid           = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	teamsChannelID = lazyre.New(`^19:[^\s,;]+@thread\.(tacv2|skype|v2)$`)
	teamsUserID    = lazyre.New(`^(29:[A-Za-z0-9_-]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`)
)

// Configured reports whether any Teams credential is set: serve then
// serves Teams, and refuses to start unless all of them are right.
func (t TeamsSettings) Configured() bool { return t.AppID != "" || t.Password != "" }

// MultiTenant reports whether the bot is a legacy multi-tenant one.
func (t TeamsSettings) MultiTenant() bool { return t.AppType == appTypeMulti }

// readTeamsSettings reads the Teams settings and checks the shape of those
// set, reporting every bad variable without showing the password.
func readTeamsSettings(getenv func(string) string) (TeamsSettings, error) {
	t := TeamsSettings{
		AppID:             strings.TrimSpace(getenv(varTeamsAppID)),
		Password:          strings.TrimSpace(getenv(varTeamsPassword)),
		TenantID:          strings.TrimSpace(getenv(varTeamsTenant)),
		AppType:           strings.TrimSpace(getenv(varTeamsAppType)),
		OpenIDMetadataURL: strings.TrimSpace(getenv(varTeamsOpenID)),
		TokenURL:          strings.TrimSpace(getenv(varTeamsTokenURL)),
	}
	var errs []error
	if t.AppID != "" && !guid.MatchString(t.AppID) {
		errs = append(errs, fmt.Errorf("%s=%q: want the bot's Microsoft App ID, a GUID such as 00000000-0000-0000-0000-000000000000 (Azure Bot → Configuration)", varTeamsAppID, t.AppID))
	}
	if t.TenantID != "" && !guid.MatchString(t.TenantID) {
		errs = append(errs, fmt.Errorf("%s=%q: want the app's Directory (tenant) ID, a GUID (Entra ID → App registrations → your app → Overview)", varTeamsTenant, t.TenantID))
	}
	switch strings.ToLower(t.AppType) {
	case "", strings.ToLower(appTypeSingle):
		t.AppType = appTypeSingle
	case strings.ToLower(appTypeMulti):
		t.AppType = appTypeMulti
	default:
		errs = append(errs, fmt.Errorf("%s=%q: want SingleTenant or MultiTenant (Azure Bot → Configuration → Type of App)", varTeamsAppType, t.AppType))
	}
	errs = append(errs, checkURL(varTeamsOpenID, t.OpenIDMetadataURL, "the Bot Framework's OpenID metadata URL, such as https://login.botframework.com/v1/.well-known/openidconfiguration"),
		checkURL(varTeamsTokenURL, t.TokenURL, "a token endpoint such as https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"))
	var err error
	t.AllowedChannels, err = readIDs(getenv, teamsAllowedChans, teamsChannelID, "Teams channel ids such as 19:abc…@thread.tacv2 (channel ⋯ → Get link to channel)")
	errs = append(errs, err)
	t.AllowedUsers, err = readIDs(getenv, teamsAllowedUsers, teamsUserID, "Entra object ids (GUIDs) or Teams user ids (29:…)")
	errs = append(errs, err)
	return t, errors.Join(errs...)
}

// CheckServe checks that serving Teams has everything it needs. Errors
// name the variable and never show the password.
func (t TeamsSettings) CheckServe() error {
	var errs []error
	if t.AppID == "" {
		errs = append(errs, errors.New(varTeamsAppID+" is not set: want the bot's Microsoft App ID (Azure Bot → Configuration)"))
	}
	if t.Password == "" {
		errs = append(errs, errors.New(varTeamsPassword+" is not set: want a client secret of the bot's app registration (Entra ID → App registrations → Certificates & secrets)"))
	}
	if t.AppType == appTypeSingle && t.TenantID == "" {
		errs = append(errs, errors.New(varTeamsTenant+" is not set: a SingleTenant bot gets its tokens from its own tenant; set it to the app's Directory (tenant) ID, or "+varTeamsAppType+"=MultiTenant for a legacy multi-tenant bot"))
	}
	return errors.Join(errs...)
}
