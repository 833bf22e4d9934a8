package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	teamsbot "github.com/sowhat-ai/sowhat/bot/teams"
	"github.com/sowhat-ai/sowhat/model"
)

// defaultWebsite is where the app's manifest sends people who want to
// know who makes it, unless --website says otherwise.
const defaultWebsite = "https://github.com/sowhat-ai/sowhat"

// cmdTeamsPackage writes the Teams app package (manifest and icons, in a
// zip) an admin uploads in the Teams admin center.
func cmdTeamsPackage(_ context.Context, e *env, args []string) error {
	fs := newFlags("teams-package", e)
	out := fs.String("out", "sowhat-teams.zip", "FILE to write the app package to")
	endpoint := fs.String("endpoint", "", "the bot's public messaging endpoint, https://HOST/api/messages (required)")
	appID := fs.String("app-id", e.cfg.Teams.AppID, "the bot's Microsoft App ID (default "+varTeamsAppID+")")
	website := fs.String("website", defaultWebsite, "the https page the app's developer, privacy and terms links go to")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *appID == "" {
		return configError{errors.New(varTeamsAppID + " is not set: want the bot's Microsoft App ID (Azure Bot → Configuration), or pass --app-id")}
	}
	if *endpoint == "" {
		return fmt.Errorf("%w: give --endpoint https://YOUR-HOST/api/messages, the public address sowhat serve answers on", errUsage)
	}
	var buf bytes.Buffer
	if err := teamsbot.Package(&buf, teamsbot.PackageParams{AppID: *appID, Endpoint: *endpoint, Website: *website}); err != nil {
		return model.Tell(fmt.Sprintf("The Teams app package was not written: %v", err), err)
	}
	if err := writeAtomically(*out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote %s (manifest.json, color.png, outline.png).\n"+
		"Set the Azure Bot's messaging endpoint to %s, then upload %s in the Teams admin center: Teams apps → Manage apps → Upload new app.\n",
		*out, *endpoint, *out)
	return nil
}

// writeAtomically writes b to path through a temporary file beside it, so
// that a failed write leaves no half a zip.
func writeAtomically(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return model.Tell(fmt.Sprintf("can't write %s: %v", path, err), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return model.Tell(fmt.Sprintf("can't write %s: %v", path, err), err)
	}
	return nil
}
