import type { EffectSeenEvent, RequestSeenEvent } from "../engine/observer.js";
import type { SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";
import { at } from "./describe.js";
import { locateReturn } from "./locate-pass.js";
import type { PassSandbox } from "./pass-runner.js";

/** The keys of the body a callback's dry run gets as context.requestPayload (SDK 1.3.3), with stand-in values. */
const CALLBACK_BODY = { status: 200, header: {}, body: "", retried: 0, maxRetries: 0, sourceMessageId: "", url: "", method: "GET" };

/**
 * Where the code throws when handed a callback body: a locating pass with that payload, kept only
 * when it throws the delivery's own error (`replay()` only).
 */
async function throwPoint(sandbox: PassSandbox | undefined, error: { name: string; message: string }): Promise<SourceLocation | undefined> {
  if (!sandbox) return undefined;
  const located = await locateReturn(sandbox, { value: structuredClone(CALLBACK_BODY) });
  return located.error?.name === error.name && located.error.message === error.message ? located.error.location : undefined;
}

/**
 * `callback-dry-run`: a `context.call` callback delivery failed. In that delivery the SDK (1.3.3) runs
 * the route only as its auth dry run, with the callback's body as `context.requestPayload` (Upstash's
 * troubleshooting page "requestPayload becoming undefined"): code before the first step that reads
 * the trigger payload (`context.requestPayload.user.id`) throws there, the callback is retried and
 * the run fails without the call's result ever being recorded. Read from the deliveries, so it is
 * seen in both drivers.
 */
export const callbackDryRun: DetectorFactory = (ctx) => {
  /** A request or tracked effect outside a step: the locating pass would repeat it, so none runs. */
  let outsideEffect = false;
  return {
    kind: "callback-dry-run",
    requestSeen(event: RequestSeenEvent) {
      if (!event.frame.step) outsideEffect = true;
    },
    effectSeen(event: EffectSeenEvent) {
      if (!event.frame.step) outsideEffect = true;
    },
    async finish(result, _passes, sandbox) {
      const failed = result.deliveries.filter((d) => d.kind === "callback" && d.status >= 500 && d.error);
      const first = failed[0];
      if (!first) return;
      const error = first.error!;
      const location = outsideEffect ? undefined : await throwPoint(sandbox, error);
      ctx.report(
        {
          message:
            `The context.call callback (delivery ${first.invocation}) failed with ${error.name}: ${error.message}${at(location)}` +
            `${failed.length > 1 ? ` (${failed.length} callback deliveries failed)` : ""}. ` +
            `In a callback delivery the SDK runs the workflow only up to its first step (the auth dry run), and hands it the callback's body as context.requestPayload instead of the trigger's payload, ` +
            `so code before the first step that reads the payload breaks there: the callback is retried until it gives up, the call's result is never recorded and the run ${result.status === "failed" ? "fails (as it did here)" : "cannot go on"}. ` +
            `Read the payload inside a step and use the step's result (const { user } = await context.run("read-payload", () => context.requestPayload)), or guard the code before the first step against another payload.`,
          invocation: first.invocation,
          ...(location ? { location } : {}),
          hint: `Code before the first step runs in every delivery's dry run, callbacks included, where context.requestPayload is the callback body.`,
          received: { deliveries: failed.map((d) => d.invocation), error },
        },
        "callback",
      );
    },
  };
};
