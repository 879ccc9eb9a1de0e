import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fromHono, fromNextjs, replayHandler, simulatorEnv, type WorkflowHandler } from "workflow-replay";
import { billingApi } from "./handlers";

const url = "https://shop.example/api/invoice";
const payload = { customerId: "cus_42", amount: 1999 };
const env = simulatorEnv(); // QSTASH_URL, QSTASH_TOKEN and a pair of freshly generated signing keys

/** Both deployments of the same workflow, each verifying signatures with the keys it was given. */
const deployments: Array<[string, () => Promise<WorkflowHandler>]> = [
  [
    "Next.js { POST }",
    async () => {
      // The route reads process.env at import, as in production: set it first.
      for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value!);
      return fromNextjs(await import("./app/api/invoice/route"));
    },
  ],
  ["Hono app", async () => fromHono((await import("./hono-app")).app, env)],
];

describe.each(deployments)("%s with signing keys", (_, load) => {
  let handler: WorkflowHandler;
  beforeAll(async () => {
    handler = await load();
  });
  afterAll(() => vi.unstubAllEnvs());

  it("runs end to end on signed deliveries", async () => {
    const api = billingApi();
    const result = await replayHandler(handler, { url, payload, handlers: api.handlers });
    expect(result.status).toBe("completed");
    expect(result.output).toEqual({ chargeId: "ch_1", emailedTo: "cus_42@example.com" });
    expect(result.steps.filter((s) => s.stepId > 0).map((s) => s.stepName)).toEqual(["load-customer", "charge", "cool-off", "email-receipt"]);
    // four step deliveries, the context.call callback, and the final one that completes the run
    expect(result.invocations).toBe(6);
    expect(api.charges).toEqual([{ key: `${result.workflowRunId}-charge`, body: payload }]);
    expect(api.emails).toHaveLength(1);
    // a day passed on the virtual clock, not in the test
    expect(result.endedAt - result.deliveries[0]!.at).toBeGreaterThanOrEqual(86_400_000);
  });

  it("rejects a forged delivery before any step runs", async () => {
    const api = billingApi();
    const result = await replayHandler(handler, { url, payload, handlers: api.handlers, signature: "wrong-key", retries: 0 });
    expect(result.status).toBe("failed");
    expect(result.error?.status).toBe(500);
    expect(result.error?.message).toContain("Failed to verify that the Workflow request comes from QStash");
    expect(result.steps.map((s) => s.stepName)).toEqual(["init"]);
    expect(api.charges).toEqual([]);
  });

  it("rejects an unsigned delivery", async () => {
    const result = await replayHandler(handler, { url, payload, signature: "missing", retries: 0 });
    expect(result.error?.message).toContain("`Upstash-Signature` header is not passed");
  });
});
