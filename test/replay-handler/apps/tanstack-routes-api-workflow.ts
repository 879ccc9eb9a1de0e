// A TanStack Start server route: src/routes/api/workflow.ts. In the app the handler is mounted with
// `createFileRoute("/api/workflow")({ server: { handlers: { POST: workflow.POST } } })`.
import { serve } from "@upstash/workflow/tanstack";

export const workflow = serve<{ name: string }>(async (context) => {
  const greeting = await context.run("greet", () => `hello ${context.requestPayload.name}`);
  await context.sleep("pause", 1);
  return await context.run("shout", () => greeting.toUpperCase());
});
