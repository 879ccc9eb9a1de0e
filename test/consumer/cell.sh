#!/usr/bin/env bash
# One cell of the consumer matrix: a fresh project from a template, the packed tarball installed
# with no flag, then `npm ci` on the lockfile that install wrote, then the cell's tests.
# Usage: cell.sh <cell>   (env: TARBALL, NODE20_DIR, NODE22_DIR, NODE24_DIR, BUN, CELLS_DIR)
set -euo pipefail
cell="$1"
here="$(cd "$(dirname "$0")" && pwd)"
dir="$CELLS_DIR/$cell"
rm -rf "$dir" && mkdir -p "$dir"
cd "$dir"

step() { printf '\n### %s: %s\n' "$cell" "$*"; }
# use <node dir>: this Node first on PATH (npm's `#!/usr/bin/env node` then runs on it too).
use() { export PATH="$1:$BASE_PATH"; step "node $(node --version), npm $(npm --version)"; }
template() { cp -R "$here/$1/." . && cp "$here/common/"* .; }
add() {
  step "npm i -D <tarball> $*"
  npm install --save-dev --no-audit --no-fund "$TARBALL" "$@"
}
install() {
  add "$@"
  step "npm ci (the lockfile the install wrote)"
  rm -rf node_modules
  npm ci --no-audit --no-fund
}
# The CLI on the TypeScript workflow module (tsx when installed, else the runtime's own TypeScript).
cli() {
  step "CLI: $* workflow-replay check workflow.ts#greet"
  "$@" node_modules/workflow-replay/dist/cli.js check workflow.ts#greet greet.history.json
}
# tsc --strict with skipLibCheck false. Under node10, fast-check's, msw's and vitest's own declarations import
# subpaths only their dependencies' "exports" maps have (pure-rand/types/..., @mswjs/interceptors/WebSocket,
# vite/module-runner):
# those errors are theirs and are listed, not counted; any other error fails the cell (decision 1405).
tsc_check() {
  for resolution in "$@"; do
    step "tsc --strict (skipLibCheck false, moduleResolution $resolution)"
    local out status=0
    out="$(npx tsc -p "tsconfig.$resolution.json" 2>&1)" || status=$?
    [ "$status" = 0 ] && { echo "clean"; continue; }
    local ours
    ours="$(printf '%s\n' "$out" | grep -E '^[^ ].*error TS' | grep -Ev '^node_modules/(fast-check|msw|vitest)/' || true)"
    if [ "$resolution" = node10 ] && [ -z "$ours" ]; then
      echo "clean apart from $(printf '%s\n' "$out" | grep -c 'error TS') error(s) in third-party declarations under node10:"
      printf '%s\n' "$out" | grep 'error TS' | sed 's/^/  (third-party) /'
    else
      printf '%s\n' "$out"; return 1
    fi
  done
}
export BASE_PATH="$PATH"

case "$cell" in
  node20-vitest4-msw2)
    use "$NODE20_DIR"; template vitest
    install vitest@4 msw@2 fast-check tsx typescript@5 @types/node@20
    npx vitest run
    tsc_check bundler nodenext
    cli node
    ;;
  node22-vitest5-msw2)
    use "$NODE22_DIR"; template vitest
    install vitest@5 msw@2 fast-check
    npx vitest run
    cli node
    ;;
  node24-vitest5-msw3)
    use "$NODE24_DIR"; template vitest
    add vitest@5 msw@3 fast-check # the issue's acceptance line, alone
    install typescript@5 @types/node@24
    npx vitest run
    tsc_check bundler nodenext node10
    cli node
    ;;
  node24-jest30-cjs)
    use "$NODE24_DIR"; template jest-cjs
    install jest@30 ts-jest@29 @jest/globals@30 typescript@5 @types/node@24 msw@3 fast-check tsx
    npx jest
    tsc_check node10
    # The CLI in a "type": "commonjs" project, on every Node of the matrix.
    cli "$NODE20_DIR/node"
    cli "$NODE22_DIR/node"
    cli "$NODE24_DIR/node"
    ;;
  node24-jest30-esm)
    use "$NODE24_DIR"; template jest-esm
    install jest@30 msw@3 fast-check
    NODE_OPTIONS=--experimental-vm-modules npx jest
    ;;
  node24-node-test)
    use "$NODE24_DIR"; template node-test
    install msw@3 fast-check
    node --test
    cli node
    ;;
  bun)
    use "$NODE24_DIR"; template bun
    install msw@3 fast-check
    step "bun $("$BUN" --version) test"
    "$BUN" test
    cli "$BUN"
    ;;
  *) echo "unknown cell: $cell" >&2; exit 2 ;;
esac
step "green"
