// workflow.ts's workflows in JavaScript (jest's ESM mode runs no transform).
export async function greet(context) {
  const name = await context.run("normalize", () => context.requestPayload.name.trim());
  const profile = await context.run("load-profile", async () => await new Response(JSON.stringify({ name, plan: "pro" })).json());
  await context.sleep("wait", "1h");
  return await context.run("greet", () => `Hello, ${profile.name} (${profile.plan})!`);
}

export async function order(context) {
  const item = await context.run("load-item", async () => {
    const response = await fetch(`https://shop.test/items/${context.requestPayload.sku}`);
    return await response.json();
  });
  return await context.run("total", () => item.price * 2);
}

export async function twice(context) {
  const a = await context.run("add", () => context.requestPayload.n + 1);
  return await context.run("add", () => a + 1);
}

export async function pipeline(context) {
  let total = 0;
  for (let i = 0; i < context.requestPayload.stages; i++) total = await context.run(`stage-${i}`, () => total + i);
  return total;
}
