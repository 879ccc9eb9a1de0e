// A SvelteKit endpoint: src/routes/api/workflow/+server.ts. In the app, env comes from
// `import { env } from "$env/dynamic/private"`; here process.env plays that part.
import { serve } from "@upstash/workflow/svelte";

export const { POST } = serve<{ name: string }>(
  async (context) => {
    const greeting = await context.run("greet", () => `hello ${context.requestPayload.name}`);
    await context.sleep("pause", 1);
    return await context.run("shout", () => greeting.toUpperCase());
  },
  { env: process.env as Record<string, string> },
);
