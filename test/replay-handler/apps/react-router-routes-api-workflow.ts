// A React Router v7 resource route: app/routes/api.workflow.ts
import { serve } from "@upstash/workflow/react-router";

export const action = serve<{ name: string }>(async (context) => {
  const greeting = await context.run("greet", () => `hello ${context.requestPayload.name}`);
  await context.sleep("pause", 1);
  return await context.run("shout", () => greeting.toUpperCase());
});
