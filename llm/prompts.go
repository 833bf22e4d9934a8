package llm

import (
	"bytes"
	"embed"
	"fmt"
	"sync"
	"text/template"
)

// Prompt versions: logged with every call, so a change of wording in a
// template is seen in the logs beside what it did. Bump one with any edit
// to its template (and rename the file).
const (
	UnderstandVersion = "understand.v1"
	WriteVersion      = "write.v1"
)

//go:embed prompts/*.tmpl
var promptFS embed.FS

// prompts are parsed on first use: most commands never call a model.
var prompts = sync.OnceValue(func() *template.Template {
	return template.Must(template.ParseFS(promptFS, "prompts/*.tmpl"))
})

// render executes the template of a prompt version.
func render(version string, data any) (string, error) {
	var b bytes.Buffer
	if err := prompts().ExecuteTemplate(&b, version+".tmpl", data); err != nil {
		return "", fmt.Errorf("prompt %s: %w", version, err)
	}
	return b.String(), nil
}
