import type { WorkflowContext } from "@upstash/workflow";
import { WorkflowNonRetryableError } from "@upstash/workflow";
import { Client } from "@upstash/qstash";
import fc from "fast-check";
import { http, HttpResponse } from "msw";

/** A random workflow program: what the conformance property runs through both modes. */
export type Leaf =
  | { t: "run"; value: fc.JsonValue | undefined }
  | { t: "sleep"; seconds: number }
  | { t: "sleepUntil"; offset: number }
  | { t: "notify"; event: number; data: fc.JsonValue }
  | { t: "flaky"; failures: number; value: fc.JsonValue }
  | { t: "call"; target: keyof typeof TARGETS; retries: number }
  | { t: "wait"; event: number; timeout: number }
  /** A step whose result is drawn from Math.random() and crypto.randomUUID(). */
  | { t: "random"; draws: number }
  /** A step that publishes with @upstash/qstash's own Client (the application's QStash traffic). */
  | { t: "publish"; api: "publishJSON" | "batchJSON" | "enqueueJSON" | "schedule"; delay: number };

export type Node =
  | Leaf
  | { t: "group"; branches: Leaf[] }
  | { t: "branch"; value: number; then: Node[]; else: Node[] }
  | { t: "fatal" };

export interface Program {
  payload: fc.JsonValue;
  body: Node[];
  /** Events that arrive (by event number); the others time out. */
  events: Record<number, fc.JsonValue>;
  seed: number;
  headers: Record<string, string>;
  /** Delivery order of messages ready at the same time (parallel branches), duplicated deliveries. */
  faults: {
    order?: number[];
    duplicateDeliveries?: number[];
    duplicateSteps?: number[];
    failSteps?: Array<{ stepId: number; attempts: number }>;
    crashAfterStep?: number[];
  };
}

export const TARGETS = {
  json: { url: "https://api.test/json", method: "GET" },
  text: { url: "https://api.test/text", method: "POST" },
  missing: { url: "https://api.test/missing", method: "GET" },
  unicode: { url: "https://api.test/unicode", method: "GET" },
  bytes: { url: "https://api.test/bytes", method: "GET" },
} as const;

export const targetHandlers = [
  http.get("https://api.test/json", () => HttpResponse.json({ ok: true, list: [1, "two", null] })),
  http.post("https://api.test/text", async ({ request }) => HttpResponse.text(`got ${await request.text()}`)),
  http.get("https://api.test/missing", () => HttpResponse.json({ error: "not found" }, { status: 404 })),
  http.get("https://api.test/unicode", () => HttpResponse.text("ünïcødé ✓ \u{1F600}")),
  http.get("https://api.test/bytes", () => new HttpResponse(new Uint8Array([0, 1, 254, 255, 10]), { headers: { "content-type": "application/octet-stream" } })),
];

const json = fc.jsonValue({ maxDepth: 2 });

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("run" as const), value: fc.option(json, { nil: undefined, freq: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("sleep" as const), seconds: fc.integer({ min: 1, max: 86_400 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("sleepUntil" as const), offset: fc.integer({ min: -60, max: 86_400 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("call" as const),
      target: fc.constantFrom(...(Object.keys(TARGETS) as Array<keyof typeof TARGETS>)),
      retries: fc.constantFrom(0, 0, 1, 2),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("wait" as const), event: fc.integer({ min: 0, max: 3 }), timeout: fc.integer({ min: 1, max: 3_600 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("notify" as const), event: fc.integer({ min: 0, max: 3 }), data: json }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("flaky" as const), failures: fc.integer({ min: 1, max: 3 }), value: json }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("random" as const), draws: fc.integer({ min: 1, max: 3 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("publish" as const),
      api: fc.constantFrom("publishJSON" as const, "batchJSON" as const, "enqueueJSON" as const, "schedule" as const),
      delay: fc.integer({ min: 0, max: 600 }),
    }),
  },
);

const node: fc.Memo<Node> = fc.memo((depth) => {
  const options: Array<fc.WeightedArbitrary<Node>> = [
    { weight: 12, arbitrary: leaf },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("group" as const), branches: fc.array(leaf, { minLength: 2, maxLength: 4 }) }) },
    { weight: 1, arbitrary: fc.constant({ t: "fatal" as const }) },
  ];
  if (depth > 1) {
    options.push({
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant("branch" as const),
        value: fc.integer({ min: 0, max: 9 }),
        then: fc.array(node(depth - 1), { maxLength: 3 }),
        else: fc.array(node(depth - 1), { maxLength: 3 }),
      }),
    });
  }
  return fc.oneof(...options);
});

export const programArbitrary: fc.Arbitrary<Program> = fc.record({
  payload: json,
  body: fc.array(node(3), { minLength: 0, maxLength: 6 }),
  events: fc.dictionary(fc.constantFrom("0", "1", "2", "3"), json, { maxKeys: 3 }) as unknown as fc.Arbitrary<Record<number, fc.JsonValue>>,
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  headers: fc.dictionary(fc.constantFrom("x-user", "x-tenant"), fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxKeys: 2 }),
  faults: fc.record(
    {
      order: fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 6 }),
      duplicateDeliveries: fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 2 }),
      duplicateSteps: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 2 }),
      failSteps: fc.array(fc.record({ stepId: fc.integer({ min: 1, max: 8 }), attempts: fc.integer({ min: 1, max: 2 }) }), { maxLength: 2 }),
      crashAfterStep: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
});

/** The route a program describes; every call gives fresh closure state (flaky counters). */
export function routeOf(program: Program): (context: WorkflowContext<unknown>) => Promise<unknown> {
  const attempts = new Map<string, number>();
  return async (context) => {
    let n = 0;
    const name = (kind: string) => `${kind}-${++n}`;
    const out: unknown[] = [
      context.requestPayload,
      context.workflowRunId,
      context.url,
      context.workflowRunCreatedAt,
      context.headers.get("x-user"),
      context.headers.get("x-tenant"),
    ];
    const runLeaf = async (l: Leaf, stepName: string): Promise<unknown> => {
      switch (l.t) {
        case "run":
          return context.run(stepName, () => l.value);
        case "sleep":
          return context.sleep(stepName, l.seconds);
        case "sleepUntil":
          return context.sleepUntil(stepName, Math.floor(context.workflowRunCreatedAt / 1000) + l.offset);
        case "notify": {
          const r = await context.notify(stepName, `evt-${l.event}`, l.data);
          return r.notifyResponse.length;
        }
        case "flaky":
          return context.run(stepName, () => {
            const count = (attempts.get(stepName) ?? 0) + 1;
            attempts.set(stepName, count);
            if (count <= l.failures) throw new Error(`${stepName} failed attempt ${count}`);
            return { value: l.value, retried: context.retried };
          });
        case "call": {
          const target = TARGETS[l.target];
          const r = await context.call(stepName, {
            url: target.url,
            method: target.method,
            retries: l.retries,
            ...(target.method === "POST" ? { body: stepName } : {}),
          });
          return { status: r.status, body: r.body };
        }
        case "wait":
          return context.waitForEvent(stepName, `evt-${l.event}`, { timeout: l.timeout });
        case "random":
          return context.run(stepName, () => Array.from({ length: l.draws }, () => [Math.random(), crypto.randomUUID()]));
        case "publish":
          return context.run(stepName, async () => {
            const client = new Client({ token: "app-token" });
            const url = `https://app.test/${stepName}`;
            const body = { step: stepName };
            switch (l.api) {
              case "publishJSON":
                return (await client.publishJSON({ url, body, delay: l.delay })).messageId;
              case "batchJSON":
                return (await client.batchJSON([{ url, body }, { url, body, delay: l.delay }])).map((m) => m.messageId);
              case "enqueueJSON":
                return (await client.queue({ queueName: "q" }).enqueueJSON({ url, body })).messageId;
              case "schedule":
                return (await client.schedules.create({ destination: url, cron: `*/${(l.delay % 59) + 1} * * * *` })).scheduleId;
            }
          });
      }
    };
    const exec = async (nodes: Node[]): Promise<void> => {
      for (const item of nodes) {
        switch (item.t) {
          case "group": {
            const names = item.branches.map((b) => name(`p-${b.t}`));
            out.push(await Promise.all(item.branches.map((b, i) => runLeaf(b, names[i]!))));
            break;
          }
          case "branch": {
            const v = await context.run(name("branch"), () => item.value);
            await exec(v % 2 === 1 ? item.then : item.else);
            break;
          }
          case "fatal":
            await context.run(name("fatal"), () => {
              throw new WorkflowNonRetryableError("fatal step");
            });
            break;
          default:
            out.push(await runLeaf(item, name(item.t)));
        }
      }
    };
    await exec(program.body);
    return out;
  };
}

export function eventsOf(program: Program): Record<string, unknown> {
  const events: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(program.events)) events[`evt-${k}`] = v;
  return events;
}
