#!/bin/sh
# Builds the sowhat binary as the container image ships it: cgo on (the
# embedded SQLite), no local paths, no symbol tables. The Dockerfile's build
# stage runs this script, and so does CI (.ci/run), so the two cannot
# differ. Usage: deploy/build.sh [OUTPUT], default /out/sowhat.
set -eu
out="${1:-/out/sowhat}"
cd "$(dirname "$0")/.."
mkdir -p "$(dirname "$out")"
CGO_ENABLED=1 go build -trimpath -ldflags='-s -w' -o "$out" ./cmd/sowhat
