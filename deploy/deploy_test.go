package deploy

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/reports"
)

// read returns a file of the repository, relative to its root.
func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// buildCommand is the build the image ships and CI runs.
const buildCommand = `CGO_ENABLED=1 go build -trimpath -ldflags='-s -w' -o "$out" ./cmd/sowhat`

// TestDockerfileBuildsAsCIDoes holds the Dockerfile to the build CI runs:
// both run deploy/build.sh, which holds the one go build command; the
// toolchain is go.mod's; the final image is distroless, non-root, and
// checks its own health with the binary.
func TestDockerfileBuildsAsCIDoes(t *testing.T) {
	docker, ci, script := read(t, "Dockerfile"), read(t, ".ci/run"), read(t, "deploy/build.sh")
	if n := strings.Count(script, "go build"); n != 1 || !strings.Contains(script, buildCommand) {
		t.Errorf("deploy/build.sh has %d go builds, want exactly: %s", n, buildCommand)
	}
	if !regexp.MustCompile(`(?m)^deploy/build\.sh\b`).MatchString(ci) {
		t.Error(".ci/run does not run deploy/build.sh")
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(read(t, "go.mod"))
	if goVersion == nil {
		t.Fatal("no go line in go.mod")
	}
	for _, want := range []string{
		"FROM golang:" + goVersion[1] + "-bookworm AS build",
		"RUN deploy/build.sh /out/sowhat",
		"FROM gcr.io/distroless/base-debian12:nonroot",
		"COPY --from=build /out/sowhat /sowhat",
		"USER nonroot",
		"ENV DATABASE_URL=/data/sowhat.db",
		"EXPOSE 8080",
		`CMD ["/sowhat", "healthcheck"`,
		`ENTRYPOINT ["/sowhat"]`,
	} {
		if !strings.Contains(docker, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if n := strings.Count(docker, "go build"); n != 0 {
		t.Errorf("Dockerfile runs go build itself (%d times): it must build only through deploy/build.sh", n)
	}
	if n := strings.Count(docker, "FROM "); n != 2 {
		t.Errorf("Dockerfile has %d stages, want 2 (build, run)", n)
	}
}

// variables are the settings the binary reads: .env.example documents
// every one (a test of cmd/sowhat holds it to that).
func variables(t *testing.T) []string {
	t.Helper()
	var vars []string
	for _, m := range regexp.MustCompile(`(?m)^#? ?([A-Z][A-Z0-9_]+)=`).FindAllStringSubmatch(read(t, ".env.example"), -1) {
		vars = append(vars, m[1])
	}
	return vars
}

// object is a Kubernetes object, as much of it as the tests look at.
type object struct {
	Kind     string
	Metadata struct{ Name string }
	Data     map[string]string
	// Secret
	StringData map[string]string `yaml:"stringData"`
	// Kustomization
	Resources []string
	Spec      struct {
		Replicas *int
		Ports    []struct {
			Port       int
			TargetPort string `yaml:"targetPort"`
		}
		Template struct {
			Spec podSpec
		}
	}
}

type podSpec struct {
	SecurityContext struct {
		RunAsNonRoot bool `yaml:"runAsNonRoot"`
	} `yaml:"securityContext"`
	Containers []struct {
		Args  []string
		Ports []struct {
			Name          string
			ContainerPort int `yaml:"containerPort"`
		}
		EnvFrom []struct {
			SecretRef struct{ Name string } `yaml:"secretRef"`
		} `yaml:"envFrom"`
		Env []struct {
			Name, Value string
		}
		LivenessProbe  probe `yaml:"livenessProbe"`
		ReadinessProbe probe `yaml:"readinessProbe"`
		Resources      struct {
			Requests map[string]string
			Limits   map[string]string
		}
		SecurityContext struct {
			ReadOnlyRootFilesystem   bool `yaml:"readOnlyRootFilesystem"`
			AllowPrivilegeEscalation bool `yaml:"allowPrivilegeEscalation"`
		} `yaml:"securityContext"`
		VolumeMounts []struct {
			Name      string
			MountPath string `yaml:"mountPath"`
		} `yaml:"volumeMounts"`
	}
	Volumes []struct {
		Name      string
		ConfigMap *struct{ Name string } `yaml:"configMap"`
	}
}

type probe struct {
	HTTPGet struct {
		Path string
		Port string
	} `yaml:"httpGet"`
}

// manifests reads every object in deploy/k8s, by kind.
func manifests(t *testing.T) map[string]object {
	t.Helper()
	files, err := filepath.Glob("k8s/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in deploy/k8s: %v", err)
	}
	objs := map[string]object{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var o object
			if err := dec.Decode(&o); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if _, dup := objs[o.Kind]; dup || o.Kind == "" {
				t.Fatalf("%s: kind %q is missing or defined twice", f, o.Kind)
			}
			objs[o.Kind] = o
		}
	}
	for _, kind := range []string{"Secret", "ConfigMap", "Deployment", "Service", "Kustomization"} {
		if _, ok := objs[kind]; !ok {
			t.Errorf("no %s in deploy/k8s", kind)
		}
	}
	return objs
}

func TestKubernetesManifests(t *testing.T) {
	objs := manifests(t)
	vars := variables(t)
	dep := objs["Deployment"]
	if r := dep.Spec.Replicas; r == nil || *r < 2 {
		t.Errorf("replicas %v, want at least 2", r)
	}
	pod := dep.Spec.Template.Spec
	if !pod.SecurityContext.RunAsNonRoot {
		t.Error("the pod does not set runAsNonRoot")
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if !slices.Equal(c.Args, []string{"serve", "--addr", ":8080"}) {
		t.Errorf("args %v, want serve on :8080", c.Args)
	}
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("ports %+v, want 8080", c.Ports)
	}
	for _, p := range []struct {
		name string
		got  probe
		path string
	}{{"liveness", c.LivenessProbe, "/healthz"}, {"readiness", c.ReadinessProbe, "/readyz"}} {
		if p.got.HTTPGet.Path != p.path || p.got.HTTPGet.Port != c.Ports[0].Name {
			t.Errorf("%s probe %+v, want GET %s on port %s", p.name, p.got.HTTPGet, p.path, c.Ports[0].Name)
		}
	}
	if !c.SecurityContext.ReadOnlyRootFilesystem || c.SecurityContext.AllowPrivilegeEscalation {
		t.Errorf("container security %+v, want a read-only root and no privilege escalation", c.SecurityContext)
	}
	if c.Resources.Requests["cpu"] == "" || c.Resources.Limits["memory"] == "" {
		t.Errorf("resources %+v, want a CPU request and a memory limit", c.Resources)
	}
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	secret := objs["Secret"]
	for k := range secret.StringData {
		env[k] = secret.StringData[k]
	}
	for name := range env {
		if !slices.Contains(vars, name) {
			t.Errorf("%s is set but sowhat reads no such variable (.env.example)", name)
		}
	}
	for _, name := range []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "OPENAI_API_KEY", "DATABASE_URL"} {
		if _, ok := secret.StringData[name]; !ok {
			t.Errorf("the Secret has no %s", name)
		}
	}
	if len(c.EnvFrom) != 1 || c.EnvFrom[0].SecretRef.Name != secret.Metadata.Name {
		t.Errorf("envFrom %+v, want the Secret %s", c.EnvFrom, secret.Metadata.Name)
	}
	svc := objs["Service"]
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort != c.Ports[0].Name {
		t.Errorf("service ports %+v, want one to the container's %s port", svc.Spec.Ports, c.Ports[0].Name)
	}
	checkReportsConfigMap(t, objs["ConfigMap"], pod, env)
	files, _ := filepath.Glob("k8s/*.yaml")
	for _, f := range files {
		if b := filepath.Base(f); b != "kustomization.yaml" && !slices.Contains(objs["Kustomization"].Resources, b) {
			t.Errorf("kustomization.yaml leaves out %s", b)
		}
	}
}

// checkReportsConfigMap: the ConfigMap is mounted where REPORTS_CONFIG
// points, holds reports.example.yaml, and passes what serve checks at
// start: it parses, and its digests post finance figures only to the
// channels in SENSITIVE_CHANNELS.
func checkReportsConfigMap(t *testing.T, cm object, pod podSpec, env map[string]string) {
	t.Helper()
	var vol string
	for _, v := range pod.Volumes {
		if v.ConfigMap != nil && v.ConfigMap.Name == cm.Metadata.Name {
			vol = v.Name
		}
	}
	var mount string
	for _, m := range pod.Containers[0].VolumeMounts {
		if m.Name == vol {
			mount = m.MountPath
		}
	}
	dir, file := filepath.Split(env[reports.EnvConfig])
	if vol == "" || filepath.Clean(dir) != mount {
		t.Fatalf("%s=%s, but the ConfigMap %s is mounted at %q", reports.EnvConfig, env[reports.EnvConfig], cm.Metadata.Name, mount)
	}
	text, ok := cm.Data[file]
	if !ok {
		t.Fatalf("the ConfigMap has no %s", file)
	}
	if text != read(t, "reports.example.yaml") {
		t.Error("the ConfigMap's reports.yaml is not reports.example.yaml")
	}
	cfg, err := reports.ParseConfig(file, []byte(text), time.UTC)
	if err != nil {
		t.Fatalf("the ConfigMap's %s: %v", file, err)
	}
	pol, err := bot.NewPolicy(bot.PolicyConfig{SensitiveChannels: bot.ParseList(env["SENSITIVE_CHANNELS"]), SensitiveMetrics: bot.DefaultSensitiveMetrics})
	if err != nil {
		t.Fatal(err)
	}
	if err := reports.CheckClearance(cfg, pol); err != nil {
		t.Errorf("serve would refuse the ConfigMap's digests: %v", err)
	}
}

// TestSystemdUnit: the unit serves on loopback as a user of its own,
// reads the settings file and keeps its data in its state directory.
func TestSystemdUnit(t *testing.T) {
	unit := read(t, "deploy/systemd/sowhat.service")
	keys := map[string][]string{}
	for _, line := range strings.Split(unit, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf("line %q is not KEY=value", line)
		}
		keys[k] = append(keys[k], v)
	}
	for k, want := range map[string]string{
		"ExecStart":       "/usr/local/bin/sowhat serve --addr 127.0.0.1:8080",
		"EnvironmentFile": "/etc/sowhat/sowhat.env",
		"StateDirectory":  "sowhat",
		"DynamicUser":     "yes",
		"Restart":         "on-failure",
		"ProtectSystem":   "strict",
		"NoNewPrivileges": "yes",
		"WantedBy":        "multi-user.target",
	} {
		if !slices.Contains(keys[k], want) {
			t.Errorf("%s=%v, want %s", k, keys[k], want)
		}
	}
	if !slices.Contains(keys["Environment"], "DATABASE_URL=/var/lib/sowhat/sowhat.db") {
		t.Error("the unit does not put the database in its state directory")
	}
}
