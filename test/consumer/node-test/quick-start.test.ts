// node --test on Node 24 strips the types itself: no build step, no tsx.
import assert from "node:assert/strict";
import { it } from "node:test";
import { http, HttpResponse } from "msw";
import { assertReplay, replay } from "workflow-replay";
import { greet, order } from "./workflow.ts";

it("greets after an hour", async () => {
  const result = await replay(greet, { payload: { name: " Ada " } });
  assertReplay(result);
  assert.equal(result.output, "Hello, Ada (pro)!");
  assert.equal(result.invocations, 5);
});

it("answers the step's fetch from an msw handler", async () => {
  const handlers = [http.get("https://shop.test/items/:sku", ({ params }) => HttpResponse.json({ sku: params.sku, price: 21 }))];
  const result = await replay(order, { payload: { sku: "mug" }, handlers });
  assertReplay(result);
  assert.equal(result.output, 42);
});
