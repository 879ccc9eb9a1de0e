// npm run bench — replay cost measured side by side (issue 8) and the detector cost (issue 3).
//
//   node bench/run.mjs                 every case, table on stdout, JSON in bench/results.json
//   node bench/run.mjs --quick         fewer rounds (a smoke run, not for the README)
//   node bench/run.mjs --only=seq-100  only the groups whose id contains the text
//   node bench/run.mjs --baseline=DIR  also the property runs of another build (DIR/dist), interleaved
//                                      with this one, for the "property runs >= 1.4x" target (issue 18)
//
// Every timing case runs in this one process. Within a group the variants (bare baseline, replay()
// with detectors off / on, replayHandler()) are interleaved round by round, so a burst of load from
// another process hits all of them alike; ratios are taken per round and their median reported.
// The peak-heap case runs in child processes (see heapCase()).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { summaryLine, updatePerformanceDocs } from "./performance-doc.mjs";
import os from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { ACTIONS, assertKindsComplete, bareDelivery, bareReplay, dynamicPipeline, fanOut, KINDS, OFF, pipelinePayload, sdkDelivery, sdkHistory, sequential } from "./workflows.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const lib = await import(pathToFileURL(join(root, "dist/index.js")).href);
const { replay } = lib;
const fastCheckPath = join(root, "dist/fast-check.js");
const wrFastCheck = existsSync(fastCheckPath) ? await import(pathToFileURL(fastCheckPath).href) : undefined;
// --baseline=DIR: another build of the package (e.g. a worktree at an older commit, built), for ratios
const baselineDir = option("baseline");
const baseline = baselineDir
  ? {
      dir: baselineDir,
      lib: await import(pathToFileURL(join(baselineDir, "dist/index.js")).href),
      fastCheck: existsSync(join(baselineDir, "dist/fast-check.js")) ? await import(pathToFileURL(join(baselineDir, "dist/fast-check.js")).href) : undefined,
      commit: (() => {
        try {
          return execFileSync("git", ["-C", baselineDir, "rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
        } catch {
          return existsSync(join(baselineDir, "COMMIT")) ? readFileSync(join(baselineDir, "COMMIT"), "utf8").trim() : "unknown";
        }
      })(),
    }
  : undefined;

// ---------------------------------------------------------------------------------------------
// Child modes (peak heap)

if (flag("heap-child") || flag("heap-probe")) {
  const steps = Number(option("steps") ?? 1000);
  const inner = sequential(steps);
  let peak = 0;
  let samples = 0;
  const sample = () => {
    const used = process.memoryUsage().heapUsed;
    samples++;
    if (used > peak) peak = used;
  };
  // Sampling at the top of the route runs at every delivery and every dry run: the moment each
  // delivery's garbage and the run's history are both alive.
  const route = flag("heap-child") ? async (context) => (sample(), inner(context)) : inner;
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const result = await replay(route, { payload: { n: steps } });
  const ms = performance.now() - t0;
  sample();
  const afterRun = process.memoryUsage().heapUsed;
  globalThis.gc?.();
  const retained = process.memoryUsage().heapUsed; // the result (history, deliveries) still referenced
  const stats = (await import("node:v8")).getHeapStatistics();
  process.stdout.write(
    JSON.stringify({
      status: result.status,
      invocations: result.invocations,
      ms,
      before,
      peak,
      afterRun,
      retained,
      samples,
      heapLimit: stats.heap_size_limit,
      totalHeapSize: stats.total_heap_size,
      keep: result.steps.length,
    }) + "\n",
  );
  process.exit(result.status === "completed" ? 0 : 1);
}

// ---------------------------------------------------------------------------------------------
// Machine

function machine() {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  let nproc = os.availableParallelism?.() ?? os.cpus().length;
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim());
  } catch {}
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {}
  return {
    cpu: model,
    nproc,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    commit,
    date: new Date().toISOString(),
    loadBefore: os.loadavg().map((l) => +l.toFixed(2)),
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
};
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75), n: xs.length });

/**
 * Wall time per run, and CPU time per run (process.cpuUsage: user + system, all threads — GC helper
 * threads included, so it can exceed wall time; it does not grow when other processes take the cores).
 */
async function timeBatch(fn, iterations) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  const wall = (performance.now() - t0) / iterations;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 / iterations };
}

// ---------------------------------------------------------------------------------------------
// Variants: how each driver runs one workflow, and what it did (for the visit counts)

/**
 * Memoized visits of a replay driver: steps served from history, summed over deliveries. For a
 * sequential run (and the pipeline) the SDK protocol fixes it: delivery k re-visits the k-1 steps
 * before it, so n steps make n(n+1)/2 visits; the bare loop counts its own and must agree. For the
 * fan-out the drivers' delivery counts differ (plan, partial, discard, last), so no per-visit figure.
 */
const sequentialVisits = (n) => (n * (n + 1)) / 2;

function variants(route, payload, visits) {
  const list = {
    bare: {
      label: "bare loop",
      run: () => bareReplay(route, payload),
      describe: (r) => ({ output: r.output, status: "completed", deliveries: r.deliveries, visits: visits === undefined ? undefined : r.visits, findings: 0 }),
    },
    off: {
      label: "replay() detectors off",
      run: () => replay(route, { payload, ...OFF }),
      describe: (r) => ({ output: r.output, status: r.status, deliveries: r.invocations, visits, findings: r.findings.length }),
    },
    on: {
      label: "replay() all detectors on",
      run: () => replay(route, { payload }),
      describe: (r) => ({ output: r.output, status: r.status, deliveries: r.invocations, visits, findings: r.findings.length, kinds: [...new Set(r.findings.map((f) => f.kind))] }),
    },
  };
  if (handlerDriver) {
    list.handlerOff = {
      label: "replayHandler() detectors off",
      run: () => handlerDriver(route, { payload, checks: OFF.checks }), // replayHandler has no perturbation pass
      describe: (r) => ({ output: r.output, status: r.status, deliveries: r.invocations, visits, findings: r.findings.length }),
    };
    list.handlerOn = {
      label: "replayHandler() all detectors on",
      run: () => handlerDriver(route, { payload }),
      describe: (r) => ({ output: r.output, status: r.status, deliveries: r.invocations, visits, findings: r.findings.length, kinds: [...new Set(r.findings.map((f) => f.kind))] }),
    };
  }
  return list;
}

/** replayHandler() on a route: the real SDK serve() handler against the QStash simulator. */
let handlerDriver;
if (typeof lib.replayHandler === "function") {
  const { serve } = await import("@upstash/workflow");
  const env = typeof lib.simulatorEnv === "function" ? lib.simulatorEnv() : undefined;
  const handlers = new Map();
  handlerDriver = (route, options) => {
    let served = handlers.get(route);
    if (!served) {
      served = serve(route, env ? { env } : {});
      handlers.set(route, served);
    }
    const handler = typeof lib.fromServe === "function" ? lib.fromServe(served) : served.handler;
    return lib.replayHandler(handler, options);
  };
}

// ---------------------------------------------------------------------------------------------
// Groups

const quick = flag("quick");
/**
 * rounds: samples per variant; targetMs: each sample repeats the run until it lasts about this long
 * (per-run time = sample / iterations). skip: variants left out (with the reason printed).
 */
const GROUPS = [
  // one step: two deliveries and one memoized visit (a route without steps fails the SDK's auth check)
  { id: "seq-1", label: "sequential, 1 step", steps: 1, route: sequential(1), payload: { n: 1 }, rounds: 9, targetMs: 100 },
  { id: "seq-10", label: "sequential, 10 steps", steps: 10, route: sequential(10), payload: { n: 10 }, rounds: 9, targetMs: 150 },
  { id: "seq-20", label: "sequential, 20 steps", steps: 20, route: sequential(20), payload: { n: 20 }, rounds: 9, targetMs: 150 },
  { id: "seq-100", label: "sequential, 100 steps", steps: 100, route: sequential(100), payload: { n: 100 }, rounds: 9, targetMs: 250 },
  {
    id: "seq-1000",
    label: "sequential, 1,000 steps",
    steps: 1000,
    route: sequential(1000),
    payload: { n: 1000 },
    rounds: 5,
    targetMs: 0,
    // replayHandler() takes ~8 s of CPU for 1,000 steps: one run with detectors on, timed once
    skip: { handlerOff: "replayHandler() detectors off on 1,000 steps: left out for time (detectors on is timed once)" },
    slow: { handlerOn: 1 },
  },
  { id: "fan-out-50", label: "parallel fan-out of 50", steps: 50, route: fanOut(50), payload: { n: 50 }, parallel: true, rounds: 9, targetMs: 250 },
  { id: "pipeline-20", label: "dynamic pipeline, 20 entries", steps: 20, route: dynamicPipeline, payload: pipelinePayload(20), rounds: 9, targetMs: 150 },
];

async function runGroup(group) {
  const all = variants(group.route, group.payload, group.parallel ? undefined : sequentialVisits(group.steps));
  const chosen = Object.entries(all).filter(([key]) => !group.skip?.[key]);
  const info = {};
  const iterations = {};
  // Warm-up: every variant once (JIT, module caches), checked for the same output; then calibrate.
  for (const [key, v] of chosen) {
    if (!group.slow?.[key]) await v.run();
    const t0 = performance.now();
    const described = v.describe(await v.run());
    const once = performance.now() - t0;
    info[key] = described;
    iterations[key] = group.targetMs ? Math.max(1, Math.round(group.targetMs / Math.max(once, 0.01))) : 1;
    if (described.status !== "completed") throw new Error(`${group.id}/${key}: run ended ${described.status}`);
    if (key === "bare" && !group.parallel && described.visits !== sequentialVisits(group.steps)) {
      throw new Error(`${group.id}/bare: ${described.visits} memoized visits, expected ${sequentialVisits(group.steps)}`);
    }
    if (!isDeepStrictEqual(described.output, info.bare.output)) {
      throw new Error(`${group.id}/${key}: output ${JSON.stringify(described.output)} differs from the bare loop's ${JSON.stringify(info.bare.output)}`);
    }
  }
  const times = Object.fromEntries(chosen.map(([key]) => [key, []]));
  const cpu = Object.fromEntries(chosen.map(([key]) => [key, []]));
  const rounds = quick ? Math.min(3, group.rounds) : group.rounds;
  for (let r = 0; r < rounds; r++) {
    // rotate the order each round so no variant always runs right after the same one
    for (let k = 0; k < chosen.length; k++) {
      const [key, v] = chosen[(k + r) % chosen.length];
      if (group.slow?.[key] !== undefined && r >= group.slow[key]) continue;
      const t = await timeBatch(v.run, iterations[key]);
      times[key].push(t.wall);
      cpu[key].push(t.cpu);
    }
  }
  // per-round ratios (a slow variant timed in fewer rounds pairs with the first rounds of the other)
  const ratio = (a, b) => (times[a] && times[b] ? summary(times[a].map((t, i) => t / times[b][i])) : undefined);
  const cpuRatio = (a, b) => (cpu[a] && cpu[b] ? summary(cpu[a].map((t, i) => t / cpu[b][i])) : undefined);
  const rows = chosen.map(([key, v]) => {
    const s = summary(times[key]);
    return {
      group: group.id,
      variant: key,
      label: v.label,
      steps: group.steps,
      deliveries: info[key].deliveries,
      visits: info[key].visits,
      findings: info[key].findings,
      ...(info[key].kinds?.length ? { kinds: info[key].kinds } : {}),
      iterations: iterations[key],
      ms: s,
      cpuMs: summary(cpu[key]),
      runsPerSecond: 1000 / s.median,
      usPerVisit: info[key].visits ? (s.median * 1000) / info[key].visits : undefined,
      vsBare: key === "bare" ? undefined : ratio(key, "bare"),
      cpuVsBare: key === "bare" ? undefined : cpuRatio(key, "bare"),
    };
  });
  return {
    id: group.id,
    label: group.label,
    rows,
    ratios: {
      onVsOff: ratio("on", "off"),
      onVsBare: ratio("on", "bare"),
      offVsBare: ratio("off", "bare"),
      handlerOnVsOn: ratio("handlerOn", "on"),
      handlerOffVsOff: ratio("handlerOff", "off"),
    },
    cpuRatios: {
      onVsOff: cpuRatio("on", "off"),
      onVsBare: cpuRatio("on", "bare"),
      offVsBare: cpuRatio("off", "bare"),
      handlerOnVsOn: cpuRatio("handlerOn", "on"),
      handlerOffVsOff: cpuRatio("handlerOff", "off"),
    },
    skipped: group.skip ?? {},
  };
}

// ---------------------------------------------------------------------------------------------
// What each detector costs: one kind on at a time (the others off), 100 sequential steps

async function detectorBreakdown() {
  const route = sequential(100);
  const payload = { n: 100 };
  const variantsByKind = [["none", { ...OFF }], ...KINDS.map((kind) => [kind, { checks: { ...OFF.checks, [kind]: "error" }, perturb: kind === "nondeterminism" }]), ["all", {}]];
  const rounds = quick ? 2 : 5;
  const times = Object.fromEntries(variantsByKind.map(([k]) => [k, []]));
  for (const [, options] of variantsByKind) await replay(route, { payload, ...options });
  for (let r = 0; r < rounds; r++) {
    for (const [kind, options] of variantsByKind) times[kind].push((await timeBatch(() => replay(route, { payload, ...options }), 8)).cpu);
  }
  // CPU time (load-insensitive); per round, a kind costs its time minus the all-off time of that round
  return variantsByKind.map(([kind]) => ({
    kind,
    ms: summary(times[kind]),
    extraMs: kind === "none" ? undefined : summary(times[kind].map((t, i) => t - times.none[i])),
  }));
}

// ---------------------------------------------------------------------------------------------
// The cost of one memoized visit on the SDK's own context (the floor for an SDK-faithful replay)

/**
 * One delivery of the 1,000-step route with all 1,000 steps in the history, on the real
 * WorkflowContext of @upstash/workflow and on the bare loop's context: time / 1,000 is what one
 * memoized visit costs in each. replay()'s executor mirrors the SDK's chain of async functions and
 * its two-microtask parallel window, so the SDK's figure is what replay() can approach without
 * giving up fidelity; the bare loop's is one microtask per visit.
 */
async function visitCost() {
  const { WorkflowContext } = await import("@upstash/workflow");
  const n = 1000;
  const route = sequential(n);
  const payload = { n };
  const steps = await sdkHistory(route, payload);
  const memo = steps.slice(1).map((step) => step.out);
  const expected = await bareDelivery(route, memo, payload);
  if ((await sdkDelivery(WorkflowContext, route, steps, payload)) !== expected) throw new Error("visit cost: the SDK's context disagrees with the bare loop");
  const variants = { bare: () => bareDelivery(route, memo, payload), sdk: () => sdkDelivery(WorkflowContext, route, steps, payload) };
  const times = { bare: [], sdk: [] };
  for (const v of Object.values(variants)) for (let i = 0; i < 20; i++) await v();
  for (let r = 0; r < (quick ? 3 : 9); r++) {
    for (const [key, v] of Object.entries(variants)) times[key].push((await timeBatch(v, 20)).cpu);
  }
  return {
    visits: n,
    bareUsPerVisit: summary(times.bare.map((t) => (t * 1000) / n)),
    sdkUsPerVisit: summary(times.sdk.map((t) => (t * 1000) / n)),
  };
}

// ---------------------------------------------------------------------------------------------
// Property runs per second

/** One sample of each way to run property runs, for a build (`lib`, `fc entry`): a function per way. */
async function propertySamplers(build, fastCheckEntry, runs) {
  const out = {};
  if (fastCheckEntry?.replayProperty) {
    const fc = (await import("fast-check")).default;
    const payload = fc.record({ pipeline: fastCheckEntry.pipeline ? fastCheckEntry.pipeline(ACTIONS, { minLength: 10, maxLength: 10 }) : fc.array(fc.constantFrom(...ACTIONS), { minLength: 10, maxLength: 10 }) });
    const property = fastCheckEntry.replayProperty(dynamicPipeline, { payload });
    await fc.assert(property, { numRuns: 300, seed: 1 }); // warm-up (fast-check and the engine JIT)
    let r = 0;
    out.replayProperty = {
      via: "fc.assert(replayProperty(dynamicPipeline, { payload: fc.record({ pipeline: pipeline(ACTIONS, 10..10) }) }))",
      sample: () => timeBatch(() => fc.assert(property, { numRuns: runs, seed: 100 + r++ }), 1),
    };
  }
  const payloads = Array.from({ length: runs }, (_, i) => pipelinePayload(10, 1000 + i));
  for (const p of payloads.slice(0, 200)) await build.replay(dynamicPipeline, { payload: p });
  out.replayLoop = {
    via: "a loop of replay(dynamicPipeline, { payload }) over generated 10-entry pipelines",
    sample: () =>
      timeBatch(async () => {
        for (const p of payloads) {
          const result = await build.replay(dynamicPipeline, { payload: p });
          if (result.status !== "completed") throw new Error(`property loop: run ended ${result.status}`);
        }
      }, 1),
  };
  return out;
}

/**
 * Property runs per second (wall and CPU), through replayProperty when it is built and through a
 * plain replay() loop. With --baseline, the baseline build's runs are sampled in the same rounds
 * (order alternating) and `vsBaseline` is the median of the per-round CPU ratios.
 */
async function propertyCase() {
  const runs = quick ? 100 : 400;
  const rounds = quick ? 3 : 7;
  const builds = { current: await propertySamplers(lib, wrFastCheck, runs) };
  if (baseline) builds.baseline = await propertySamplers(baseline.lib, baseline.fastCheck, runs);
  const samples = {};
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 && baseline ? ["baseline", "current"] : Object.keys(builds);
    for (const build of order) {
      for (const [way, sampler] of Object.entries(builds[build])) {
        const t = await sampler.sample();
        ((samples[build] ??= {})[way] ??= { wall: [], cpu: [] }).wall.push((runs * 1000) / t.wall);
        samples[build][way].cpu.push((runs * 1000) / t.cpu);
      }
    }
  }
  const out = {};
  for (const [way, sampler] of Object.entries(builds.current)) {
    const mine = samples.current[way];
    out[way] = { via: sampler.via, runs, runsPerSecond: summary(mine.wall), runsPerCpuSecond: summary(mine.cpu) };
    const theirs = samples.baseline?.[way];
    if (theirs) {
      out[way].baseline = { dir: baseline.dir, commit: baseline.commit, runsPerSecond: summary(theirs.wall), runsPerCpuSecond: summary(theirs.cpu) };
      out[way].vsBaseline = summary(mine.cpu.map((c, i) => c / theirs.cpu[i]));
    }
  }
  out.source = out.replayProperty ? "replayProperty" : "replayLoop";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Peak heap of the 1,000-step run

/**
 * Two measurements, each in a fresh process:
 * 1. sampling: `node --expose-gc`, gc() before the run, then process.memoryUsage().heapUsed read at
 *    the top of the route — every delivery and every dry run, i.e. 2,002 times for 1,000 steps —
 *    and once after the run; the peak is the largest sample (absolute heap, library included), and
 *    the growth is the peak minus the heap before the run. Sampling between GCs sees the garbage
 *    not yet collected too, so it is an upper bound on what the run needs.
 * 2. a cap: the same run with `--max-old-space-size=<MB>` and no sampling; exit 0 means the run
 *    completed with the old generation capped there (young generation semispaces come on top).
 */
function heapCase() {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ["--expose-gc", script, "--heap-child", "--steps=1000"], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`heap child failed: ${child.stderr}`);
  const sampled = JSON.parse(child.stdout.trim().split("\n").at(-1));
  const caps = {};
  for (const mb of [100, 48, 32]) {
    const probe = spawnSync(process.execPath, [`--max-old-space-size=${mb}`, script, "--heap-probe", "--steps=1000"], { encoding: "utf8" });
    caps[mb] = probe.status === 0 ? "completed" : `failed (exit ${probe.status}${/heap out of memory/i.test(probe.stderr) ? ", heap out of memory" : ""})`;
  }
  return { method: "sampled heapUsed at every delivery and dry run (--expose-gc, gc() before), plus --max-old-space-size caps", sampled, caps };
}

// ---------------------------------------------------------------------------------------------
// Cost model: t = F + a·deliveries + b·visits (CPU time), fitted on the sequential runs

/**
 * For each driver, a least-squares fit of CPU µs per run over the sequential cases (1, 10, 20, 100 and
 * 1,000 steps) with relative weights (each case's residual divided by its time, so the 1,000-step run
 * does not drown the short ones): F is the fixed cost of a replay, a the cost of one delivery
 * (the dry run, the frontier step, the abort and the engine's bookkeeping), b the cost of one memoized visit.
 */
function costModel(groups) {
  const seq = groups.filter((g) => /^seq-\d+$/.test(g.id));
  if (seq.length < 3) return undefined;
  const out = {};
  for (const variant of ["bare", "off", "on", "handlerOff", "handlerOn"]) {
    const points = [];
    for (const g of seq) {
      const row = g.rows.find((r) => r.variant === variant);
      if (row && row.visits !== undefined) points.push({ d: row.deliveries, v: row.visits, t: row.cpuMs.median * 1000, case: g.id });
    }
    if (points.length < 3) continue;
    // normal equations of the weighted system [1 d v]·[F a b] = t, weight 1/t
    const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    const y = [0, 0, 0];
    for (const p of points) {
      const row = [1 / p.t, p.d / p.t, p.v / p.t];
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) m[i][j] += row[i] * row[j];
        y[i] += row[i];
      }
    }
    const [F, a, b] = solve3(m, y);
    const residuals = points.map((p) => ({ case: p.case, measuredUs: p.t, modelUs: F + a * p.d + b * p.v }));
    out[variant] = { fixedUs: F, usPerDelivery: a, usPerVisit: b, residuals };
  }
  return out;
}

function solve3(m, y) {
  const a = m.map((row, i) => [...row, y[i]]);
  for (let c = 0; c < 3; c++) {
    let pivot = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k < 4; k++) a[r][k] -= f * a[c][k];
    }
  }
  return [a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]];
}

// ---------------------------------------------------------------------------------------------
// Output

const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
const fmtX = (s) => (s ? `${s.median.toFixed(2)}x` : "");
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

function table(groups) {
  const lines = [];
  lines.push(
    `| case | driver | deliveries | memoized visits | median ms/run | min–max ms | CPU ms/run | runs/s | µs/visit | vs bare (wall / CPU) |`,
    `|---|---|--:|--:|--:|--:|--:|--:|--:|--:|`,
  );
  for (const g of groups) {
    for (const r of g.rows) {
      lines.push(
        `| ${g.label} | ${r.label}${r.findings ? ` (${r.findings} findings: ${r.kinds?.join(", ")})` : ""} | ${r.deliveries} | ${r.visits === undefined ? "" : r.visits.toLocaleString("en-US")} | ${fmtMs(r.ms.median)} | ${fmtMs(r.ms.min)}–${fmtMs(r.ms.max)} | ${fmtMs(r.cpuMs.median)} | ${r.runsPerSecond >= 100 ? Math.round(r.runsPerSecond).toLocaleString("en-US") : r.runsPerSecond.toFixed(1)} | ${r.usPerVisit === undefined ? "" : r.usPerVisit.toFixed(2)} | ${r.vsBare ? `${fmtX(r.vsBare)} / ${fmtX(r.cpuVsBare)}` : ""} |`,
      );
    }
    for (const [key, reason] of Object.entries(g.skipped)) {
      lines.push(`| ${g.label} | ${key.startsWith("handler") ? "replayHandler()" : key} | | | skipped: ${reason} | | | | | |`);
    }
  }
  return lines.join("\n");
}

const verdict = (ok) => (ok ? "PASS" : "MISS");

async function main() {
  await assertKindsComplete(lib);
  const env = machine();
  console.log(`workflow-replay bench — ${env.cpu}, ${env.nproc} cores, node ${env.node}, commit ${env.commit}, load ${env.loadBefore.join(" ")}`);
  console.log(`replayHandler: ${handlerDriver ? "built (dist/index.js exports it)" : "NOT in dist/index.js yet — its cases are left out"}; fast-check entry: ${wrFastCheck?.replayProperty ? "dist/fast-check.js" : "not built"}`);
  const only = option("only");
  const groups = [];
  for (const group of GROUPS) {
    if (only && !group.id.includes(only)) continue;
    process.stdout.write(`  ${group.label}…`);
    const t0 = performance.now();
    groups.push(await runGroup(group));
    process.stdout.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  let visits;
  if (!only || "visits".includes(only)) {
    process.stdout.write(`  memoized-visit cost on the SDK's own context…`);
    visits = await visitCost();
    process.stdout.write(` done\n`);
  }
  let breakdown;
  if (!only || "detectors".includes(only)) {
    process.stdout.write(`  detector breakdown (100 steps, one kind on at a time)…`);
    breakdown = await detectorBreakdown();
    process.stdout.write(` done\n`);
  }
  let property;
  if (!only || "property".includes(only)) {
    process.stdout.write(`  property runs…`);
    property = await propertyCase();
    process.stdout.write(` done\n`);
  }
  let heap;
  if (!only || "heap".includes(only)) {
    process.stdout.write(`  peak heap (child processes)…`);
    heap = heapCase();
    process.stdout.write(` done\n`);
  }
  env.loadAfter = os.loadavg().map((l) => +l.toFixed(2));

  console.log(`\n${table(groups)}\n`);
  const model = costModel(groups);
  if (model) {
    console.log(`Cost model (sequential runs, CPU time; t = F + a·deliveries + b·visits, weighted least squares on 1, 10, 20, 100 and 1,000 steps):`);
    for (const [variant, m] of Object.entries(model)) {
      const worst = Math.max(...m.residuals.map((r) => Math.abs(r.modelUs / r.measuredUs - 1)));
      console.log(`  ${pad(variant, 11)} F = ${lpad(m.fixedUs.toFixed(0), 6)} µs/replay, a = ${lpad(m.usPerDelivery.toFixed(1), 7)} µs/delivery, b = ${lpad(m.usPerVisit.toFixed(3), 6)} µs/visit (model within ${(worst * 100).toFixed(0)}% of every case)`);
    }
  }
  if (visits) {
    const fit = model?.off && model?.on ? ` — replay() (cost model above): ${model.off.usPerVisit.toFixed(2)} µs detectors off, ${model.on.usPerVisit.toFixed(2)} µs on` : "";
    console.log(`One memoized visit, CPU time (one delivery of 1,000 recorded steps): bare loop ${visits.bareUsPerVisit.median.toFixed(3)} µs, the SDK's own WorkflowContext ${visits.sdkUsPerVisit.median.toFixed(3)} µs${fit}`);
  }
  const seq100 = groups.find((g) => g.id === "seq-100");
  if (seq100?.ratios.onVsOff) {
    const on = seq100.rows.find((r) => r.variant === "on");
    const off = seq100.rows.find((r) => r.variant === "off");
    console.log(`\nDetector cost (issue 3), 100-step workflow: all on ${fmtMs(on.ms.median)} ms vs all off ${fmtMs(off.ms.median)} ms per run — on/off = ${fmtX(seq100.ratios.onVsOff)} wall (rounds ${seq100.ratios.onVsOff.min.toFixed(2)}–${seq100.ratios.onVsOff.max.toFixed(2)}), ${fmtX(seq100.cpuRatios.onVsOff)} CPU`);
  }
  if (breakdown) {
    const none = breakdown.find((b) => b.kind === "none");
    console.log(`Per detector, 100-step workflow (one kind on, the others off; extra CPU ms/run over all off = ${fmtMs(none.ms.median)} ms):`);
    for (const b of breakdown) if (b.extraMs) console.log(`  ${pad(b.kind, 26)} ${lpad(fmtMs(b.extraMs.median), 7)} ms${b.kind === "nondeterminism" ? " (perturbation passes included)" : ""}`);
  }
  const seq20 = groups.find((g) => g.id === "seq-20");
  if (seq20) {
    const on = seq20.rows.find((r) => r.variant === "on");
    const h = seq20.rows.find((r) => r.variant === "handlerOn");
    if (h) console.log(`20-step workflow: replay() ${on.runsPerSecond.toFixed(0)} runs/s, replayHandler() ${h.runsPerSecond.toFixed(1)} runs/s — replay is ${fmtX(seq20.ratios.handlerOnVsOn)} faster (CPU ${fmtX(seq20.cpuRatios.handlerOnVsOn)}; detectors on in both. Off in both: ${fmtX(seq20.ratios.handlerOffVsOff)}, CPU ${fmtX(seq20.cpuRatios.handlerOffVsOff)})`);
    else console.log(`20-step workflow: replayHandler() not built — no ratio`);
  }
  if (property) {
    for (const [key, p] of Object.entries(property)) {
      if (key === "source") continue;
      console.log(`Property runs, 10-step dynamic pipeline, all detectors on, ${p.via}: ${p.runsPerSecond.median.toFixed(0)} runs/s wall (${p.runsPerSecond.min.toFixed(0)}–${p.runsPerSecond.max.toFixed(0)}), ${p.runsPerCpuSecond.median.toFixed(0)} runs per CPU second${p.baseline ? `; baseline ${p.baseline.commit} in the same rounds: ${p.baseline.runsPerCpuSecond.median.toFixed(0)} runs per CPU second, this build ${fmtX(p.vsBaseline)} (rounds ${p.vsBaseline.min.toFixed(2)}–${p.vsBaseline.max.toFixed(2)})` : ""}`);
    }
  }
  if (heap) {
    const s = heap.sampled;
    const mb = (b) => (b / 2 ** 20).toFixed(1);
    console.log(
      `Peak heap, 1,000-step run, all detectors on: ${mb(s.peak)} MB heapUsed at peak (${mb(s.before)} MB before the run, +${mb(s.peak - s.before)} MB), ${mb(s.retained)} MB after gc with the result alive; ${s.samples} samples. Runs with --max-old-space-size: ${Object.entries(heap.caps).map(([k, v]) => `${k} MB ${v}`).join(", ")}`,
    );
  }

  // Targets (issue 18): judged on CPU time (medians of interleaved rounds in one process), as the
  // issue specifies; the wall-time figure is printed next to it because the machine is shared.
  const targets = [];
  const add = (target, value, pass, why) => targets.push({ target, value, pass, why });
  if (visits && model?.off && model?.on) {
    const sdk = visits.sdkUsPerVisit.median;
    for (const key of ["off", "on"]) {
      const r = model[key].usPerVisit / sdk;
      add(`memoized visit <= 0.75x the SDK's own WorkflowContext, detectors ${key}`, `${model[key].usPerVisit.toFixed(2)} µs vs ${sdk.toFixed(2)} µs = ${r.toFixed(2)}x`, r <= 0.75);
    }
  }
  const g1000 = groups.find((g) => g.id === "seq-1000");
  if (g1000) {
    for (const key of ["off", "on"]) {
      const r = g1000.cpuRatios[`${key}VsBare`];
      add(`1,000-step run <= 3x the bare loop, detectors ${key}`, `${fmtX(r)} CPU (wall ${fmtX(g1000.ratios[`${key}VsBare`])})`, r.median <= 3);
    }
  }
  if (model?.off && model?.on) {
    add("per delivery <= 60 µs, detectors off", `${model.off.usPerDelivery.toFixed(0)} µs`, model.off.usPerDelivery <= 60);
    add("per delivery <= 110 µs, detectors on", `${model.on.usPerDelivery.toFixed(0)} µs`, model.on.usPerDelivery <= 110);
    for (const key of ["off", "on"]) add(`fixed cost per replay <= 150 µs, detectors ${key}`, `${model[key].fixedUs.toFixed(0)} µs`, model[key].fixedUs <= 150);
  }
  // seq20: the 20-step group found above
  if (seq20) {
    const r = seq20.cpuRatios.handlerOnVsOn;
    add("replay() >= 20x faster than replayHandler(), 20 steps, detectors on in both", r ? `${fmtX(r)} CPU (wall ${fmtX(seq20.ratios.handlerOnVsOn)})` : "replayHandler not built", r ? r.median >= 20 : undefined);
  }
  if (property) {
    const way = property[property.source]?.vsBaseline ? property.source : Object.keys(property).find((k) => property[k]?.vsBaseline);
    const p = way && property[way];
    add(
      `property runs per CPU second, 10-step pipeline, >= 1.4x the baseline build${p ? ` (${way}, baseline ${p.baseline.commit})` : ""}`,
      p ? `${p.runsPerCpuSecond.median.toFixed(0)} vs ${p.baseline.runsPerCpuSecond.median.toFixed(0)} runs per CPU second = ${fmtX(p.vsBaseline)}` : "no --baseline given",
      p ? p.vsBaseline.median >= 1.4 : undefined,
    );
  }
  if (heap) add("peak heap of the 1,000-step run < 100 MB", `${(heap.sampled.peak / 2 ** 20).toFixed(1)} MB`, heap.sampled.peak < 100 * 2 ** 20);
  console.log(`\nTargets (CPU time):`);
  for (const t of targets) console.log(`  ${pad(t.pass === undefined ? "N/A" : verdict(t.pass), 5)} ${pad(t.target, 84)} ${t.value}`);
  console.log(`\nload average before ${env.loadBefore.join(" ")}, after ${env.loadAfter.join(" ")} (${env.nproc} cores)`);

  const results = { machine: env, quick, baseline: baseline && { dir: baseline.dir, commit: baseline.commit }, groups, costModel: model, visitCost: visits, detectorBreakdown: breakdown, property, heap, targets };
  writeFileSync(join(here, "results.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(`results written to bench/results.json`);
  if (!quick && !only) {
    const machineLine = `\`${env.cpu}\`, \`nproc\` = ${env.nproc}, Node.js ${env.node}, ${env.platform}, commit \`${env.commit}\`, load average ${env.loadBefore.join(" ")} before the run and ${env.loadAfter.join(" ")} after`;
    updatePerformanceDocs({ docPath: join(root, "docs/performance.md"), readmePath: join(root, "README.md"), machineLine, table: table(groups), summary: summaryLine(groups, fmtMs) });
    console.log(`docs/performance.md and the README's figures updated`);
  }
}

await main();
