// A Nuxt server route as Upstash's Nuxt quickstart writes it: server/api/workflow.ts
import { serve } from "@upstash/workflow/h3";

const { handler } = serve<{ name: string }>(async (context) => {
  const greeting = await context.run("greet", () => `hello ${context.requestPayload.name}`);
  await context.sleep("pause", 1);
  return await context.run("shout", () => greeting.toUpperCase());
});

export default handler;
