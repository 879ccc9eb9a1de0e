// A Next.js catch-all route serving two workflows: app/api/workflow/[...any]/route.ts
import { createWorkflow, serveMany } from "@upstash/workflow/nextjs";

const shout = createWorkflow(async (context: import("@upstash/workflow").WorkflowContext<string>) => {
  return await context.run("upper", () => context.requestPayload.toUpperCase());
});

const greet = createWorkflow(async (context: import("@upstash/workflow").WorkflowContext<{ name: string }>) => {
  const greeting = await context.run("greet", () => `hello ${context.requestPayload.name}`);
  const { body } = await context.invoke("shout", { workflow: shout, body: greeting });
  return body;
});

export const { POST } = serveMany({ greet, shout });
