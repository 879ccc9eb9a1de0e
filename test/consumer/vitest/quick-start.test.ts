import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { assertReplay, replay } from "workflow-replay";
import { greet, order } from "./workflow.js";

it("greets after an hour", async () => {
  const result = await replay(greet, { payload: { name: " Ada " } });
  assertReplay(result);
  expect(result.output).toBe("Hello, Ada (pro)!");
  expect(result.invocations).toBe(5);
});

it("answers the step's fetch from an msw handler", async () => {
  const handlers = [http.get("https://shop.test/items/:sku", ({ params }) => HttpResponse.json({ sku: params.sku, price: 21 }))];
  const result = await replay(order, { payload: { sku: "mug" }, handlers });
  assertReplay(result);
  expect(result.output).toBe(42);
});

it("fails a fetch no handler answers", async () => {
  const result = await replay(order, { payload: { sku: "mug" }, retries: 0 });
  expect(result.status).toBe("failed");
  expect(() => assertReplay(result)).toThrow(/shop\.test\/items\/mug/);
});
