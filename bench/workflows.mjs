// The workflows every bench case runs, and the bare replay loop they are compared with.
// Plain JS on purpose: the bench measures the BUILT package, not the TypeScript sources.

/** Every finding kind (the keys of the `checks` option). */
export const KINDS = [
  "nondeterminism",
  "nondeterministic-source",
  "side-effect-outside-step",
  "duplicate-step-name",
  "non-serializable-result",
  "nested-step",
  "swallowed-abort",
  "unawaited-step",
  "payload-mutation",
  "limit-exceeded",
  "non-idempotent-step",
  "history-incompatible",
  "early-return",
  "caught-step-error",
  "callback-dry-run",
  "function-timeout",
  "lost-step-state",
];

/** replay() options with every finding kind off and no perturbation pass: the engine alone. */
export const OFF = { checks: Object.fromEntries(KINDS.map((k) => [k, "off"])), perturb: false };

/** The actions of the dynamic pipeline (payload.pipeline is a list of them). */
export const ACTIONS = ["fetch", "summarize", "translate", "email"];

const apply = {
  fetch: (acc, i) => ({ i, text: `doc-${i}`, len: acc.len + 5 }),
  summarize: (acc, i) => ({ i, text: acc.text.slice(0, 4), len: acc.len + 1 }),
  translate: (acc, i) => ({ i, text: acc.text.toUpperCase(), len: acc.len + 2 }),
  email: (acc, i) => ({ i, text: acc.text, len: acc.len, sent: true }),
};

/** n sequential `context.run` steps, each returning a small object built from the previous one. */
export function sequential(n) {
  return async (context) => {
    let acc = { i: -1, sum: 0 };
    for (let i = 0; i < n; i++) {
      acc = await context.run(`step-${i}`, () => ({ i, sum: acc.sum + i }));
    }
    return acc.sum;
  };
}

/** One `Promise.all` of n `context.run` steps (a parallel group of width n). */
export function fanOut(n) {
  return async (context) => {
    const parts = await Promise.all(Array.from({ length: n }, (_, i) => context.run(`part-${i}`, () => ({ i, sq: i * i }))));
    return parts.reduce((sum, p) => sum + p.sq, 0);
  };
}

/** The dynamic pipeline: one step per entry of payload.pipeline, index-suffixed names. */
export async function dynamicPipeline(context) {
  const { pipeline } = context.requestPayload;
  let acc = { i: -1, text: "", len: 0 };
  for (let i = 0; i < pipeline.length; i++) {
    const action = pipeline[i];
    acc = await context.run(`${action}-${i}`, () => apply[action](acc, i));
  }
  return acc;
}

/** A deterministic pipeline payload of n entries (xorshift on a seed). */
export function pipelinePayload(n, seed = 7) {
  let x = seed >>> 0 || 1;
  const pipeline = [];
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    pipeline.push(ACTIONS[x % ACTIONS.length]);
  }
  return { pipeline };
}

const ABORT = Symbol("abort");

/**
 * The bare baseline: the smallest replay loop that runs the same workflows the way replay does,
 * from the top once per delivery. No context API beyond `run`, no detectors, no simulator:
 * memoized steps come from an array of JSON strings (one JSON.parse per visit), the first new step
 * executes, its result is JSON.stringify'd once and recorded, and the delivery ends by throwing an
 * abort through user code. The payload is JSON.parse'd once per delivery. Parallel groups: every
 * step of the group is issued, the first one that is not memoized executes, the others abort.
 */
export async function bareReplay(route, payload) {
  const payloadText = JSON.stringify(payload ?? null);
  const memo = [];
  let deliveries = 0;
  let visits = 0;
  for (;;) {
    deliveries++;
    let position = 0;
    let pending;
    const context = {
      requestPayload: JSON.parse(payloadText),
      run(name, fn) {
        const index = position++;
        if (index < memo.length) {
          visits++;
          return Promise.resolve(JSON.parse(memo[index]));
        }
        if (index > memo.length) return Promise.reject(ABORT);
        pending = Promise.resolve(fn()).then((value) => {
          memo.push(JSON.stringify(value) ?? "null");
        });
        return pending.then(() => Promise.reject(ABORT));
      },
    };
    try {
      const output = await route(context);
      return { output: JSON.parse(JSON.stringify(output) ?? "null"), deliveries, visits, steps: memo.length };
    } catch (error) {
      if (error !== ABORT) throw error;
      if (pending) await pending;
    }
  }
}

/**
 * The SDK's own cost of memoized visits: one delivery of `route` on the real `WorkflowContext` of
 * @upstash/workflow, with every step already in the history, so the route runs to its end through
 * the SDK's executor without any network. `steps` comes from {@link sdkHistory}.
 */
export async function sdkDelivery(WorkflowContext, route, steps, payload) {
  const context = new WorkflowContext({
    qstashClient: {},
    workflowRunId: "wfr_bench",
    workflowRunCreatedAt: 0,
    headers: new Headers(),
    steps,
    url: "https://bench.test/api/workflow",
    initialPayload: JSON.parse(JSON.stringify(payload ?? null)),
    env: {},
  });
  return route(context);
}

/** The SDK-format history of a finished sequential run (Initial + one result step per step). */
export async function sdkHistory(route, payload) {
  const recorded = [];
  const collector = {
    requestPayload: payload,
    async run(name, fn) {
      const value = await fn();
      recorded.push({ stepId: recorded.length + 1, stepName: name, stepType: "Run", out: JSON.stringify(value), concurrent: 1 });
      return JSON.parse(JSON.stringify(value));
    },
  };
  await route(collector);
  return [{ stepId: 0, stepName: "init", stepType: "Initial", out: JSON.stringify(payload ?? null), concurrent: 1 }, ...recorded];
}

/** The bare loop's cost of memoized visits: one delivery with every step already recorded. */
export async function bareDelivery(route, memo, payload) {
  let position = 0;
  const context = {
    requestPayload: JSON.parse(JSON.stringify(payload ?? null)),
    run(name, fn) {
      const index = position++;
      if (index < memo.length) return Promise.resolve(JSON.parse(memo[index]));
      throw new Error("bench: the history is incomplete");
    },
  };
  return route(context);
}

/**
 * Fails when the package knows a finding kind that KINDS lacks: OFF would leave that detector on and
 * every "detectors off" figure would include it. The kinds are read from replay()'s own usage error.
 */
export async function assertKindsComplete(lib) {
  let message = "";
  try {
    await lib.replay(async () => {}, { checks: { "bench-probe": "off" } });
  } catch (error) {
    message = String(error?.message ?? error);
  }
  const known = /Known kinds: ([^.]+)\./.exec(message)?.[1]?.split(",").map((k) => k.trim());
  if (!known) throw new Error(`bench: could not read the known finding kinds from replay()'s error: ${message}`);
  const missing = known.filter((k) => !KINDS.includes(k));
  if (missing.length > 0) throw new Error(`bench: KINDS in bench/workflows.mjs lacks ${missing.join(", ")}; add them so OFF turns every detector off`);
}
