package teams

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"
)

func TestPackage(t *testing.T) {
	var buf bytes.Buffer
	err := Package(&buf, PackageParams{AppID: testAppID, Endpoint: "https://sowhat.example.com/api/messages", Website: "https://example.com/sowhat"})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	if len(files) != 3 {
		t.Fatalf("files %v, want manifest.json and two icons at the zip's root", len(files))
	}
	var m map[string]any
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	bots := m["bots"].([]any)
	if m["id"] != testAppID || bots[0].(map[string]any)["botId"] != testAppID || m["validDomains"].([]any)[0] != "sowhat.example.com" {
		t.Errorf("manifest %s", files["manifest.json"])
	}
	if strings.Contains(string(files["manifest.json"]), "{{") {
		t.Error("a placeholder is left in the manifest")
	}
}

func TestPackageRefusesBadParams(t *testing.T) {
	cases := []struct {
		name string
		p    PackageParams
		want string
	}{
		{"app id", PackageParams{AppID: "sowhat", Endpoint: "https://h.example.com/api/messages", Website: "https://e.com"}, "app id"},
		{"http endpoint", PackageParams{AppID: testAppID, Endpoint: "http://h.example.com/api/messages", Website: "https://e.com"}, "endpoint"},
		{"endpoint path", PackageParams{AppID: testAppID, Endpoint: "https://h.example.com/", Website: "https://e.com"}, "endpoint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Package(io.Discard, c.p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one about the %s", err, c.want)
			}
		})
	}
}

func TestCheckManifestRules(t *testing.T) {
	good := func() map[string][]byte {
		m, _ := appFiles.ReadFile("appmanifest/manifest.json")
		c, _ := appFiles.ReadFile("appmanifest/color.png")
		o, _ := appFiles.ReadFile("appmanifest/outline.png")
		s := strings.NewReplacer("{{APP_ID}}", testAppID, "{{BOT_DOMAIN}}", "h.example.com", "{{WEBSITE}}", "https://e.com").Replace(string(m))
		return map[string][]byte{"manifest.json": []byte(s), "color.png": c, "outline.png": o}
	}
	if err := CheckManifest(good()); err != nil {
		t.Fatalf("the shipped manifest: %v", err)
	}
	pngOf := func(n int, c color.Color) []byte {
		img := image.NewNRGBA(image.Rect(0, 0, n, n))
		img.Set(1, 1, c)
		var b bytes.Buffer
		_ = png.Encode(&b, img)
		return b.Bytes()
	}
	cases := []struct {
		name string
		edit func(f map[string][]byte)
		want string
	}{
		{"color icon size", func(f map[string][]byte) { f["color.png"] = pngOf(96, color.White) }, "96×96"},
		{"outline icon size", func(f map[string][]byte) { f["outline.png"] = pngOf(48, color.White) }, "48×48"},
		{"outline not white", func(f map[string][]byte) { f["outline.png"] = pngOf(32, color.NRGBA{0x1F, 0x6F, 0xEB, 0xFF}) }, "white on a transparent"},
		{"short name", func(f map[string][]byte) {
			f["manifest.json"] = bytes.Replace(f["manifest.json"], []byte(`"short": "sowhat"`), []byte(`"short": "`+strings.Repeat("s", 31)+`"`), 1)
		}, "name.short is 31"},
		{"id", func(f map[string][]byte) {
			f["manifest.json"] = bytes.Replace(f["manifest.json"], []byte(`"id": "`+testAppID), []byte(`"id": "x`), 1)
		}, `id "x"`},
		{"old schema", func(f map[string][]byte) {
			f["manifest.json"] = bytes.Replace(f["manifest.json"], []byte(`"manifestVersion": "1.17"`), []byte(`"manifestVersion": "1.16"`), 1)
		}, "manifestVersion"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := good()
			c.edit(f)
			err := CheckManifest(f)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}
