// An Astro endpoint: src/pages/api/workflow.ts. The route function also gets Astro's APIContext.
import { serve } from "@upstash/workflow/astro";

export const { POST } = serve<{ name: string }>(async (context, apiContext) => {
  const greeting = await context.run("greet", () => `hello ${context.requestPayload.name} from ${String(apiContext.locals.site)}`);
  await context.sleep("pause", 1);
  return await context.run("shout", () => greeting.toUpperCase());
});
