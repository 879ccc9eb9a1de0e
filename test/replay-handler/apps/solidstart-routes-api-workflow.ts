// A SolidStart API route: src/routes/api/workflow.ts
import { serve } from "@upstash/workflow/solidjs";

export const { POST } = serve<{ name: string }>(async (context) => {
  const greeting = await context.run("greet", () => `hello ${context.requestPayload.name}`);
  await context.sleep("pause", 1);
  return await context.run("shout", () => greeting.toUpperCase());
});
