import type { WorkflowContext } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { replay } from "../replay.js";
import type { ReplayResult } from "../types.js";

const handlers = [http.post("https://pay.test/charges", () => HttpResponse.json({ id: "ch_1" }))];

function chargeRoute(headers: (context: WorkflowContext<unknown>) => Record<string, string>) {
  return async (context: WorkflowContext<unknown>) => {
    const charge = await context.run("charge", async () => {
      const response = await fetch("https://pay.test/charges?amount=5", { method: "POST", headers: headers(context), body: "{}" });
      return (await response.json()) as { id: string };
    });
    await context.run("receipt", () => charge.id);
  };
}

const kinds = (r: ReplayResult) => r.findings.filter((f) => f.kind === "non-idempotent-step");

describe("non-idempotent-step", () => {
  it("reports a POST without an idempotency key that a crash makes run twice", async () => {
    const result = await replay(chargeRoute(() => ({})), { handlers, faults: { crashAfterStep: [1] }, perturb: false });
    expect(result.status).toBe("completed");
    const [finding, ...rest] = kinds(result);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: "warning", stepName: "charge", stepId: 1, invocation: 2 });
    expect(finding!.message.replace(/ at \S+:\d+:\d+/, " at <location>")).toMatchInlineSnapshot(`"Step 'charge' (step 1 at <location>) sent POST https://pay.test/charges in deliveries 1 and 2: QStash runs a step at least once (a crash or a failed delivery after the body ran runs it again), and it carries no Idempotency-Key header, so the receiver performs it again. Make it idempotent: send a key that stays the same across retries, e.g. headers: { "Idempotency-Key": \`\${context.workflowRunId}-charge\` }."`);
  });

  it("stays quiet without a fault: the step body ran once", async () => {
    const result = await replay(chargeRoute(() => ({})), { handlers, perturb: false });
    expect(kinds(result)).toEqual([]);
  });

  it("accepts a key that is the same in every delivery", async () => {
    const route = chargeRoute((context) => ({ "Idempotency-Key": `${context.workflowRunId}-charge` }));
    const result = await replay(route, { handlers, faults: { crashAfterStep: [1] }, perturb: false });
    expect(result.invocations).toBe(4);
    expect(kinds(result)).toEqual([]);
  });

  it("reports a key made inside the step: it changes between deliveries", async () => {
    const route = chargeRoute(() => ({ "idempotency-key": crypto.randomUUID() }));
    const result = await replay(route, { handlers, faults: { failSteps: [{ stepId: 1, attempts: 2 }] }, perturb: false });
    const [finding] = kinds(result);
    expect(finding?.invocation).toBe(2);
    expect(finding!.message).toContain("its idempotency key changed between deliveries");
    expect(finding!.message).toContain("in deliveries 1, 2 and 3");
  });

  it("ignores idempotent methods (PUT, DELETE, GET)", async () => {
    const route = async (context: WorkflowContext<unknown>) => {
      await context.run("put", async () => {
        await fetch("https://pay.test/items/1", { method: "PUT", body: "{}" });
        await fetch("https://pay.test/items/2", { method: "DELETE" });
      });
    };
    const result = await replay(route, {
      handlers: [http.put("https://pay.test/items/1", () => HttpResponse.json({})), http.delete("https://pay.test/items/2", () => HttpResponse.json({}))],
      faults: { crashAfterStep: [1] },
      perturb: false,
    });
    expect(result.invocations).toBe(3);
    expect(kinds(result)).toEqual([]);
  });

  it("can be raised to an error or turned off with checks", async () => {
    const route = chargeRoute(() => ({}));
    const raised = await replay(route, { handlers, faults: { crashAfterStep: [1] }, checks: { "non-idempotent-step": "error" }, perturb: false });
    expect(kinds(raised).map((f) => f.severity)).toEqual(["error"]);
    const off = await replay(route, { handlers, faults: { crashAfterStep: [1] }, checks: { "non-idempotent-step": "off" }, perturb: false });
    expect(kinds(off)).toEqual([]);
  });
});

describe("non-idempotent-step with tracked effects", () => {
  const mailer = { sent: 0, send(_to: string, _key?: string) { this.sent += 1; } };

  it("reports a tracked effect that a duplicate delivery repeats, and accepts one with a stable key", async () => {
    const { trackEffects } = await import("./track-effects.js");
    const route = (tracked: typeof mailer, key: boolean) => async (context: WorkflowContext<unknown>) => {
      await context.run("notify", () => tracked.send("a@b.c", key ? `${context.workflowRunId}-notify` : undefined));
      await context.run("done", () => true);
    };
    const plain = trackEffects(mailer, "mailer");
    const reported = await replay(route(plain, false), { faults: { duplicateSteps: [1] }, perturb: false });
    expect(kinds(reported).map((f) => [f.stepName, f.message.replace(/ at \S+non-idempotent-step\.test\.ts:\d+:\d+/, "").split(":")[0]])).toEqual([
      ["notify", "Step 'notify' (step 1) called mailer.send in deliveries 1 and 3"],
    ]);
    expect(kinds(reported)[0]!.location?.file).toMatch(/non-idempotent-step\.test\.ts$/);
    expect(kinds(reported)[0]!.message).toContain("it was tracked without an idempotency key, so it happened again");
    const keyed = trackEffects(mailer, "mailer2", { idempotencyKey: (_method, args) => args[1] as string | undefined });
    const quiet = await replay(route(keyed, true), { faults: { duplicateSteps: [1] }, perturb: false });
    expect(mailer.sent).toBeGreaterThanOrEqual(4);
    expect(kinds(quiet)).toEqual([]);
  });
});
