import type { WorkflowContext } from "@upstash/workflow";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replayHistory } from "../history/replay-history.js";
import { replay } from "../replay.js";
import type { RecordedHistory, ReplayOptions, ReplayResult } from "../types.js";
import { exactPath } from "./exact-path.js";

// The differential test of the fast memoized path and the parse cache (decision 1800): generated
// programs run through the fast and the exact path (`exactPath.forced`), and the two must give the
// same result and the same user-visible tick log, in which every event carries the tick (a counter
// user code advances once per microtask) at which user code saw it.

type Op =
  | { t: "run"; value: fc.JsonValue; mutate: boolean }
  | { t: "late"; delay: number; varies: boolean }
  | { t: "race"; againstTicks: number | undefined }
  | { t: "group"; width: number; grows: boolean }
  | { t: "nested" }
  | { t: "unawaited"; awaitAtEnd: boolean }
  | { t: "ticks"; n: number }
  | { t: "throws" };

const oddKey = fc.constantFrom("__proto__", "a", "1", "0", "-0", "constructor", "toString", "b", "", "é");
const value: fc.Arbitrary<fc.JsonValue> = fc.letrec<{ v: fc.JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null)),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(oddKey, tie("v"), { maxKeys: 4 }),
  ),
})).v;

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant("run" as const), value, mutate: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("late" as const), delay: fc.integer({ min: 0, max: 5 }), varies: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("race" as const), againstTicks: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("group" as const), width: fc.integer({ min: 2, max: 3 }), grows: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("nested" as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("unawaited" as const), awaitAtEnd: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("ticks" as const), n: fc.integer({ min: 0, max: 11 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("throws" as const) }) },
);

const program = fc.array(op, { minLength: 1, maxLength: 8 });

/** A description of a value that tells -0, own `__proto__` keys, prototypes and key order apart. */
function describeValue(v: unknown): string {
  if (Object.is(v, -0)) return "-0";
  if (typeof v !== "object" || v === null) return typeof v === "string" ? JSON.stringify(v) : String(v);
  const proto = Object.getPrototypeOf(v) === (Array.isArray(v) ? Array.prototype : Object.prototype) ? "" : "!proto";
  if (Array.isArray(v)) return `[${v.map(describeValue).join(",")}]${proto}`;
  return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${describeValue((v as Record<string, unknown>)[k])}`).join(",")}}${proto}`;
}

/** The route of a program; `log` receives every user-visible event with its tick. */
function routeOf(ops: Op[], log: string[]) {
  let calls = 0;
  return async (context: WorkflowContext<unknown>) => {
    calls += 1;
    let tick = 0;
    void (async () => {
      for (let i = 0; i < 300; i++) {
        tick++;
        await null;
      }
    })();
    const at = (label: string) => log.push(`${label}@${tick}`);
    const seen = (label: string, v: unknown) => at(`${label}=${describeValue(v)}`);
    const pending: Array<Promise<unknown>> = [];
    at("start");
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i]!;
      switch (o.t) {
        case "run": {
          const r = (await context.run(`run-${i}`, () => o.value)) as unknown;
          seen(`run-${i}`, r);
          if (o.mutate && typeof r === "object" && r !== null) {
            (r as Record<string, unknown>).mutated = i;
            if (Array.isArray(r)) r.push("x");
          }
          break;
        }
        case "late": {
          const a = context.run(`late-a-${i}`, () => ({ a: i })).then(
            (v) => seen(`late-a-${i}`, v),
            (error: Error) => at(`late-a-${i} failed: ${error.message}`),
          );
          // `varies`: the second step joins the first one's window in some deliveries and not in others
          const delay = o.varies ? (calls % 3 === 0 ? o.delay : 5 - o.delay) : o.delay;
          for (let k = 0; k < delay; k++) await null;
          const b = context.run(`late-b-${i}`, () => [i, -0]).then(
            (v) => seen(`late-b-${i}`, v),
            (error: Error) => at(`late-b-${i} failed: ${error.message}`),
          );
          const both = await Promise.all([a, b]);
          seen(`late-${i}`, both);
          break;
        }
        case "race": {
          const a = context.run(`race-a-${i}`, () => "a");
          const other =
            o.againstTicks === undefined
              ? context.run(`race-b-${i}`, () => "b")
              : (async () => {
                  for (let k = 0; k < o.againstTicks!; k++) await null;
                  return "ticks";
                })();
          const winner = await Promise.race([a.then((v) => `won ${String(v)}`), other.then((v) => `won ${String(v)}`)]);
          at(`race-${i}:${winner}`);
          await Promise.all([a, other]);
          at(`race-${i}:settled`);
          break;
        }
        case "group": {
          const width = o.grows && calls % 3 === 0 ? o.width + 1 : o.width;
          const parts = await Promise.all(Array.from({ length: width }, (_, k) => context.run(`group-${i}-${k}`, () => ({ k }))));
          seen(`group-${i}`, parts);
          break;
        }
        case "nested": {
          const r = await context.run(`outer-${i}`, async () => {
            try {
              return await context.run(`inner-${i}`, () => 1);
            } catch (error) {
              return `nested: ${(error as Error).message}`;
            }
          });
          seen(`outer-${i}`, r);
          break;
        }
        case "unawaited": {
          const p = context.run(`unawaited-${i}`, () => ({ u: i }));
          if (o.awaitAtEnd) pending.push(p);
          break;
        }
        case "ticks": {
          for (let k = 0; k < o.n; k++) await null;
          at(`ticks-${i}`);
          break;
        }
        case "throws": {
          try {
            await context.run(`throws-${i}`, () => {
              if (calls > 0) throw new Error(`boom ${i}`);
              return 0;
            });
          } catch (error) {
            at(`caught-${i}:${(error as Error).message}`);
          }
          break;
        }
      }
    }
    const rest = await Promise.all(pending);
    seen("rest", rest);
    at("end");
    return { n: ops.length };
  };
}

function summary(result: ReplayResult<unknown>, log: string[]) {
  return {
    status: result.status,
    output: describeValue(result.output),
    error: result.error?.message,
    invocations: result.invocations,
    steps: result.steps,
    findings: result.findings.map((f) => `${f.kind}: ${f.message}`),
    log,
  };
}

/** Warnings user code could see (the SDK's "has run twice", the parse warning) go into the log too. */
let warnings: string[] = [];

async function both<T>(run: (log: string[]) => Promise<T>): Promise<[T, T]> {
  exactPath.forced = false;
  const fastLog: string[] = [];
  warnings = fastLog;
  const before = exactPath.fastVisits;
  const fast = await run(fastLog);
  const afterFast = exactPath.fastVisits;
  fastVisits += afterFast - before;
  exactPath.forced = true;
  const exactLog: string[] = [];
  warnings = exactLog;
  try {
    const exact = await run(exactLog);
    expect(exactPath.fastVisits, "the exact path answered no visit by the fast path").toBe(afterFast);
    return [fast, exact];
  } finally {
    exactPath.forced = false;
  }
}

/** Visits the fast path answered in the fast runs of a test (none may happen in the exact runs). */
let fastVisits = 0;
/**
 * The properties run fixed programs: the floors on how many visits took the fast path depend on the
 * programs drawn, and an unseeded run drew one set that fell short (89 of > 100). FC_SEED explores others.
 */
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 0x18_0d1f;

const OFF: ReplayOptions = {
  checks: Object.fromEntries(
    ["nondeterminism", "nondeterministic-source", "side-effect-outside-step", "duplicate-step-name", "non-serializable-result", "nested-step", "swallowed-abort", "unawaited-step", "payload-mutation", "limit-exceeded", "non-idempotent-step"].map((k) => [k, "off"]),
  ) as ReplayOptions["checks"],
  perturb: false,
};

/** Recorded `out`s that replay() never writes but a hand-edited or imported history may hold. */
const ODD_OUTS = ['-0', '[-0,{"__proto__":{"p":1},"a":-0}]', '{"__proto__":null,"1":2,"b":{"__proto__":[1]},"a":-0}', ' {"lead":1}', "not json", "", '"s"', "[]", "{}"];

describe("the fast memoized path and the parse cache are the exact path (differential)", () => {
  beforeEach(() => {
    fastVisits = 0;
    vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      warnings.push(`warn ${args.map(String).join(" ")}`);
    });
  });
  afterEach(() => {
    exactPath.forced = false;
    vi.restoreAllMocks();
  });

  it("the switch forces the exact path: fast and exact differ in work, not in what user code sees", async () => {
    // A sanity check that the two runs are really different paths: the parse cache hands out copies,
    // the exact path parses; a route that compares identities across visits would see neither.
    const ops: Op[] = [{ t: "run", value: { a: -0 } as never, mutate: true }, { t: "run", value: [1], mutate: true }, { t: "ticks", n: 3 }];
    const [fast, exact] = await both(async (log) => summary(await replay(routeOf(ops, log), OFF), log));
    expect(fast.status).toBe("completed");
    // run-0 is memoized in deliveries 3 and 4 (the last memoized step of a delivery takes the exact path)
    expect(fast.log.filter((l) => l.startsWith("run-0=")).length).toBe(2);
    expect(fastVisits).toBeGreaterThan(0);
    expect(fast).toEqual(exact);
  });

  it("a step that joins a fast-path step's window in a later delivery: identical results and tick logs", async () => {
    for (const delay of [0, 1, 2, 3]) {
      const ops: Op[] = [{ t: "run", value: 1, mutate: false }, { t: "late", delay, varies: true }, { t: "run", value: { b: [2] }, mutate: true }, { t: "run", value: 3, mutate: false }];
      const before = exactPath.joinedVisits;
      const [fast, exact] = await both(async (log) => summary(await replay(routeOf(ops, log), OFF), log));
      expect(exactPath.joinedVisits - before, `delay ${delay}`).toBe(delay < 3 ? 1 : 0);
      expect(fast).toEqual(exact);
    }
  });

  it("replay(), detectors off: identical results and tick logs", async () => {
    await fc.assert(
      fc.asyncProperty(program, async (ops) => {
        const [fast, exact] = await both(async (log) => summary(await replay(routeOf(ops, log), OFF), log));
        expect(fast).toEqual(exact);
      }),
      { numRuns: 60, seed: SEED },
    );
    expect(fastVisits).toBeGreaterThan(100);
  });

  it("replay(), all detectors on with perturbation: identical results, findings and tick logs", async () => {
    await fc.assert(
      fc.asyncProperty(program, async (ops) => {
        const [fast, exact] = await both(async (log) => summary(await replay(routeOf(ops, log)), log));
        expect(fast).toEqual(exact);
      }),
      { numRuns: 40, seed: SEED + 1 },
    );
    expect(fastVisits).toBeGreaterThan(100);
  });

  it("replayHistory() over histories with odd recorded outs: identical results and tick logs", async () => {
    await fc.assert(
      fc.asyncProperty(program, fc.array(fc.constantFrom(...ODD_OUTS), { minLength: 1, maxLength: 8 }), async (ops, outs) => {
        const recorded = await replay(routeOf(ops, []), OFF);
        let k = 0;
        const steps = recorded.history.steps.map((s) => (s.stepType === "Run" && s.out !== undefined ? { ...s, out: outs[k++ % outs.length]! } : s));
        const history: RecordedHistory = { ...recorded.history, steps };
        const [fast, exact] = await both(async (log) => {
          const result = await replayHistory(routeOf(ops, log), history, OFF);
          return { ...summary(result, log), compatibility: result.compatibility.summary };
        });
        expect(fast).toEqual(exact);
      }),
      { numRuns: 40, seed: SEED + 2 },
    );
    expect(fastVisits).toBeGreaterThan(20);
  });
});
