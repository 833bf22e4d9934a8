// Package deploy holds what runs sowhat outside a terminal: build.sh (the
// build the Dockerfile and CI both run), an example systemd unit, and
// Kubernetes manifests. It has no code; its tests check the files against
// the binary: the Dockerfile builds with build.sh, the probes are the
// paths serve answers, the variables are ones the configuration reads,
// and the reports ConfigMap parses as serve parses it.
package deploy
