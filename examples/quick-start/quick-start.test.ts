import type { WorkflowContext } from "@upstash/workflow";
import { expect, it } from "vitest";
import { assertReplay, replay } from "workflow-replay";

// The function you pass to serve(): one step per delivery, replayed from the top every time.
async function greet(context: WorkflowContext<{ name: string }>) {
  const name = await context.run("normalize", () => context.requestPayload.name.trim());
  await context.sleep("wait", "1h");
  return await context.run("greet", () => `Hello, ${name}!`);
}

it("greets after an hour", async () => {
  const result = await replay(greet, { payload: { name: " Ada " } });
  assertReplay(result); // throws the run's report if it failed or has replay bugs
  expect(result.output).toBe("Hello, Ada!");
  expect(result.invocations).toBe(4); // QStash calls your endpoint 4 times
});
