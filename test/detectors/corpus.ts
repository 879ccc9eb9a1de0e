// The detectors' corpus: for every finding kind, buggy workflows that must be caught and near-miss
// correct workflows that must stay clean. The per-kind tests pin the messages; corpus.test.ts runs
// them all and prints the score. Each workflow is a factory, so module state starts fresh per run.
import { WorkflowAbort, WorkflowNonRetryableError, WorkflowRetryAfterError, type WorkflowContext } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { trackEffects } from "../../src/detectors/track-effects.js";
import type { FindingKind, ReplayOptions } from "../../src/types.js";

type Route = (context: WorkflowContext<any>) => Promise<unknown>;

export interface CorpusCase {
  title: string;
  route: () => Route;
  options?: ReplayOptions<any>;
}

export interface KindCorpus {
  kind: FindingKind;
  buggy: CorpusCase[];
  correct: CorpusCase[];
}

/** Lets more than the executor's two-microtask window pass (a gap between two step calls). */
const gap = async () => {
  for (let i = 0; i < 5; i++) await null;
};

const api = [
  http.post("https://api.test/notify", () => HttpResponse.json({ ok: true })),
  http.get("https://api.test/config", () => HttpResponse.json({ retries: 2 })),
  http.head("https://api.test/health", () => new HttpResponse(null, { status: 200 })),
  http.post("https://api.test/charges", () => HttpResponse.json({ id: "ch_1" })),
];

/** A stand-in database client whose writes never touch the network. */
function fakeDb() {
  const rows: unknown[] = [];
  return {
    insert: async (row: unknown) => {
      rows.push(row);
      return rows.length;
    },
    count: async () => rows.length,
  };
}

class Money {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
  format(): string {
    return `${this.amount} ${this.currency}`;
  }
}

export const corpus: KindCorpus[] = [
  {
    kind: "nondeterminism",
    buggy: [
      {
        title: "branches on Math.random() outside a step",
        route: () => async (context) => {
          if (Math.random() < 0.5) await context.run("heads", () => "h");
          else await context.run("tails", () => "t");
          await context.run("done", () => true);
        },
      },
      {
        // the band of Upstash's "Avoid Non-deterministic Code Outside context.run" page (upstash/docs, workflow/basics/best-practices/deterministic-code.mdx)
        title: "branches on a middle band of Math.random() outside a step",
        route: () => async (context) => {
          if (Math.floor(Math.random() * 10) % 5 === 2) await context.run("lucky", () => "won");
          await context.run("done", () => true);
        },
      },
      {
        title: "names a step with Date.now()",
        route: () => async (context) => {
          await context.run(`report-${Date.now()}`, () => "sent");
          await context.run("archive", () => true);
        },
      },
      {
        title: "sizes a Promise.all fan-out randomly",
        route: () => async (context) => {
          const n = 1 + Math.floor(Math.random() * 3);
          await Promise.all(Array.from({ length: n }, (_, i) => context.run(`item-${i}`, () => i)));
          await context.run("sum", () => n);
        },
      },
      {
        title: "keeps a module-level counter in a step name",
        route: () => {
          let counter = 0;
          return async (context) => {
            counter++;
            await context.run(`batch-${counter}`, () => counter);
            await context.run("finish", () => true);
          };
        },
      },
      {
        title: "sleeps for a random duration",
        route: () => async (context) => {
          await context.run("start", () => 1);
          await context.sleep("backoff", 1 + Math.floor(Math.random() * 60));
          await context.run("end", () => 2);
        },
      },
      {
        title: "branches on the hour of new Date() outside a step (caught by the perturbed replay)",
        route: () => async (context) => {
          const hour = new Date().getUTCHours();
          await context.run("load", () => 1);
          await context.run(hour < 12 ? "morning-report" : "evening-report", () => hour);
        },
      },
      {
        title: "calls a URL built with crypto.randomUUID() outside a step",
        route: () => async (context) => {
          const requestId = crypto.randomUUID();
          await context.call("notify", { url: `https://api.test/notify?request=${requestId}`, method: "POST", body: "{}" });
          await context.run("after", () => 1);
        },
        options: { handlers: api },
      },
    ],
    correct: [
      {
        title: "branches on a random value drawn inside a step",
        route: () => async (context) => {
          const coin = await context.run("coin", () => Math.random());
          if (coin < 0.5) await context.run("heads", () => "h");
          else await context.run("tails", () => "t");
          await context.run("done", () => true);
        },
      },
      {
        title: "names a later step with a timestamp taken inside a step",
        route: () => async (context) => {
          const stamp = await context.run("stamp", () => Date.now());
          await context.sleep("wait", 5);
          await context.run(`report-${stamp}`, () => "sent");
        },
      },
      {
        title: "fans out over the payload's items",
        route: () => async (context) => {
          const items = (context.requestPayload as { items: number[] }).items;
          const doubled = await Promise.all(items.map((item) => context.run(`double-${item}`, () => item * 2)));
          await context.run("sum", () => doubled.reduce((a, b) => a + b, 0));
        },
        options: { payload: { items: [1, 2, 3] } },
      },
      {
        title: "sleeps for a duration taken from a step result",
        route: () => async (context) => {
          const delay = await context.run("pick-delay", () => 1 + Math.floor(Math.random() * 60));
          await context.sleep("backoff", delay);
          await context.run("end", () => delay);
        },
      },
      {
        title: "uses webhooks, invoke, parallel sleeps, a retry-after and a timed-out wait",
        route: () => {
          let attempts = 0;
          return async (context) => {
            const hook = await context.createWebhook("hook");
            const request = await context.waitForWebhook("wait-hook", hook, "1h");
            const child = await context.invoke("child", { workflow: { workflowId: "child" } as never, body: { x: 1 } });
            await Promise.all([
              context.sleep("p-sleep", 5),
              context.run("p-run", () => 1),
              context.sleepUntil("p-until", new Date(Date.UTC(2025, 0, 2))),
            ]);
            await context.run("retry-after", () => {
              attempts++;
              if (attempts === 1) throw new WorkflowRetryAfterError("rate limited", 10);
              return attempts;
            });
            const event = await context.waitForEvent("ev", "never-sent", { timeout: 10 });
            return { request: request.timeout, child: child.body, timedOut: event.timeout };
          };
        },
        options: {
          workflows: { child: async (context: WorkflowContext<any>) => context.run("c1", () => "child-done") },
          webhooks: { "wait-hook": { body: "hi" } },
        },
      },
      {
        title: "waits for an event, notifies another run and sleeps until a recorded time",
        route: () => async (context) => {
          const { eventData } = await context.waitForEvent("approval", "order-7-approved", { timeout: "1d" });
          await context.notify("tell-shipping", "order-7-shipping", { approved: eventData });
          const at = await context.run("deadline", () => Date.now() + 60_000);
          await context.sleepUntil("until-deadline", new Date(at));
        },
        options: { events: { "order-7-approved": { ok: true } } },
      },
    ],
  },
  {
    kind: "nondeterministic-source",
    buggy: [
      {
        title: "makes a trace id with crypto.randomUUID() outside a step",
        route: () => async (context) => {
          const traceId = crypto.randomUUID();
          await context.run("tag", () => traceId.length);
        },
      },
      {
        title: "takes the start time with Date.now() outside a step",
        route: () => async (context) => {
          const started = Date.now();
          await context.run("work", () => 1);
          await context.run("elapsed", () => Date.now() - started);
        },
      },
      {
        title: "computes today's date with new Date() outside a step",
        route: () => async (context) => {
          const today = new Date().toISOString().slice(0, 10);
          await context.run("daily", () => today.length);
        },
      },
      {
        title: "measures with performance.now() outside a step",
        route: () => async (context) => {
          const t0 = performance.now();
          await context.run("work", () => 1);
          return { tookMs: Math.round(t0 * 0) };
        },
      },
      {
        title: "draws bytes with crypto.getRandomValues() outside a step",
        route: () => async (context) => {
          const salt = crypto.getRandomValues(new Uint8Array(4));
          await context.run("salted", () => salt.length);
        },
      },
    ],
    correct: [
      {
        title: "reads the clock and random values inside steps",
        route: () => async (context) => {
          const id = await context.run("id", () => crypto.randomUUID());
          const at = await context.run("at", () => new Date().toISOString());
          await context.run("use", () => `${id}@${at}:${Math.random() > 2}`);
        },
      },
      {
        title: "builds dates from explicit values outside steps",
        route: () => async (context) => {
          const deadline = new Date(Date.UTC(2030, 0, 1)).toISOString();
          const parsed = Date.parse("2030-01-01T00:00:00Z");
          await context.run("schedule", () => `${deadline}/${parsed}`);
        },
      },
      {
        title: "fetches inside a step and formats the result outside",
        route: () => async (context) => {
          const config = await context.run("config", async () => (await fetch("https://api.test/config")).json());
          await context.run("use", () => JSON.stringify(config));
        },
        options: { handlers: api },
      },
      {
        title: "logs outside steps",
        route: () => {
          const lines: string[] = [];
          const log = (...parts: unknown[]) => lines.push(parts.map(String).join(" "));
          return async (context) => {
            log("starting", context.workflowRunId, "retried", context.retried);
            const n = await context.run("count", () => 3);
            log("counted", n);
            return lines.length;
          };
        },
      },
    ],
  },
  {
    kind: "side-effect-outside-step",
    buggy: [
      {
        title: "POSTs a notification before the first step",
        route: () => async (context) => {
          await fetch("https://api.test/notify", { method: "POST", body: JSON.stringify({ started: true }) });
          await context.run("work", () => 1);
          await context.run("more", () => 2);
        },
        options: { handlers: api },
      },
      {
        title: "GETs its config outside a step",
        route: () => async (context) => {
          const config = (await (await fetch("https://api.test/config")).json()) as { retries: number };
          await context.run("work", () => config.retries);
        },
        options: { handlers: api },
      },
      {
        title: "writes to a tracked database client outside a step",
        route: () => {
          const db = trackEffects(fakeDb(), "db");
          return async (context) => {
            await context.run("validate", () => true);
            await db.insert({ run: context.workflowRunId });
            await context.run("finish", () => true);
          };
        },
      },
      {
        title: "charges through a tracked namespace outside a step",
        route: () => {
          const services = trackEffects({ payments: { charge: async (amount: number) => ({ amount }) } });
          return async (context) => {
            const amount = await context.run("amount", () => 42);
            await services.payments.charge(amount);
            await context.run("receipt", () => amount);
          };
        },
      },
    ],
    correct: [
      {
        title: "POSTs inside a step",
        route: () => async (context) => {
          await context.run("notify", async () => (await fetch("https://api.test/notify", { method: "POST", body: "{}" })).status);
          await context.run("more", () => 2);
        },
        options: { handlers: api },
      },
      {
        title: "calls the API through context.call",
        route: () => async (context) => {
          const response = await context.call("charge", { url: "https://api.test/charges", method: "POST", body: "{}" });
          await context.run("receipt", () => response.status);
        },
        options: { handlers: api },
      },
      {
        title: "writes to a tracked database client inside a step",
        route: () => {
          const db = trackEffects(fakeDb(), "db");
          return async (context) => {
            await context.run("insert", () => db.insert({ run: context.workflowRunId }));
            await context.run("count", () => db.count());
          };
        },
      },
    ],
  },
  {
    kind: "duplicate-step-name",
    buggy: [
      {
        title: "reuses one step name in a loop",
        route: () => async (context) => {
          for (const item of [1, 2, 3]) await context.run("process", () => item * 2);
        },
      },
      {
        title: "uses one name at two call sites",
        route: () => async (context) => {
          await context.run("send-email", () => "welcome");
          await context.sleep("wait", 60);
          await context.run("send-email", () => "follow-up");
        },
      },
      {
        title: "fans out with one name for every branch",
        route: () => async (context) => {
          await Promise.all(["a", "b"].map((id) => context.run("fetch", () => id)));
        },
      },
    ],
    correct: [
      {
        title: "names loop steps with the index",
        route: () => async (context) => {
          for (const [i, item] of [1, 2, 3].entries()) await context.run(`process-${i}`, () => item * 2);
        },
      },
      {
        title: "retries a step that fails once under the same name",
        route: () => {
          let attempts = 0;
          return async (context) => {
            await context.run("flaky", () => {
              attempts++;
              if (attempts === 1) throw new Error("temporary outage");
              return attempts;
            });
            await context.run("after", () => true);
          };
        },
      },
      {
        title: "fans out with the item id in each name",
        route: () => async (context) => {
          await Promise.all(["a", "b"].map((id) => context.run(`fetch-${id}`, () => id)));
          await context.run("fetch-done", () => true);
        },
      },
    ],
  },
  {
    kind: "non-serializable-result",
    buggy: [
      {
        title: "returns a Date nested in a step result",
        route: () => async (context) => {
          const user = await context.run("load-user", () => ({ user: { name: "Ada", createdAt: new Date() } }));
          await context.run("greet", () => user.user.name);
        },
      },
      {
        title: "returns a Map from a step",
        route: () => async (context) => {
          const totals = await context.run("totals", () => new Map([["eur", 10]]));
          await context.run("report", () => totals.size);
        },
      },
      {
        title: "returns a BigInt from a step",
        route: () => async (context) => {
          await context.run("balance", () => ({ cents: 10n ** 20n }));
        },
        options: { retries: 1 },
      },
      {
        title: "returns a class instance from a step",
        route: () => async (context) => {
          const price = await context.run("price", () => new Money(5, "EUR"));
          await context.run("show", () => String(price.amount));
        },
      },
      {
        title: "returns NaN inside an array",
        route: () => async (context) => {
          await context.run("ratios", () => [1, 0 / 0, 3]);
        },
      },
      {
        title: "branches on instanceof Date after the step",
        route: () => async (context) => {
          const due = await context.run("load-due-date", () => new Date(Date.UTC(2025, 0, 2)));
          if (due instanceof Date) await context.run("schedule-reminder", () => due.toISOString());
          else await context.run("skip-reminder", () => "no date");
        },
      },
      {
        title: "returns the type of a Date it loaded",
        route: () => async (context) => {
          const order = await context.run("load-order", () => ({ id: "o1", placedAt: new Date(0) }));
          await context.sleep("wait", 5);
          return typeof order.placedAt;
        },
      },
      {
        title: "returns a Date as the workflow's output",
        route: () => async (context) => {
          const at = await context.run("finished-at", () => Date.UTC(2025, 0, 2));
          return { finishedAt: new Date(at) };
        },
      },
    ],
    correct: [
      {
        title: "returns an ISO string instead of a Date",
        route: () => async (context) => {
          const user = await context.run("load-user", () => ({ name: "Ada", createdAt: new Date().toISOString() }));
          return { greeting: `hi ${user.name}`, since: user.createdAt };
        },
      },
      {
        title: "returns plain objects with undefined properties and null",
        route: () => async (context) => {
          await context.run("optional", () => ({ nickname: undefined, manager: null, tags: ["a"] }));
          await context.run("nothing", () => undefined);
        },
      },
      {
        title: "returns entries of a Map and rebuilds it after the step",
        route: () => async (context) => {
          const entries = await context.run("totals", () => [...new Map([["eur", 10]])]);
          const totals = new Map(entries);
          return totals.get("eur");
        },
      },
    ],
  },
  {
    kind: "nested-step",
    buggy: [
      {
        title: "starts a step synchronously inside another step",
        route: () => async (context) => {
          await context.run("outer", () => context.run("inner", () => 1));
        },
        options: { retries: 0 },
      },
      {
        title: "starts a step after an await inside another step",
        route: () => async (context) => {
          await context.run("outer", async () => {
            await Promise.resolve();
            return context.run("inner", () => 1);
          });
          await context.run("after", () => 2);
        },
        options: { retries: 0 },
      },
      {
        title: "sleeps inside a step after an await",
        route: () => async (context) => {
          await context.run("download", async () => {
            const size = await Promise.resolve(3);
            await context.sleep("cool-down", size);
            return size;
          });
        },
        options: { retries: 0 },
      },
    ],
    correct: [
      {
        title: "runs steps one after another at the top level",
        route: () => async (context) => {
          const a = await context.run("outer", () => 1);
          await context.run("inner", () => a + 1);
        },
      },
      {
        title: "calls a helper that issues steps from the workflow function",
        route: () => {
          const twoSteps = async (context: WorkflowContext<any>, prefix: string) => {
            const a = await context.run(`${prefix}-a`, () => 1);
            return context.run(`${prefix}-b`, () => a + 1);
          };
          return async (context) => {
            await twoSteps(context, "first");
            await twoSteps(context, "second");
          };
        },
      },
      {
        title: "awaits plain async work inside a step",
        route: () => async (context) => {
          await context.run("compute", async () => {
            const parts = await Promise.all([Promise.resolve(1), Promise.resolve(2)]);
            return parts.reduce((a, b) => a + b, 0);
          });
          await context.run("next", () => 3);
        },
      },
    ],
  },
  {
    kind: "swallowed-abort",
    buggy: [
      {
        title: "returns a fallback from a catch around a step",
        route: () => async (context) => {
          await context.run("prepare", () => 1);
          try {
            await context.run("charge", () => "ch_1");
          } catch {
            return "charge failed";
          }
          return "charged";
        },
      },
      {
        title: "logs the error of a step and goes on to the next step",
        route: () => async (context) => {
          const errors: string[] = [];
          await context.run("prepare", () => 1);
          try {
            await context.run("sync-crm", () => true);
          } catch (error) {
            errors.push(String(error));
          }
          await context.run("report", () => errors.length);
        },
      },
      {
        title: "wraps the whole workflow in try/catch (the auth dry run's abort is caught too)",
        route: () => async (context) => {
          try {
            await context.run("first", () => 1);
            await context.run("second", () => 2);
          } catch {
            return "failed";
          }
          return "ok";
        },
        options: { retries: 0 },
      },
      {
        title: "catches context.cancel() and completes instead",
        route: () => async (context) => {
          await context.run("check", () => false);
          try {
            await context.cancel();
          } catch {
            // ignore
          }
          return "done";
        },
      },
    ],
    correct: [
      {
        title: "handles errors inside the step function",
        route: () => async (context) => {
          await context.run("prepare", () => 1);
          const result = await context.run("charge", () => {
            try {
              throw new Error("card declined");
            } catch {
              return "declined";
            }
          });
          return result;
        },
      },
      {
        title: "rethrows WorkflowAbort from its catch",
        route: () => async (context) => {
          await context.run("prepare", () => 1);
          try {
            await context.run("charge", () => "ch_1");
          } catch (error) {
            if (error instanceof WorkflowAbort) throw error;
            return "charge failed";
          }
          return "charged";
        },
      },
      {
        title: "fails the run with WorkflowNonRetryableError",
        route: () => async (context) => {
          await context.run("validate", () => {
            throw new WorkflowNonRetryableError("invalid order");
          });
        },
      },
      {
        title: "cancels the run without catching the abort",
        route: () => async (context) => {
          const stop = await context.run("check", () => true);
          if (stop) await context.cancel();
          await context.run("never", () => 1);
        },
      },
    ],
  },
  {
    kind: "unawaited-step",
    buggy: [
      {
        title: "fires an audit step and returns without awaiting it",
        route: () => async (context) => {
          await context.run("work", () => 1);
          void context.run("audit", () => "logged");
          return "done";
        },
      },
      {
        title: "starts a step, lets time pass, then runs another step",
        route: () => async (context) => {
          void context.run("log-start", () => true);
          await gap();
          await context.run("work", () => 1);
        },
      },
      {
        title: "maps items to steps and returns without awaiting them",
        route: () => async (context) => {
          await context.run("load", () => 2);
          const jobs = [1, 2].map((i) => context.run(`job-${i}`, () => i));
          return { started: jobs.length };
        },
      },
    ],
    correct: [
      {
        title: "awaits steps through Promise.all",
        route: () => async (context) => {
          await Promise.all([context.run("a", () => 1), context.run("b", () => 2)]);
        },
      },
      {
        title: "keeps step promises and awaits them later in order",
        route: () => async (context) => {
          const a = context.run("a", () => 1);
          const b = context.run("b", () => 2);
          const x = await a;
          const y = await b;
          await context.run("sum", () => x + y);
        },
      },
      {
        title: "returns the last step's promise and chains with then()",
        route: () => async (context) => {
          const doubled = await context.run("one", () => 1).then((v) => v * 2);
          return context.run("two", () => doubled + 1);
        },
      },
    ],
  },
  {
    kind: "payload-mutation",
    buggy: [
      {
        title: "pushes to a payload array outside a step",
        route: () => async (context) => {
          const order = context.requestPayload as { items: string[] };
          order.items.push("gift-wrap");
          await context.run("count", () => order.items.length);
        },
        options: { payload: { items: ["book"] } },
      },
      {
        title: "normalizes a payload field inside a step",
        route: () => async (context) => {
          const user = context.requestPayload as { email: string };
          await context.run("normalize", () => {
            user.email = user.email.toLowerCase();
          });
          await context.run("send", () => user.email);
        },
        options: { payload: { email: "Ada@Example.com" } },
      },
      {
        title: "deletes a secret from the payload",
        route: () => async (context) => {
          const input = context.requestPayload as { token?: string; id: number };
          delete input.token;
          await context.run("store", () => input.id);
        },
        options: { payload: { token: "s3cret", id: 7 } },
      },
    ],
    correct: [
      {
        title: "copies the payload before changing the copy",
        route: () => async (context) => {
          const order = structuredClone(context.requestPayload as { items: string[] });
          order.items.push("gift-wrap");
          await context.run("count", () => order.items.length);
        },
        options: { payload: { items: ["book"] } },
      },
      {
        title: "returns a normalized value from a step",
        route: () => async (context) => {
          const email = await context.run("normalize", () => (context.requestPayload as { email: string }).email.toLowerCase());
          await context.run("send", () => email);
        },
        options: { payload: { email: "Ada@Example.com" } },
      },
      {
        title: "spreads the payload into a new object",
        route: () => async (context) => {
          const { token: _token, ...rest } = context.requestPayload as { token?: string; id: number };
          const input = { ...rest, seen: true };
          await context.run("store", () => input.id);
        },
        options: { payload: { token: "s3cret", id: 7 } },
      },
    ],
  },
  {
    kind: "limit-exceeded",
    buggy: [
      {
        title: "runs 1,001 steps in one run",
        route: () => async (context) => {
          for (let i = 0; i < 1001; i++) await context.run(`row-${i}`, () => i);
        },
      },
      {
        title: "returns a 101 MB step result",
        route: () => async (context) => {
          await context.run("export", () => "x".repeat(101_000_000));
        },
      },
      {
        title: "accumulates 120 MB of step results",
        route: () => async (context) => {
          for (let i = 0; i < 3; i++) await context.run(`page-${i}`, () => "y".repeat(40_000_000));
        },
      },
    ],
    correct: [
      {
        title: "processes 5,000 rows in 50 steps of 100",
        route: () => async (context) => {
          let total = 0;
          for (let chunk = 0; chunk < 50; chunk++) {
            total += await context.run(`rows-${chunk}`, () => Array.from({ length: 100 }, (_, i) => chunk * 100 + i).length);
          }
          return total;
        },
      },
      {
        title: "returns a 1 MB step result",
        route: () => async (context) => {
          const page = await context.run("export", () => "x".repeat(1_000_000));
          return page.length;
        },
      },
      {
        title: "returns only the size of a large document",
        route: () => async (context) => {
          await context.run("export", () => "z".repeat(150_000_000).length);
        },
      },
    ],
  },
  {
    kind: "early-return",
    buggy: [
      {
        title: "returns before its first step when the payload has no user",
        route: () => async (context) => {
          const { user } = context.requestPayload as { user?: string };
          if (!user) return "no user";
          await context.run("greet", () => `hi ${user}`);
        },
        options: { payload: {}, retries: 1 },
      },
      {
        title: "runs an empty dynamic pipeline",
        route: () => async (context) => {
          for (const stage of (context.requestPayload as { stages: string[] }).stages) await context.run(stage, () => stage);
        },
        options: { payload: { stages: [] }, retries: 0 },
      },
      {
        title: "returns past recorded steps when a clock check outside steps turns true after a sleep",
        route: () => async (context) => {
          const deadline = Date.UTC(2025, 0, 1, 1);
          await context.run("start", () => "started");
          if (Date.now() > deadline) return "expired";
          await context.run("charge", () => 42);
          await context.sleep("cool-off", 2 * 60 * 60);
          return await context.run("receipt", () => "sent");
        },
        options: { startTime: Date.UTC(2025, 0, 1) },
      },
    ],
    correct: [
      {
        title: "returns after a step when the loaded user is missing",
        route: () => async (context) => {
          const user = await context.run("load-user", () => null as string | null);
          if (!user) return "no user";
          await context.run("greet", () => `hi ${user}`);
        },
      },
      {
        title: "returns when a wait times out, in the delivery that sees the timeout",
        route: () => async (context) => {
          await context.run("request", () => true);
          const { timeout } = await context.waitForEvent("wait", "ev-never", { timeout: "10m" });
          if (timeout) return "timed out";
          await context.run("process", () => true);
        },
      },
      {
        title: "decides the deadline inside a step",
        route: () => async (context) => {
          const deadline = Date.UTC(2025, 0, 1, 1);
          await context.run("start", () => "started");
          const expired = await context.run("check-deadline", () => Date.now() > deadline);
          if (expired) return "expired";
          await context.run("charge", () => 42);
          await context.sleep("cool-off", 2 * 60 * 60);
          return await context.run("receipt", () => "sent");
        },
        options: { startTime: Date.UTC(2025, 0, 1) },
      },
    ],
  },
  {
    kind: "caught-step-error",
    buggy: [
      {
        title: "catches a step's synchronous error and runs a fallback step",
        route: () => async (context) => {
          try {
            await context.run("risky", () => {
              throw new Error("card declined");
            });
          } catch {
            await context.run("fallback", () => "manual review");
          }
          await context.run("done", () => true);
        },
        options: { retries: 1 },
      },
      {
        title: "catches a step's asynchronous error and runs a fallback step",
        route: () => async (context) => {
          try {
            await context.run("risky", async () => {
              await gap();
              throw new Error("card declined");
            });
          } catch {
            await context.run("fallback", () => "manual review");
          }
          await context.run("done", () => true);
        },
        options: { retries: 1 },
      },
      {
        title: "swallows a step's WorkflowNonRetryableError in a bare catch and returns",
        route: () => async (context) => {
          await context.run("load-order", () => ({ id: "o1" }));
          try {
            await context.run("validate", () => {
              throw new WorkflowNonRetryableError("invalid order");
            });
          } catch {
            return "ignored";
          }
        },
      },
    ],
    correct: [
      {
        title: "handles the error inside the step and returns a fallback value",
        route: () => async (context) => {
          const outcome = await context.run("risky", () => {
            try {
              throw new Error("card declined");
            } catch {
              return "manual review";
            }
          });
          await context.run("done", () => outcome);
        },
      },
      {
        title: "rethrows a step's error from the catch so QStash retries the step",
        route: () => {
          let attempts = 0;
          return async (context) => {
            try {
              await context.run("flaky", () => {
                attempts++;
                if (attempts === 1) throw new Error("timeout");
                return attempts;
              });
            } catch (error) {
              throw error;
            }
            await context.run("after", () => true);
          };
        },
      },
      {
        title: "lets a WorkflowNonRetryableError fail the run",
        route: () => async (context) => {
          await context.run("validate", () => {
            throw new WorkflowNonRetryableError("invalid order");
          });
        },
      },
    ],
  },
  {
    kind: "callback-dry-run",
    buggy: [
      {
        title: "reads the trigger payload before the first step, then calls an API",
        route: () => async (context) => {
          const id = (context.requestPayload as { user: { id: string } }).user.id;
          const profile = await context.call("fetch-profile", { url: "https://api.test/config", method: "GET" });
          await context.run("save", () => `${id}:${profile.status}`);
        },
        options: { payload: { user: { id: "u1" } }, handlers: api, retries: 1 },
      },
      {
        title: "destructures the payload before a call made through context.api",
        route: () => async (context) => {
          const { email } = (context.requestPayload as { contact: { email: string } }).contact;
          await context.call("notify", { url: "https://api.test/notify", method: "POST", body: email });
        },
        options: { payload: { contact: { email: "a@b.test" } }, handlers: api, retries: 0 },
      },
      {
        title: "validates the payload's shape before the first step",
        route: () => async (context) => {
          const payload = context.requestPayload as { items: number[] };
          if (!Array.isArray(payload.items)) throw new Error("items must be an array");
          await context.call("config", { url: "https://api.test/config", method: "GET" });
          await context.run("sum", () => payload.items.length);
        },
        options: { payload: { items: [1, 2] }, handlers: api, retries: 0 },
      },
    ],
    correct: [
      {
        title: "reads the payload inside a step before the call",
        route: () => async (context) => {
          const id = await context.run("read-payload", () => (context.requestPayload as { user: { id: string } }).user.id);
          const profile = await context.call("fetch-profile", { url: "https://api.test/config", method: "GET" });
          await context.run("save", () => `${id}:${profile.status}`);
        },
        options: { payload: { user: { id: "u1" } }, handlers: api },
      },
      {
        title: "reads the payload with optional chaining before the call",
        route: () => async (context) => {
          const id = (context.requestPayload as { user?: { id: string } } | undefined)?.user?.id;
          const profile = await context.call("fetch-profile", { url: "https://api.test/config", method: "GET" });
          await context.run("save", () => `${id ?? "?"}:${profile.status}`);
        },
        options: { payload: { user: { id: "u1" } }, handlers: api },
      },
      {
        title: "keeps the payload object itself and reads it after the call",
        route: () => async (context) => {
          const payload = context.requestPayload as { user: { id: string } };
          const profile = await context.call("fetch-profile", { url: "https://api.test/config", method: "GET" });
          await context.run("save", () => `${payload.user.id}:${profile.status}`);
        },
        options: { payload: { user: { id: "u1" } }, handlers: api },
      },
    ],
  },
  {
    kind: "lost-step-state",
    buggy: [
      {
        title: "sums in a step and charges the closure variable after it",
        route: () => async (context) => {
          const items = (context.requestPayload as { items: number[] }).items;
          let total = 0;
          await context.run("sum", () => {
            total = items.reduce((a, b) => a + b, 0);
          });
          await context.call("charge", { url: "https://api.test/charges", method: "POST", body: JSON.stringify({ amount: total }) });
        },
        options: { payload: { items: [1, 2, 3] }, handlers: api },
      },
      {
        title: "loads a user in one step and reads it in the next step's function",
        route: () => async (context) => {
          let user: { email: string } | undefined;
          await context.run("load-user", async () => {
            user = { email: "a@b.test" };
          });
          await context.run("send-email", () => `sent to ${user!.email}`);
        },
        options: { retries: 0 },
      },
      {
        title: "returns what a step assigned, after a sleep",
        route: () => async (context) => {
          let summary = "";
          await context.run("summarize", () => {
            summary = "three new orders";
          });
          await context.sleep("cool-down", 60);
          return { summary };
        },
      },
      {
        title: "pushes into an outer array in a loop of steps",
        route: () => async (context) => {
          const lines: string[] = [];
          for (const id of ["a", "b"]) {
            await context.run(`line-${id}`, () => {
              lines.push(id);
            });
          }
          return lines.length;
        },
      },
    ],
    correct: [
      {
        title: "assigns the variable from the step's return value",
        route: () => async (context) => {
          const items = (context.requestPayload as { items: number[] }).items;
          const total = await context.run("sum", () => items.reduce((a, b) => a + b, 0));
          await context.call("charge", { url: "https://api.test/charges", method: "POST", body: JSON.stringify({ amount: total }) });
        },
        options: { payload: { items: [1, 2, 3] }, handlers: api },
      },
      {
        title: "sets and uses a variable inside the same step",
        route: () => async (context) => {
          let scratch = 0;
          const doubled = await context.run("double", () => {
            scratch = 21;
            return scratch * 2;
          });
          await context.sleep("pause", 5);
          return doubled;
        },
      },
      {
        title: "re-fills a module-level cache idempotently",
        route: () => {
          let config: { retries: number } | undefined;
          const getConfig = () => (config ??= { retries: 2 });
          return async (context) => {
            const retries = await context.run("read-config", () => {
              config ??= { retries: 2 };
              return config.retries;
            });
            await context.run("use-config", () => getConfig().retries + retries);
            return getConfig().retries;
          };
        },
      },
      {
        title: "reassigns a let outside steps, deterministically",
        route: () => async (context) => {
          let stage = "start";
          await context.run("charge", () => "ch_1");
          stage = "charged";
          const seen = await context.run("record", () => stage);
          return seen;
        },
      },
      {
        title: "assigns inside the step and from its return value too",
        route: () => async (context) => {
          let total: number | undefined;
          total = await context.run("sum", () => {
            total = 6;
            return total;
          });
          await context.sleep("wait", 5);
          return total;
        },
      },
    ],
  },
];
