import type { DeliveryEndEvent, EffectSeenEvent, RequestSeenEvent } from "../engine/observer.js";
import { formatLocation } from "../sandbox/location.js";
import type { DeliveryRecord, ReplayResult, SourceLocation, Step } from "../types.js";
import { locateReturn } from "./locate-pass.js";
import type { PassSandbox } from "./pass-runner.js";
import type { DetectorFactory } from "./detector.js";
import { preview } from "./describe.js";

/** The SDK's 400 answer when the auth dry run ends without meeting a step (its first words). */
const AUTH_FAIL = "Failed to authenticate Workflow request";

/** The recorded result steps, once per step id (a redelivered step can be recorded twice, as QStash does). */
function resultSteps(steps: Step[]): Step[] {
  const byId = new Map<number, Step>();
  for (const s of steps) if (s.stepId > 0 && !s.targetStep && s.stepType !== "Initial" && !byId.has(s.stepId)) byId.set(s.stepId, s);
  return [...byId.values()];
}

/**
 * `early-return`: the workflow function returned before reaching steps it is expected to reach.
 * - **No step reached**: a delivery's auth dry run ran the route to its end without a step (an empty
 *   dynamic pipeline, `if (!user) return`, a check outside steps that fails in a later delivery): the
 *   SDK answers that request 400 "Failed to authenticate Workflow request", so no step runs and the
 *   run fails after its retries. Seen in both drivers (it is the delivery's answer).
 * - **Returned past recorded steps**: the delivery that completed the run replayed fewer steps than
 *   the history holds (a clock check outside steps that turns true after a sleep or a wait): the run
 *   "completes" with another output than a straight run, and the SDK never notices. `replay()` only
 *   (a handler does not tell which steps it replayed).
 * A dry run whose abort was caught is `swallowed-abort`'s to report.
 */
export const earlyReturn: DetectorFactory = (ctx) => {
  const caughtInDryRun = new Set<number>();
  /** A request or tracked effect outside a step: the locating pass would repeat it, so none runs. */
  let outsideEffect = false;
  return {
    kind: "early-return",
    deliveryEnd(event: DeliveryEndEvent) {
      if (event.dryRunAbortCaught) caughtInDryRun.add(event.invocation);
    },
    requestSeen(event: RequestSeenEvent) {
      if (!event.frame.step) outsideEffect = true;
    },
    effectSeen(event: EffectSeenEvent) {
      if (!event.frame.step) outsideEffect = true;
    },
    async finish(result, _passes, sandbox) {
      await noStepReached(result, sandbox);
      returnedPastHistory(result);
    },
  };

  /** Where the route last used its context before returning without a step (a locating pass, `replay()` only). */
  async function returnPoint(sandbox: PassSandbox | undefined): Promise<SourceLocation | undefined> {
    if (!sandbox || outsideEffect) return undefined;
    const located = await locateReturn(sandbox);
    return located.issued === 0 && located.returned ? located.lastUse : undefined;
  }

  async function noStepReached(result: Omit<ReplayResult, "findings">, sandbox: PassSandbox | undefined): Promise<void> {
    const failed = result.deliveries.filter(
      (d) => d.kind === "step" && d.status === 400 && (d.error?.message ?? d.outcome).includes(AUTH_FAIL) && !caughtInDryRun.has(d.invocation),
    );
    const first = failed[0];
    if (!first) return;
    const later = first.bodySteps > 1;
    const recorded = first.bodySteps - 1;
    const location = await returnPoint(sandbox);
    ctx.report(
      {
        message:
          `The workflow function returned without reaching a step in delivery ${first.invocation}` +
          (location ? ` (its last use of the context before returning: ${formatLocation(location)})` : "") +
          (later ? `, although the history already holds ${recorded} ${recorded === 1 ? "step" : "steps"}` : ` (the run's first delivery)`) +
          `: before every delivery the SDK runs the route up to its first step, and a route that returns instead is answered 400 "${AUTH_FAIL}". ` +
          `No step runs in that delivery; QStash retries it ${failed.length > 1 ? `(${failed.length} such answers in this run) ` : ""}and the run fails${result.status === "failed" ? " (as it did here)" : ""}. ` +
          (later
            ? `Code before the first step decided differently in this later delivery than in the first one — a clock or signature-timestamp check, a lookup, the payload parsed again — so it returned early. `
            : `An empty dynamic pipeline or a guard such as if (!user) return before any step ends every delivery this way. `) +
          `Make every path reach a step: move the check into a step and branch on its result (const ok = await context.run("check", () => ...); if (!ok) return), or reject the request before it reaches serve().`,
        invocation: first.invocation,
        ...(location ? { location } : {}),
        hint: `Code before the first step runs again before every delivery (the auth dry run); a route that can return before its first step fails the delivery with 400.`,
        received: { deliveries: failed.map((d) => d.invocation), status: 400 },
      },
      "no-step",
    );
  }

  function returnedPastHistory(result: Omit<ReplayResult, "findings">): void {
    if (result.status !== "completed") return;
    const last = [...result.deliveries].reverse().find((d) => d.kind === "step" && d.status >= 200 && d.status < 300);
    if (!last || last.replayed.length === 0) return; // a handler does not report what it replayed
    const recorded = resultSteps(result.steps);
    const before = recorded.filter((s) => !isAfter(s, last));
    if (last.replayed.length >= before.length || last.submitted.length > 0) return;
    const skipped = before.slice(last.replayed.length);
    ctx.report(
      {
        message:
          `The workflow function returned in delivery ${last.invocation} after replaying ${last.replayed.length} of the ${before.length} recorded steps: ` +
          `${skipped.map((s) => JSON.stringify(s.stepName)).join(", ")} ${skipped.length === 1 ? "was" : "were"} recorded by earlier deliveries but never reached. ` +
          `The SDK treats a return as the run's end, so the run completes with output ${preview(result.output)} instead of what the same code returns when run straight through, and it never reports the difference. ` +
          `A condition outside steps (the clock after a sleep or a wait, env, module state) changed between deliveries. Decide it inside a step and branch on the step's result, so every delivery takes the same path.`,
        invocation: last.invocation,
        stepName: skipped[0]!.stepName,
        hint: `Every delivery must replay the recorded steps in order; only step results may decide the path.`,
        expected: { steps: before.map((s) => s.stepName) },
        received: { replayed: last.replayed },
      },
      "past-history",
    );
  }
};

/** Whether the step was recorded by this delivery or later (not part of its history). */
function isAfter(step: Step, delivery: DeliveryRecord): boolean {
  return delivery.submitted.some((s) => s.stepId === step.stepId);
}
