// Plain node:test, no vitest: `node --test examples/node-test/`. Imports the package by its name
// (node resolves "workflow-replay" to this repository's built package through its "exports").
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { http, HttpResponse } from "msw";
import { assertReplay, formatReport, replay, ReplayAssertionError } from "workflow-replay";

/** A refund workflow: look the payment up, refund it, email the customer. */
async function refund(context) {
  const { paymentId } = context.requestPayload;
  const payment = await context.run("load-payment", async () => {
    const response = await fetch(`https://pay.example.com/payments/${paymentId}`);
    return response.json();
  });
  if (payment.refunded) return { refunded: false, reason: "already refunded" };
  await context.run("refund", async () => {
    await fetch(`https://pay.example.com/payments/${paymentId}/refund`, {
      method: "POST",
      headers: { "idempotency-key": `refund:${paymentId}` },
    });
  });
  await context.sleep("grace-period", "1h");
  await context.run("email", () => `emailed ${payment.email}`);
  return { refunded: true, amount: payment.amount };
}

function payments(refunded = false) {
  const refunds = [];
  return {
    refunds,
    handlers: [
      http.get("https://pay.example.com/payments/:id", ({ params }) =>
        HttpResponse.json({ id: params.id, amount: 1999, email: "ada@example.com", refunded }),
      ),
      http.post("https://pay.example.com/payments/:id/refund", ({ params }) => {
        refunds.push(params.id);
        return HttpResponse.json({ ok: true });
      }),
    ],
  };
}

describe("workflow-replay under node:test", () => {
  it("replays the refund workflow to completion", async () => {
    const { handlers, refunds } = payments();
    const result = await replay(refund, { payload: { paymentId: "pay_1" }, handlers });
    assertReplay(result);
    assert.deepEqual(result.output, { refunded: true, amount: 1999 });
    assert.deepEqual(
      result.steps.slice(1).map((s) => s.stepName),
      ["load-payment", "refund", "grace-period", "email"],
    );
    assert.equal(result.invocations, 5);
    assert.deepEqual(refunds, ["pay_1"]);
  });

  it("takes the early return when the payment was already refunded", async () => {
    const result = await replay(refund, { payload: { paymentId: "pay_2" }, handlers: payments(true).handlers });
    assertReplay(result);
    assert.deepEqual(result.output, { refunded: false, reason: "already refunded" });
  });

  it("assertReplay throws the report when the run fails", async () => {
    const result = await replay(refund, { payload: { paymentId: "pay_3" }, handlers: [], retries: 0 });
    assert.equal(result.status, "failed");
    assert.throws(
      () => assertReplay(result, { report: { color: false } }),
      (error) => {
        assert.ok(error instanceof ReplayAssertionError);
        assert.match(error.message, /^\[workflow-replay\] Failed to assert the replay: the run ended "failed"/);
        assert.match(error.message, /pay\.example\.com\/payments\/pay_3/);
        return true;
      },
    );
    assert.match(formatReport(result, { color: false }), /Result {2}✗ failed · 500/);
  });
});
