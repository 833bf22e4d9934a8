package teams

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
)

// The app package's template: the manifest and its two icons.
//
//go:embed appmanifest/manifest.json appmanifest/color.png appmanifest/outline.png
var appFiles embed.FS

// PackageParams fill in the app package's manifest.
type PackageParams struct {
	AppID string // the bot's Microsoft App ID, which is also the app's id
	// Endpoint is the bot's messaging endpoint,
	// https://HOST/api/messages, set on the Azure Bot as well.
	Endpoint string
	Website  string // the developer's website, privacy and terms pages
}

var (
	guidShape   = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	semverShape = lazyre.New(`^\d{1,3}\.\d{1,3}\.\d{1,3}$`)
	colorShape  = lazyre.New(`^#[0-9a-fA-F]{6}$`)
)

// Package writes the Teams app package an admin uploads: manifest.json
// with the app id and the bot's domain filled in, and the two icons, in
// a zip. The manifest is checked against Teams' rules first (ids, lengths,
// icon sizes), so an upload does not fail on them.
func Package(w io.Writer, p PackageParams) error {
	host, err := checkParams(p)
	if err != nil {
		return err
	}
	tmpl, err := appFiles.ReadFile("appmanifest/manifest.json")
	if err != nil {
		return fmt.Errorf("app package: %w", err)
	}
	manifest := strings.NewReplacer("{{APP_ID}}", strings.ToLower(p.AppID), "{{BOT_DOMAIN}}", host, "{{WEBSITE}}", p.Website).Replace(string(tmpl))
	files := map[string][]byte{"manifest.json": []byte(manifest)}
	for _, name := range []string{"color.png", "outline.png"} {
		if files[name], err = appFiles.ReadFile("appmanifest/" + name); err != nil {
			return fmt.Errorf("app package: %w", err)
		}
	}
	if err := CheckManifest(files); err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, name := range []string{"manifest.json", "color.png", "outline.png"} {
		f, err := zw.Create(name)
		if err != nil {
			return fmt.Errorf("app package: %w", err)
		}
		if _, err := f.Write(files[name]); err != nil {
			return fmt.Errorf("app package: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("app package: %w", err)
	}
	return nil
}

// checkParams checks what fills the manifest in and returns the
// endpoint's host.
func checkParams(p PackageParams) (string, error) {
	var errs []error
	if !guidShape.MatchString(p.AppID) {
		errs = append(errs, fmt.Errorf("app id %q: want the bot's Microsoft App ID, a GUID", p.AppID))
	}
	u, err := url.Parse(p.Endpoint)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Path != PathMessages {
		errs = append(errs, fmt.Errorf("endpoint %q: want https://YOUR-HOST%s, the public address serve answers on", p.Endpoint, PathMessages))
	}
	if w, err := url.Parse(p.Website); err != nil || w.Scheme != "https" || w.Host == "" {
		errs = append(errs, fmt.Errorf("website %q: want an https URL", p.Website))
	}
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	return u.Hostname(), nil
}

// manifest is what CheckManifest reads of a manifest.
type manifest struct {
	Schema          string `json:"$schema"`
	ManifestVersion string `json:"manifestVersion"`
	Version         string `json:"version"`
	ID              string `json:"id"`
	Developer       struct {
		Name, WebsiteURL, PrivacyURL, TermsOfUseURL string
	} `json:"developer"`
	Name struct {
		Short string `json:"short"`
		Full  string `json:"full"`
	} `json:"name"`
	Description struct {
		Short string `json:"short"`
		Full  string `json:"full"`
	} `json:"description"`
	Icons struct {
		Color   string `json:"color"`
		Outline string `json:"outline"`
	} `json:"icons"`
	AccentColor string `json:"accentColor"`
	Bots        []struct {
		BotID        string   `json:"botId"`
		Scopes       []string `json:"scopes"`
		CommandLists []struct {
			Scopes   []string `json:"scopes"`
			Commands []struct {
				Title       string `json:"title"`
				Description string `json:"description"`
			} `json:"commands"`
		} `json:"commandLists"`
	} `json:"bots"`
	ValidDomains []string `json:"validDomains"`
}

// CheckManifest checks an app package's files against the rules Teams
// applies on upload (manifest schema 1.17): ids, versions, lengths, the
// bot's scopes and commands, and the icons' sizes (color 192×192, outline
// 32×32, white on transparent).
func CheckManifest(files map[string][]byte) error {
	var m manifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		return fmt.Errorf("manifest.json: %w", err)
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("manifest.json: "+format, args...)) }
	long := func(field, s string, n int) {
		if l := utf8.RuneCountInString(s); l == 0 || l > n {
			bad("%s is %d characters, want 1 to %d", field, l, n)
		}
	}
	var major, minor int
	if n, _ := fmt.Sscanf(m.ManifestVersion, "%d.%d", &major, &minor); n != 2 || major < 1 || major == 1 && minor < 17 ||
		!strings.Contains(m.Schema, "v"+m.ManifestVersion+"/") {
		bad("manifestVersion %q with $schema %q: want 1.17 or later, and the schema of that version", m.ManifestVersion, m.Schema)
	}
	if !semverShape.MatchString(m.Version) {
		bad("version %q: want MAJOR.MINOR.PATCH", m.Version)
	}
	if !guidShape.MatchString(m.ID) {
		bad("id %q: want a GUID", m.ID)
	}
	long("name.short", m.Name.Short, 30)
	long("name.full", m.Name.Full, 100)
	long("description.short", m.Description.Short, 80)
	long("description.full", m.Description.Full, 4000)
	long("developer.name", m.Developer.Name, 32)
	if !colorShape.MatchString(m.AccentColor) {
		bad("accentColor %q: want #RRGGBB", m.AccentColor)
	}
	if len(m.Bots) != 1 || !guidShape.MatchString(m.Bots[0].BotID) {
		bad("want one bot, its botId a GUID")
	}
	for _, b := range m.Bots {
		for _, cl := range b.CommandLists {
			if len(cl.Commands) > 10 {
				bad("%d commands in a list, want at most 10", len(cl.Commands))
			}
			for _, c := range cl.Commands {
				long("command title", c.Title, 32)
				long("command description", c.Description, 128)
			}
		}
	}
	for _, d := range m.ValidDomains {
		if d == "" || strings.Contains(d, "/") || strings.Contains(d, ":") {
			bad("validDomains %q: want a bare host name", d)
		}
	}
	errs = append(errs, checkIcon(files, m.Icons.Color, 192, false), checkIcon(files, m.Icons.Outline, 32, true))
	return errors.Join(errs...)
}

// checkIcon checks that the named icon is a size×size PNG in the package
// and, for the outline icon, white on transparent.
func checkIcon(files map[string][]byte, name string, size int, outline bool) error {
	b, ok := files[name]
	if !ok {
		return fmt.Errorf("icon %q: not in the package", name)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("icon %s: %w", name, err)
	}
	if r := img.Bounds(); r.Dx() != size || r.Dy() != size {
		return fmt.Errorf("icon %s is %d×%d, want %d×%d", name, r.Dx(), r.Dy(), size, size)
	}
	if outline && !whiteOnTransparent(img) {
		return fmt.Errorf("icon %s: want white on a transparent background", name)
	}
	return nil
}

func whiteOnTransparent(img image.Image) bool {
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			if ca != 0 && (cr != ca || cg != ca || cb != ca) { // premultiplied: white is r = g = b = a
				return false
			}
		}
	}
	return true
}
