// `npm run demo`: replays the bundled example workflows with the BUILT package and prints each run's
// timeline and findings. The example workflows are TypeScript; tsx (a dev dependency) loads them.
import { register } from "tsx/esm/api";
import { formatReport, replay } from "../dist/index.js";

register();
const { pipeline } = await import("./nextjs-pipeline/workflow.ts");
const { pipelineHandlers } = await import("./nextjs-pipeline/handlers.ts");
const { onboarding } = await import("./hono/app.ts");
const { onboardingHandlers } = await import("./hono/handlers.ts");
const { transcode, doneEvent } = await import("./dispatch-and-wait/workflow.ts");
const { transcoderHandlers } = await import("./dispatch-and-wait/handlers.ts");
const { buggyCheckout } = await import("./buggy-checkout/workflow.ts");
const { analyticsHandlers } = await import("./buggy-checkout/handlers.ts");

const runs = [
  {
    title: "Dynamic pipeline [fetch, summarize, email] — examples/nextjs-pipeline",
    run: () =>
      replay(pipeline, {
        payload: { documentId: "doc-1", stages: ["fetch", "summarize", "email"], to: "ops@example.com" },
        handlers: pipelineHandlers().handlers,
      }),
  },
  {
    title: "Parallel fan-out after a one-day sleep — examples/hono",
    run: () =>
      replay(onboarding, {
        payload: { userId: "u1", email: "ada@example.com", channels: ["slack", "discord", "email"] },
        handlers: onboardingHandlers().handlers,
      }),
  },
  {
    title: "Dispatch and wait: context.call, then waitForEvent (the worker notifies after 40m) — examples/dispatch-and-wait",
    run: () =>
      replay(transcode, {
        payload: { videoId: "v42" },
        handlers: transcoderHandlers().handlers,
        events: { [doneEvent("job-v42")]: { data: { url: "s3://renders/v42/master.m3u8" }, after: "40m" } },
      }),
  },
  {
    title: "A buggy checkout: a request outside a step, a Date step result, a step name from the clock — examples/buggy-checkout",
    run: () => replay(buggyCheckout, { payload: { cartId: "c1" }, handlers: analyticsHandlers().handlers }),
  },
];

const rule = (text) => `\n${"━".repeat(4)} ${text} ${"━".repeat(Math.max(4, 100 - text.length))}\n`;
for (const [i, { title, run }] of runs.entries()) {
  console.log(rule(`${i + 1}/${runs.length} ${title}`));
  const result = await run();
  console.log(formatReport(result));
}
