// Where replay() spends its time: a CPU profile of one bench case and its top self-time functions.
//
//   node bench/profile.mjs [case] [--runs=N] [--top=N]
//     case: seq-1000-on (default), seq-1000-off, seq-10-on, seq-20-on, seq-20-off, seq-100-on, fan-out-on, pipeline-on,
//           handler-20-on, bare-1000
//   node bench/profile.mjs --summarize=<file.cpuprofile> [--top=N]
//
// The case runs in a child `node --cpu-prof` (the profile is written to bench/.profiles/, ignored
// by git as *.cpuprofile); then the samples are summed per function (self time) and per file.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args0 = process.argv.slice(2);
// --root=<dir>: profile another build of the package (its dist/index.js), e.g. a copy with a change
const root = args0.find((a) => a.startsWith("--root="))?.slice(7) ?? join(here, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const top = Number(option("top", 25));

function summarize(file) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fnTotals = new Map();
  const fileTotals = new Map();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const cf = node.callFrame;
    const url = cf.url ? cf.url.replace(pathToFileURL(root).href + "/", "").replace(/^.*node_modules\//, "node_modules/") : "";
    const name = cf.functionName || "(anonymous)";
    const where = url ? `${url}:${cf.lineNumber + 1}` : "";
    const key = `${name}  ${where}`;
    fnTotals.set(key, (fnTotals.get(key) ?? 0) + us);
    const fileKey = url ? url.replace(/^(node_modules\/(@[^/]+\/)?[^/]+).*$/, "$1") : name.startsWith("(") ? name : "(native/builtin)";
    fileTotals.set(fileKey, (fileTotals.get(fileKey) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const ms = (us) => `${(us / 1000).toFixed(0).padStart(6)} ms`;
  console.log(`profile ${basename(file)}: ${(total / 1000).toFixed(0)} ms of samples\n\nTop self time by function:`);
  for (const [key, us] of [...fnTotals].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)} ${ms(us)}  ${key}`);
  console.log(`\nSelf time by file / package:`);
  for (const [key, us] of [...fileTotals].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(us)} ${ms(us)}  ${key}`);
}

const summarizeFile = option("summarize");
if (summarizeFile) {
  summarize(summarizeFile);
} else if (args.includes("--child")) {
  const { replay, replayHandler, simulatorEnv } = await import(pathToFileURL(join(root, "dist/index.js")).href);
  const { sequential, fanOut, dynamicPipeline, pipelinePayload, bareReplay, OFF } = await import("./workflows.mjs");
  const name = option("case");
  const runs = Number(option("runs", 5));
  const cases = {
    "seq-1000-on": () => replay(sequential(1000), { payload: {} }),
    "seq-1000-off": () => replay(sequential(1000), { payload: {}, ...OFF }),
    "seq-10-on": () => replay(sequential(10), { payload: {} }),
    "seq-10-off": () => replay(sequential(10), { payload: {}, ...OFF }),
    "seq-20-on": () => replay(sequential(20), { payload: {} }),
    "seq-20-off": () => replay(sequential(20), { payload: {}, ...OFF }),
    "fan-out-off": () => replay(fanOut(50), { payload: {}, ...OFF }),
    "seq-100-on": () => replay(sequential(100), { payload: {} }),
    "fan-out-on": () => replay(fanOut(50), { payload: {} }),
    "pipeline-on": () => replay(dynamicPipeline, { payload: pipelinePayload(10) }),
    "bare-1000": () => bareReplay(sequential(1000), {}),
    "handler-20-on": (() => {
      let handler;
      return async () => {
        if (!handler) {
          const { serve } = await import("@upstash/workflow");
          handler = serve(sequential(20), { env: simulatorEnv() }).handler;
        }
        return replayHandler(handler, { payload: {} });
      };
    })(),
  };
  const run = cases[name];
  if (!run) throw new Error(`unknown case ${name}; one of ${Object.keys(cases).join(", ")}`);
  for (let i = 0; i < runs; i++) await run();
} else {
  const name = args.find((a) => !a.startsWith("--")) ?? "seq-1000-on";
  const dir = join(here, ".profiles");
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const small = /-(10|20)-|pipeline|fan-out/.test(name);
  const child = spawnSync(
    process.execPath,
    ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=200", fileURLToPath(import.meta.url), "--child", `--case=${name}`, `--root=${root}`, `--runs=${option("runs", small ? 300 : 5)}`],
    { stdio: "inherit" },
  );
  if (child.status !== 0) process.exit(child.status ?? 1);
  const file = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).mtimeMs >= started)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  console.log(`case ${name}`);
  summarize(file);
}
