import { expect, it, jest } from "@jest/globals";
import { http, HttpResponse } from "msw";
import { assertReplay, replay } from "workflow-replay";
import { greet, order } from "./workflows.js";

it("greets after an hour (the profile step returns Response.json(), from another realm)", async () => {
  const result = await replay(greet, { payload: { name: " Ada " } });
  assertReplay(result);
  expect(result.output).toBe("Hello, Ada (pro)!");
  expect(result.invocations).toBe(5);
});

it("returns `await response.json()` from a step without a non-serializable-result finding", async () => {
  const handlers = [http.get("https://shop.test/items/:sku", ({ params }) => HttpResponse.json({ sku: params.sku, price: 21 }))];
  const result = await replay(order, { payload: { sku: "mug" }, handlers });
  assertReplay(result);
  expect(result.output).toBe(42);
  expect(result.findings).toEqual([]);
});

it("replays under jest's fake timers: the run's clock is virtual", async () => {
  jest.useFakeTimers();
  try {
    const result = await replay(greet, { payload: { name: "Bo" } });
    assertReplay(result);
  } finally {
    jest.useRealTimers();
  }
});
