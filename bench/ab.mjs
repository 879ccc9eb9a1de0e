// A/B of two builds of the package in ONE process, cases interleaved round by round, so a change to
// the engine is measured against the same load: the figure for a commit message.
//
//   node bench/ab.mjs <dirA> <dirB> [--rounds=N] [--cases=seq-10-on,pipeline-10-on,seq-1000-on]
//     dirA / dirB: package roots whose dist/index.js is imported (e.g. a worktree built before the change)
import { performance } from "node:perf_hooks";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { dynamicPipeline, fanOut, OFF, pipelinePayload, sequential } from "./workflows.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const [dirA, dirB] = args.filter((a) => !a.startsWith("--"));
if (!dirA || !dirB) throw new Error("usage: node bench/ab.mjs <dirA> <dirB> [--rounds=N] [--cases=...]");
const A = await import(pathToFileURL(join(resolve(dirA), "dist/index.js")).href);
const B = await import(pathToFileURL(join(resolve(dirB), "dist/index.js")).href);
const rounds = Number(option("rounds", 7));

const CASES = {
  "seq-10-on": { route: sequential(10), options: { payload: {} }, iterations: 150 },
  "seq-10-off": { route: sequential(10), options: { payload: {}, ...OFF }, iterations: 150 },
  "seq-20-on": { route: sequential(20), options: { payload: {} }, iterations: 100 },
  "seq-20-off": { route: sequential(20), options: { payload: {}, ...OFF }, iterations: 100 },
  "pipeline-10-on": { route: dynamicPipeline, options: { payload: pipelinePayload(10) }, iterations: 150 },
  "seq-100-on": { route: sequential(100), options: { payload: {} }, iterations: 10 },
  "seq-100-off": { route: sequential(100), options: { payload: {}, ...OFF }, iterations: 10 },
  "fan-out-on": { route: fanOut(50), options: { payload: {} }, iterations: 3 },
  "fan-out-off": { route: fanOut(50), options: { payload: {}, ...OFF }, iterations: 3 },
  "seq-1000-on": { route: sequential(1000), options: { payload: {} }, iterations: 1 },
  "seq-1000-off": { route: sequential(1000), options: { payload: {}, ...OFF }, iterations: 1 },
  // steps returning numbers and strings instead of small objects
  "prim-1000-off": { route: primitives(1000), options: { payload: {}, ...OFF }, iterations: 1 },
  "prim-1000-on": { route: primitives(1000), options: { payload: {} }, iterations: 1 },
};
function primitives(n) {
  return async (context) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum = await context.run(`step-${i}`, () => sum + i);
      await context.run(`label-${i}`, () => `item-${i}`);
      i++;
    }
    return sum;
  };
}
const chosen = option("cases", "seq-10-on,pipeline-10-on,seq-100-on,seq-1000-on").split(",");
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

console.log(`A = ${dirA}\nB = ${dirB}`);
for (const name of chosen) {
  const c = CASES[name];
  if (!c) throw new Error(`unknown case ${name}: one of ${Object.keys(CASES).join(", ")}`);
  const run = (lib) => lib.replay(c.route, c.options);
  const outA = await run(A);
  const outB = await run(B);
  if (JSON.stringify(outA.output) !== JSON.stringify(outB.output) || outA.findings.length !== outB.findings.length) {
    throw new Error(`${name}: A and B disagree (output or findings)`);
  }
  const times = { A: [], B: [] };
  const cpu = { A: [], B: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [key, lib] of r % 2 ? [["B", B], ["A", A]] : [["A", A], ["B", B]]) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < c.iterations; i++) await run(lib);
      times[key].push((performance.now() - t0) / c.iterations);
      const used = process.cpuUsage(c0);
      cpu[key].push((used.user + used.system) / 1000 / c.iterations);
    }
  }
  const ratios = times.A.map((a, i) => times.B[i] / a);
  const cpuRatios = cpu.A.map((a, i) => cpu.B[i] / a);
  console.log(
    `${name.padEnd(15)} wall A ${median(times.A).toFixed(3).padStart(9)} ms  B ${median(times.B).toFixed(3).padStart(9)} ms  B/A ${median(ratios).toFixed(3)} (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` +
      ` | CPU A ${median(cpu.A).toFixed(3).padStart(9)} ms  B ${median(cpu.B).toFixed(3).padStart(9)} ms  B/A ${median(cpuRatios).toFixed(3)} (rounds ${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)})`,
  );
}
