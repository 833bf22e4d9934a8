package reports

import (
	"embed"
	"text/template"

	"github.com/sowhat-ai/sowhat/wording"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var reportTemplates = template.Must(template.New("reports").Option("missingkey=error").ParseFS(templateFS, "templates/*.tmpl"))

// facts fill the wording templates. Every number arrives already formatted
// from a value the engine or the store computed.
type facts struct {
	Subject   string // "The Trade Desk", "" for everything
	Metric    string // a metric's name, as it reads mid-sentence
	Direction string // up, down, over, under, above, below
	Change    string // "6.1%", "0.12 pts"
	Value     string
	Old       string
	Compare   string // "the week before"
	Driver    string
	Period    string
	Projected string
	Budget    string
	Count     int
	Days      int
	Total     string
	Threshold string
	Extra     string
	Next      string
}

// say renders the named template on one line.
func say(name string, f facts) string {
	return wording.OneLine(wording.Execute(reportTemplates, name, f))
}

// render renders the named template as it is laid out, lines kept.
func render(name string, f any) string { return wording.Execute(reportTemplates, name, f) }
