import type { WorkflowContext } from "@upstash/workflow";
import fc from "fast-check";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { faults, replayProperty, type FaultSchedule } from "workflow-replay/fast-check";
import { runs } from "../run-counts.js";

type Order = { orderId: string; amount: number };
const payload = fc.record({ orderId: fc.uuid(), amount: fc.integer({ min: 1, max: 500 }) });
const handlers = [http.post("https://payments.test/charges", () => HttpResponse.json({ id: "ch_1" }))];

function checkout(idempotencyKey: (context: WorkflowContext<Order>) => Record<string, string>) {
  return async (context: WorkflowContext<Order>) => {
    const { orderId, amount } = context.requestPayload;
    const order = await context.run("load-order", () => ({ orderId, amount }));
    const charge = await context.run("charge", async () => {
      const response = await fetch("https://payments.test/charges", {
        method: "POST",
        headers: { "content-type": "application/json", ...idempotencyKey(context) },
        body: JSON.stringify(order),
      });
      return (await response.json()) as { id: string };
    });
    await context.run("send-receipt", () => `receipt for ${charge.id}`);
    return charge.id;
  };
}

describe("faults()", () => {
  it("finds a POST without an idempotency key that a crash or a retried step sends twice", async () => {
    const route = checkout(() => ({}));
    const details = await fc.check(replayProperty(route, { payload, handlers, faults: faults({ steps: 3 }) }), { seed: 11, numRuns: 100 });
    expect(details.failed).toBe(true);
    const [, schedule] = details.counterexample!;
    // shrunk to one fault on the charge step (step 2), nothing else
    const onCharge = [...schedule.crashAfterStep, ...schedule.failSteps.map((f) => f.stepId), ...schedule.duplicateSteps];
    expect(onCharge).toEqual([2]);
    expect(schedule.order).toEqual([]);
    const message = (details.errorInstance as Error).message;
    expect(message.split("\n")[0]).toMatchInlineSnapshot(`"[workflow-replay] Replay property failed: 1 error finding (non-idempotent-step)."`);
    expect(message).toContain("non-idempotent-step");
    expect(message).toContain("Step 'charge' (step 2");
  });

  it("passes once the step sends an idempotency key that is stable across retries", async () => {
    const route = checkout((context) => ({ "Idempotency-Key": `${context.workflowRunId}-charge` }));
    const details = await fc.check(replayProperty(route, { payload, handlers, faults: faults({ steps: 3 }) }), { seed: 11, numRuns: runs(300, 60) });
    expect(details.failed).toBe(false);
  });

  it("expects a failed run when a failure outlasts the retries", async () => {
    const route = checkout((context) => ({ "Idempotency-Key": `${context.workflowRunId}-charge` }));
    const seen = { failed: 0, completed: 0 };
    const property = replayProperty(
      route,
      { payload, handlers, retries: 1, faults: faults({ steps: 3, retries: 1, permanentFailures: true, crashes: false, duplicates: false }) },
      (result) => {
        seen[result.status as "failed" | "completed"] += 1;
      },
    );
    await fc.assert(property, { seed: 3, numRuns: 60 });
    expect(seen.failed).toBeGreaterThan(0);
    expect(seen.completed).toBeGreaterThan(0);
  });

  it("finds a route that is correct only for some completion orders of its parallel branches", async () => {
    // shared mutable state between the branches, outside any step: a module-level ledger
    const ledger = new Map<string, string[]>();
    const route = async (context: WorkflowContext<Order>) => {
      const id = context.workflowRunId;
      await context.run("open", () => void ledger.set(id, []));
      const [reserved, charged] = await Promise.all([
        context.run("reserve", () => {
          ledger.get(id)!.push("reserve");
          return true;
        }),
        context.run("charge", () => ledger.get(id)!.includes("reserve")),
      ]);
      return { reserved, charged };
    };
    const property = replayProperty(route, { payload, faults: faults({ steps: 3, failures: false, crashes: false, duplicates: false }) }, (result) => {
      expect(result.output).toEqual({ reserved: true, charged: true });
    });
    const details = await fc.check(property, { seed: 5, numRuns: 100 });
    expect(details.failed).toBe(true);
    const [, schedule] = details.counterexample!;
    expect(schedule.order).toEqual([1]);
    const message = (details.errorInstance as Error).message;
    expect(message.split("\n")[0]).toMatchInlineSnapshot(`"[workflow-replay] Replay property failed: the predicate threw: expected { reserved: true, charged: false } to deeply equal { reserved: true, charged: true }."`);
    expect(message.split("\n")[1]).toMatch(/^Rerun this case alone: await replay\(route, \{ \.\.\.options, payload: .*, faults: \{"order":\[1\]\} \}\)$/);
  });

  it("times events before, during and after the wait, and never", async () => {
    const route = async (context: WorkflowContext<Order>) => {
      await context.run("request-approval", () => "sent");
      const { eventData, timeout } = await context.waitForEvent("await-approval", "approval", { timeout: "1h" });
      return timeout ? "timed out" : eventData;
    };
    const outcomes = new Map<string, Set<unknown>>();
    const property = replayProperty(
      route,
      { payload, faults: faults({ steps: 2, failures: false, crashes: false, duplicates: false, order: false, events: { approval: { data: fc.constantFrom("yes", "no"), timeout: "1h" } } }) },
      (result, _payload, schedule) => {
        const after = (schedule as FaultSchedule).events.approval!.after;
        const timing = after === "before" || after === "never" ? after : Number(after) < 3600 ? "during" : "late";
        if (!outcomes.has(timing)) outcomes.set(timing, new Set());
        outcomes.get(timing)!.add(result.output);
      },
    );
    await fc.assert(property, { seed: 9, numRuns: 200 });
    expect([...outcomes.keys()].sort()).toEqual(["before", "during", "late", "never"]);
    expect(outcomes.get("never")).toEqual(new Set(["timed out"]));
    expect(outcomes.get("late")).toEqual(new Set(["timed out"]));
    expect(outcomes.get("during")).toEqual(new Set(["yes", "no"]));
    expect(outcomes.get("before")).toEqual(new Set(["yes", "no"]));
  });

  it("works with @fast-check/vitest's test.prop through the property's parts", async () => {
    const route = checkout(() => ({}));
    const property = replayProperty(route, { payload, handlers, faults: faults({ steps: 3 }) });
    expect(property.arbitraries).toHaveLength(2);
    const failure = await property.runCase({ orderId: "o-1", amount: 5 }, { failSteps: [], crashAfterStep: [2], duplicateSteps: [], order: [], events: {} }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.name).toBe("ReplayPropertyError");
    expect(failure?.message.split("\n")[1]).toMatchInlineSnapshot(`"Rerun this case alone: await replay(route, { ...options, payload: {"orderId":"o-1","amount":5}, faults: {"crashAfterStep":[2]} })"`);
  });
});
