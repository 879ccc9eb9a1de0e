import type { DetectorFactory } from "./detector.js";

/**
 * `callback-dry-run`: a `context.call` callback delivery failed. In that delivery the SDK (1.3.3) runs
 * the route only as its auth dry run, with the callback's body as `context.requestPayload` (Upstash's
 * troubleshooting page "requestPayload becoming undefined"): code before the first step that reads
 * the trigger payload (`context.requestPayload.user.id`) throws there, the callback is retried and
 * the run fails without the call's result ever being recorded. Read from the deliveries, so it is
 * seen in both drivers.
 */
export const callbackDryRun: DetectorFactory = (ctx) => ({
  kind: "callback-dry-run",
  finish(result) {
    const failed = result.deliveries.filter((d) => d.kind === "callback" && d.status >= 500 && d.error);
    const first = failed[0];
    if (!first) return;
    const error = first.error!;
    ctx.report(
      {
        message:
          `The context.call callback (delivery ${first.invocation}) failed with ${error.name}: ${error.message}` +
          `${failed.length > 1 ? ` (${failed.length} callback deliveries failed)` : ""}. ` +
          `In a callback delivery the SDK runs the workflow only up to its first step (the auth dry run), and hands it the callback's body as context.requestPayload instead of the trigger's payload, ` +
          `so code before the first step that reads the payload breaks there: the callback is retried until it gives up, the call's result is never recorded and the run ${result.status === "failed" ? "fails (as it did here)" : "cannot go on"}. ` +
          `Read the payload inside a step and use the step's result (const { user } = await context.run("read-payload", () => context.requestPayload)), or guard the code before the first step against another payload.`,
        invocation: first.invocation,
        hint: `Code before the first step runs in every delivery's dry run, callbacks included, where context.requestPayload is the callback body.`,
        received: { deliveries: failed.map((d) => d.invocation), error },
      },
      "callback",
    );
  },
});
