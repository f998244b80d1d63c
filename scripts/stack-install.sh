#!/usr/bin/env bash
# Builds the real backends the stack and scale tests run, as native binaries from the Go module proxy
# (there is no Docker engine to run the compose images): the OpenTelemetry Collector from
# deploy/collector/builder-config.yaml, Prometheus and promtool, Jaeger v2, and compose-check
# (docker-compose.yml validated by compose-go, the library of `docker compose`).
#
# Idempotent: a binary is rebuilt only when its recipe (manifest or go.mod/go.sum) changed.
# Everything lives in STACK_CACHE_DIR (default ~/.cache/otel-monitoring-service), outside the
# clone, so CI's fresh clone and later sessions reuse the binaries and Go's caches.
# For the scale-out deployment (deploy/kubernetes): otelcol-scale, the Collector of the agent and
# gateway tiers (deploy/collector/scale/builder-config.yaml), kustomize, which renders the
# manifests, and kube-validate, which decodes them strictly against the Kubernetes API types.
# prom-samples parses Prometheus text with the Prometheus project's own parser (expfmt), the
# reference the tests check their /metrics reader against. Alertmanager, amtool and Mailpit carry
# alerts to an inbox in the alert-path test.
#
# Needs Go (1.26+). Usage: scripts/stack-install.sh [TARGET ...] (default: all of them)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export STACK_CACHE_DIR="${STACK_CACHE_DIR:-$HOME/.cache/otel-monitoring-service}"
BIN="$STACK_CACHE_DIR/bin"
export GOMODCACHE="${GOMODCACHE:-$STACK_CACHE_DIR/go/mod}"
export GOCACHE="${GOCACHE:-$STACK_CACHE_DIR/go/build}"
export GOFLAGS="${GOFLAGS:--trimpath}"
mkdir -p "$BIN" "$STACK_CACHE_DIR/stamps" "$STACK_CACHE_DIR/build"

log() { printf '[stack-install %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# up_to_date NAME FILES...: true when NAME was built from exactly these files before.
recipe_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }
up_to_date() {
  local name=$1; shift
  [[ -x "$BIN/$name" && -f "$STACK_CACHE_DIR/stamps/$name" && "$(cat "$STACK_CACHE_DIR/stamps/$name")" == "$(recipe_hash "$@")" ]]
}
stamp() { local name=$1; shift; recipe_hash "$@" > "$STACK_CACHE_DIR/stamps/$name"; }

timed() {
  local what=$1; shift
  local started=$SECONDS
  log "building $what"
  "$@"
  log "built $what in $((SECONDS - started)) s"
}

# build_otelcol NAME MANIFEST OCB_VERSION: a Collector distribution from an ocb manifest. Each
# builder version pins its own core, so each manifest is built by the ocb of its release.
build_otelcol() {
  local name=$1 manifest="$ROOT/$2" ocb_version=$3
  local builder="$BIN/builder-$ocb_version"
  if up_to_date "$name" "$manifest"; then log "$name up to date"; return; fi
  if [[ ! -x "$builder" ]]; then
    mkdir -p "$STACK_CACHE_DIR/build/ocb-$ocb_version"
    timed "ocb $ocb_version" env GOBIN="$STACK_CACHE_DIR/build/ocb-$ocb_version" \
      go install "go.opentelemetry.io/collector/cmd/builder@$ocb_version"
    mv "$STACK_CACHE_DIR/build/ocb-$ocb_version/builder" "$builder"
  fi
  local dist
  dist=$(sed -n 's/^  output_path: \.\/\(.*\)$/\1/p' "$manifest")
  timed "$name" bash -c "cd '$STACK_CACHE_DIR/build' && '$builder' --config='$manifest'"
  cp "$STACK_CACHE_DIR/build/$dist/$(sed -n 's/^  name: \(.*\)$/\1/p' "$manifest" | head -n1)" "$BIN/$name"
  stamp "$name" "$manifest"
}

build_tools_module() {
  local name=$1 dir="$ROOT/deploy/build/$2"; shift 2
  # The recipe is the module's files and its own Go sources (a small tool's main.go).
  local recipe=("$dir/go.mod" "$dir/go.sum" "$dir"/*.go)
  if up_to_date "$name" "${recipe[@]}"; then log "$name up to date"; return; fi
  timed "$name" bash -c "cd '$dir' && go build -o '$BIN/' $*"
  stamp "$name" "${recipe[@]}"
}

# Alertmanager's ui/web.go embeds ui/app/dist, an npm and Elm build output that its module zip
# lacks, so `go build` of the module fails ("pattern app/dist: no matching files found"; described
# in https://github.com/conda-forge/staged-recipes/pull/34827). It is built from a copy of the
# module with a one-page stand-in for the web UI: the tests use its API and amtool, never the UI
# (the prom/alertmanager image has the real one). Delete when: the module builds unchanged.
build_alertmanager() {
  local dir="$ROOT/deploy/build/alertmanager" work="$STACK_CACHE_DIR/build/alertmanager"
  local recipe=("$dir/go.mod" "$dir/go.sum" "$dir"/*.go)
  if up_to_date alertmanager "${recipe[@]}"; then log "alertmanager up to date"; return; fi
  local module=github.com/prometheus/alertmanager src
  src=$(cd "$dir" && go mod download -json "$module" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  rm -rf "$work" && mkdir -p "$work"
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  mkdir -p "$work/src/ui/app/dist/elm"
  echo '<p>This Alertmanager was built without its web UI; its API answers under /api/v2.</p>' \
    > "$work/src/ui/app/dist/elm/index.html"
  cp "$dir/go.mod" "$dir/go.sum" "$dir"/*.go "$work/"
  (cd "$work" && go mod edit -replace "$module=./src")
  timed alertmanager bash -c "cd '$work' && go build -o '$BIN/' $module/cmd/alertmanager $module/cmd/amtool"
  stamp alertmanager "${recipe[@]}"
}

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(compose-check prometheus otelcol jaeger otelcol-scale kustomize kube-validate prom-samples alertmanager mailpit)
command -v go >/dev/null || { echo "stack-install: Go is required (go.dev); none on PATH" >&2; exit 1; }
log "go $(go env GOVERSION), cache $STACK_CACHE_DIR"
for target in "${targets[@]}"; do
  case $target in
    otelcol) build_otelcol otelcol deploy/collector/builder-config.yaml v0.165.0 ;;
    otelcol-scale) build_otelcol otelcol-scale deploy/collector/scale/builder-config.yaml v0.161.0 ;;
    kustomize) build_tools_module kustomize kustomize sigs.k8s.io/kustomize/kustomize/v5 ;;
    kube-validate) build_tools_module kube-validate kube-validate . ;;
    prometheus) build_tools_module prometheus prometheus github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool ;;
    jaeger) build_tools_module jaeger jaeger github.com/jaegertracing/jaeger/cmd/jaeger ;;
    compose-check) build_tools_module compose-check compose-check . ;;
    prom-samples) build_tools_module prom-samples prom-samples . ;;
    alertmanager) build_alertmanager ;;
    mailpit) build_tools_module mailpit mailpit github.com/axllent/mailpit ;;
    *) echo "unknown target $target (otelcol, otelcol-scale, prometheus, jaeger, compose-check, kustomize, kube-validate, prom-samples, alertmanager, mailpit)" >&2; exit 2 ;;
  esac
done
ls -la "$BIN"
