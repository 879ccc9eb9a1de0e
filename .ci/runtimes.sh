#!/usr/bin/env bash
# Installs the CI's extra runtimes (Node 22 and 24, bun) from the npm registry into a cache outside
# the repository, keyed by .ci/runtimes/package-lock.json, and prints the variables to source:
#   NODE20_DIR (the machine's Node), NODE22_DIR, NODE24_DIR (bin dirs), BUN (the binary).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${WORKFLOW_REPLAY_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/workflow-replay-ci}/runtimes"
key="$(sha256sum "$here/runtimes/package-lock.json" | cut -c1-16)"
dir="$cache/$key"
if [ ! -x "$dir/node_modules/node24/bin/node" ] || [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$here/runtimes/package.json" "$here/runtimes/package-lock.json" "$dir/"
  # The bun package's postinstall only links its binary (bin/bun.exe already is the binary for this
  # platform when scripts are off); run with --foreground-scripts so it works either way.
  (cd "$dir" && npm ci --no-audit --no-fund --foreground-scripts >&2)
  touch "$dir/.complete"
fi
bun="$dir/node_modules/bun/bin/bun.exe"
if ! "$bun" --version >/dev/null 2>&1; then
  (cd "$dir/node_modules/bun" && node install.js >&2) || true
  [ -x "$dir/node_modules/.bin/bun" ] && bun="$(readlink -f "$dir/node_modules/.bin/bun")"
fi
echo "NODE20_DIR=$(dirname "$(command -v node)")"
echo "NODE22_DIR=$dir/node_modules/node22/bin"
echo "NODE24_DIR=$dir/node_modules/node24/bin"
echo "BUN=$bun"
