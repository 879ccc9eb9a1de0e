#!/usr/bin/env bash
# The consumer matrix: packs the package and runs every cell of test/consumer/cell.sh against the
# tarball, two at a time (CI has two cores), each in a fresh project under a temp dir. Prints one
# line per cell with its time and writes each cell's log next to it. Exit 1 when a cell fails.
# Usage: matrix.sh [cell...]   (needs the runtime variables of .ci/runtimes.sh in the environment)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
CELLS=(node24-jest30-cjs bun node20-vitest4-msw2 node24-vitest5-msw3 node22-vitest5-msw2 node24-jest30-esm node24-node-test)
[ "$#" -gt 0 ] && CELLS=("$@")
export CELLS_DIR="${CELLS_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/workflow-replay-consumers.XXXXXX")}"
mkdir -p "$CELLS_DIR/logs"
: "${NODE20_DIR:?run through .ci/run, or source the output of .ci/runtimes.sh}"
export NODE20_DIR NODE22_DIR NODE24_DIR BUN

# The tarball npm users get: the full build (with declarations; `npm test` alone builds JS only).
[ -f "$root/dist/index.d.ts" ] && [ -f "$root/dist/index.js" ] || (cd "$root" && npm run build >/dev/null)
TARBALL="$CELLS_DIR/$(cd "$root" && npm pack --pack-destination "$CELLS_DIR" --silent | tail -1)"
export TARBALL
echo "consumer matrix: $TARBALL, cells in $CELLS_DIR"

run_cell() {
  local cell="$1" start end status
  start=$(date +%s)
  if bash "$CONSUMER_DIR/cell.sh" "$cell" >"$CELLS_DIR/logs/$cell.log" 2>&1; then status=green; else status=FAILED; fi
  end=$(date +%s)
  printf '%-22s %-6s %4ss  %s\n' "$cell" "$status" "$((end - start))" "$CELLS_DIR/logs/$cell.log"
  [ "$status" = green ]
}
export CONSUMER_DIR="$root/test/consumer"
export -f run_cell

start=$(date +%s)
failed=0
printf '%s\n' "${CELLS[@]}" | xargs -P "${MATRIX_JOBS:-2}" -I{} bash -c 'run_cell "$@"' _ {} || failed=1
echo "consumer matrix: $(( $(date +%s) - start ))s"
if [ "$failed" = 1 ]; then
  for log in "$CELLS_DIR"/logs/*.log; do
    grep -q '### .*: green$' "$log" && continue
    echo "---- $(basename "$log" .log) (last 60 lines)"; tail -60 "$log"
  done
  exit 1
fi
