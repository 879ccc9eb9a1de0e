import type { WorkflowContext } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { replay } from "workflow-replay";

async function purchase(context: WorkflowContext<{ item: string }>) {
  const quote = await context.call<{ id: string; price: number }>("get-quote", {
    url: "https://quotes.example.com/quotes",
    method: "POST",
    body: JSON.stringify({ item: context.requestPayload.item }),
  });
  const approval = await context.waitForEvent<{ by: string }>("approval", `approve-${quote.body.id}`, { timeout: "1d" });
  if (approval.timeout) return { bought: false };
  await context.run("buy", async () => {
    const response = await fetch("https://shop.example.com/orders", { method: "PUT", body: quote.body.id });
    if (!response.ok) throw new Error(`shop answered ${response.status}`);
  });
  return { bought: true, price: quote.body.price, approvedBy: approval.eventData.by };
}

const quotes = http.post("https://quotes.example.com/quotes", () => HttpResponse.json({ id: "q1", price: 900 }));

it("replays with handlers, events, retries, a failure function, a time limit and a seed", async () => {
  const result = await replay(purchase, {
    payload: { item: "laptop" }, // the trigger body (sent as JSON)
    handlers: [quotes, http.put("https://shop.example.com/orders", () => new HttpResponse(null, { status: 201 }))],
    events: { "approve-q1": { data: { by: "ada" }, after: "2h" } }, // a notify 2h into the wait; omit it to time out
    retries: 2, // per delivery (default 3, like QStash)
    failureFunction: ({ failResponse }) => `alerted on-call: ${failResponse}`, // when retries run out
    until: 7 * 86_400_000, // stop the virtual clock after a week (status "waiting")
    seed: 7, // Math.random, run ids and retry jitter derive from it
  });
  expect(result.status).toBe("completed");
  expect(result.output).toEqual({ bought: true, price: 900, approvedBy: "ada" });
  expect(result.invocations).toBe(5); // call, callback, wait, event, buy-and-return
  expect(result.findings).toEqual([]);
});

it("calls the failure function once the retries run out", async () => {
  const result = await replay(purchase, {
    payload: { item: "laptop" },
    handlers: [quotes, http.put("https://shop.example.com/orders", () => new HttpResponse(null, { status: 503 }))],
    events: { "approve-q1": { by: "ada" } },
    retries: 2,
    failureFunction: ({ failResponse }) => `alerted on-call: ${failResponse}`,
  });
  expect(result.status).toBe("failed");
  expect(result.error?.message).toBe("shop answered 503");
  expect(result.failureFunctionResult).toMatch(/^alerted on-call: /);
});

it("stops at the time limit while the run waits", async () => {
  const result = await replay(purchase, { payload: { item: "laptop" }, handlers: [quotes], until: 3_600_000 });
  expect(result.status).toBe("waiting");
});
