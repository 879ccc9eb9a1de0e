/** The text of `workflow-replay --help`. */
export const HELP = `workflow-replay — replay recorded Upstash Workflow histories against today's code

Usage
  workflow-replay check <module>#<export> <history files or globs...> [options]

  Loads the workflow's route function (the function you pass to serve() or createWorkflow())
  from <module>, replays every recorded history against it the way QStash redelivers an
  in-flight run after a deploy, prints one line per history, and exits non-zero when any
  history no longer fits today's code (a step renamed, removed, reordered, inserted in the
  middle, of another type, or a parallel group of another width). Appending steps at the end
  is the safe change and passes.

Arguments
  <module>#<export>   A TypeScript (.ts .mts .cts .tsx) or JavaScript (.js .mjs .cjs) file and
                      the name of its export; "#default" when omitted. TypeScript is loaded
                      through tsx (install it: npm i -D tsx), or without it by Node 22.18+
                      and bun themselves; no build step is needed.
  <histories...>      History files (workflow-replay/history@1 JSON) or globs: * ** ? [abc]
                      {a,b}. Quote globs so the shell does not expand them.

Options
  --junit <file>      Also write a JUnit XML report (one testcase per history file).
  --strict            Also fail on changes the SDK does not notice: changed step inputs
                      (sleep duration, wait event id or timeout) and removed trailing steps.
  --github            Print GitHub Actions annotations (::error file=...,line=...::...).
                      On by default when GITHUB_ACTIONS=true; --no-github turns them off.
  --host <host>       Check each delivery against a function host's time limit: vercel-hobby,
                      vercel-pro, vercel-enterprise, or a maxDuration (300, 15m). Prints usage.
  --plan <plan>       Check against an Upstash plan's limits and price: free, pay-as-you-go,
                      fixed-1m, fixed-10m. Prints the billed steps and cost of each history.
  -q, --quiet         Print only the histories that fail, and the summary.
  -h, --help          Show this help.
  -v, --version       Show the version.

Exit codes
  0  every history is compatible with today's code (warnings allowed unless --strict)
  1  at least one history is incompatible, or a history file is invalid
  2  bad arguments, or the workflow module cannot be loaded

Examples
  workflow-replay check src/workflows/order.ts#orderWorkflow "fixtures/histories/order-*.json"
  workflow-replay check dist/workflows.js#approval fixtures/approval.json --junit reports/replay.xml

Record histories with replay(...).history or captureDeliveries() and saveHistory(); see
docs/guide/recorded-histories.md.
`;
