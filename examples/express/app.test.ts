import { afterEach, describe, expect, it, vi } from "vitest";
import { fromExpress, replay, replayHandler, simulatorEnv } from "workflow-replay";
import { matchers } from "workflow-replay/vitest";
import { app, fulfilOrder, releaseStock } from "./app";
import { orderHandlers } from "./handlers";

expect.extend(matchers);

const payload = { orderId: "o-7", amountCents: 4_200 };

describe("order fulfilment, replayed with replay()", () => {
  it("reserves, charges and ships", async () => {
    const { handlers, calls } = orderHandlers();
    const result = await replay(fulfilOrder, { payload, handlers, failureFunction: releaseStock });
    expect(result).toCompleteWith({ shipment: "shp_1" });
    expect(result).toHaveNoFindings();
    expect(calls).toEqual(["stock.example.com/reservations", "pay.example.com/charges", "ship.example.com/shipments"]);
  });

  it("retries a shipping outage with backoff and still completes", async () => {
    const { handlers, calls } = orderHandlers({ shippingDownFor: 2 });
    const result = await replay(fulfilOrder, { payload, handlers, failureFunction: releaseStock });
    expect(result).toCompleteWith({ shipment: "shp_1" });
    expect(result.deliveries.map((d) => d.retried)).toEqual([0, 0, 0, 1, 2, 0]);
    expect(calls.filter((c) => c.startsWith("ship."))).toHaveLength(3);
  });

  it("fails at once on a declined card and releases the stock in the failure function", async () => {
    const { handlers, calls } = orderHandlers({ card: "declined" });
    const result = await replay(fulfilOrder, { payload, handlers, failureFunction: releaseStock });
    expect(result).toHaveStatus("failed");
    expect(result.error).toMatchObject({ name: "WorkflowNonRetryableError", message: "card declined for order o-7", status: 489 });
    expect(result.deliveries.filter((d) => d.retried > 0)).toEqual([]);
    expect(calls).toContain("stock.example.com/releases");
    expect(result.failureFunctionResult).toMatch(/^released stock: /);
  });
});

describe("the Express app, driven by replayHandler()", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("runs the same steps through serve() of @upstash/workflow/express, failure function included", async () => {
    // The express adapter reads process.env on each request: point it at the simulator.
    for (const [name, value] of Object.entries(simulatorEnv())) vi.stubEnv(name, value);
    const handler = await fromExpress(app);
    try {
      const url = "https://shop.example.com/api/orders";
      const ok = await replayHandler(handler, { payload, handlers: orderHandlers().handlers, url });
      expect(ok).toCompleteWith({ shipment: "shp_1" });
      expect(ok).toHaveRunSteps(["reserve-stock", "charge-card", "ship"]);

      const { handlers, calls } = orderHandlers({ card: "declined" });
      const declined = await replayHandler(handler, { payload, handlers, url });
      expect(declined).toHaveStatus("failed");
      expect(declined.error?.status).toBe(489);
      expect(calls).toContain("stock.example.com/releases");
    } finally {
      await handler.close();
    }
  });
});
