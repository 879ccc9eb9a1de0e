import type { RouteFunction } from "@upstash/workflow";
import { serve } from "@upstash/workflow/hono";
import { Hono } from "hono";

export interface SignupPayload {
  userId: string;
  email: string;
  /** Where to announce the signup; each channel is notified in parallel. */
  channels: string[];
}

/**
 * Onboarding: create the account, wait a day, then fan out one notification per channel in
 * parallel (`Promise.all` of steps: one plan delivery, one delivery per branch, then the rest).
 */
export const onboarding: RouteFunction<SignupPayload, { account: string; notified: string[] }> = async (context) => {
  const { userId, email, channels } = context.requestPayload;
  const account = await context.run("create-account", async () => {
    const response = await fetch("https://accounts.example.com/users", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId, email }),
    });
    return ((await response.json()) as { id: string }).id;
  });
  await context.sleep("wait-a-day", "1d");
  const notified = await Promise.all(
    channels.map((channel) =>
      context.run(`notify-${channel}`, async () => {
        await fetch(`https://hooks.example.com/${channel}`, {
          method: "PUT",
          body: JSON.stringify({ text: `${email} signed up yesterday` }),
        });
        return channel;
      }),
    ),
  );
  return { account, notified };
};

/** The Hono app: the workflow is served at POST /workflows/onboarding. */
export const app = new Hono();
app.post("/workflows/onboarding", serve(onboarding));
app.get("/health", (c) => c.text("ok"));
