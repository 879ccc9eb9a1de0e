// The consumer matrix's workflows (test/consumer/README.md). Erasable TypeScript only, so Node's own
// type stripping, bun, tsx, ts-jest and vitest all read it.
import type { WorkflowContext } from "@upstash/workflow";

export type Profile = { name: string; plan: string };

/** Three steps and a sleep; the profile comes from `Response.json()` (another realm under jest). */
export async function greet(context: WorkflowContext<{ name: string }>) {
  const name = await context.run("normalize", () => context.requestPayload.name.trim());
  const profile = await context.run("load-profile", async () => (await new Response(JSON.stringify({ name, plan: "pro" })).json()) as Profile);
  await context.sleep("wait", "1h");
  return await context.run("greet", () => `Hello, ${profile.name} (${profile.plan})!`);
}

/** One HTTP call inside a step, answered by an msw handler. */
export async function order(context: WorkflowContext<{ sku: string }>) {
  const item = await context.run("load-item", async () => {
    const response = await fetch(`https://shop.test/items/${context.requestPayload.sku}`);
    return (await response.json()) as { sku: string; price: number };
  });
  return await context.run("total", () => item.price * 2);
}

/** A replay bug: two steps share a name (duplicate-step-name). */
export async function twice(context: WorkflowContext<{ n: number }>) {
  const a = await context.run("add", () => context.requestPayload.n + 1);
  const b = await context.run("add", () => a + 1);
  return b;
}

/** For the property: a pipeline of n steps, each named after its index. */
export async function pipeline(context: WorkflowContext<{ stages: number }>) {
  let total = 0;
  for (let i = 0; i < context.requestPayload.stages; i++) {
    total = await context.run(`stage-${i}`, () => total + i);
  }
  return total;
}
