import type { DeliveryEndEvent, StepExecutedEvent } from "../engine/observer.js";
import type { DetectorFactory } from "./detector.js";
import { at } from "./describe.js";
import { findJsonLoss } from "./json-loss.js";

/**
 * `non-serializable-result`: a step result (or the workflow's output) that does not survive the JSON
 * round trip QStash applies. The delivery that ran the step saw the real value; every later
 * delivery sees the parsed JSON. Reports the first path inside the value that changes and what the
 * next delivery sees there.
 */
export const nonSerializableResult: DetectorFactory = (ctx) => ({
  kind: "non-serializable-result",
  stepExecuted(event: StepExecutedEvent) {
    if (event.type !== "Run") return;
    const loss = findJsonLoss(event.result);
    if (!loss) return;
    const consequence = loss.throws
      ? `so no result is recorded: the delivery fails and the step runs again on every retry until the run fails`
      : `so the next delivery sees ${loss.becomes} there`;
    ctx.report(
      {
        message:
          `The result of step ${JSON.stringify(event.name)}${at(event.location)} is not JSON-serializable at ${loss.path}: it is ${loss.what}. ` +
          `QStash records JSON.stringify(result), ${consequence}${loss.throws ? "" : ", while the delivery that ran the step saw the original"}. ` +
          `Return plain JSON from the step (strings, numbers, booleans, null, arrays, plain objects) and rebuild richer values after it.`,
        stepName: event.name,
        stepId: event.stepId,
        invocation: event.invocation,
        ...(event.location ? { location: event.location } : {}),
        hint: hintFor(loss.what),
      },
      `step:${event.name}`,
    );
  },
  deliveryEnd(event: DeliveryEndEvent) {
    if (!event.returned) return;
    const loss = findJsonLoss(event.returned.value);
    if (!loss) return;
    const consequence = loss.throws
      ? `so the run cannot complete: the final delivery fails and is retried until the run fails`
      : `so the run's output has ${loss.becomes} there`;
    ctx.report(
      {
        message:
          `The workflow's return value is not JSON-serializable at ${loss.path}: it is ${loss.what}. ` +
          `The SDK sends JSON.stringify(output) when the run completes, ${consequence}. ` +
          `Return plain JSON from the workflow function.`,
        invocation: event.invocation,
        hint: hintFor(loss.what),
      },
      "output",
    );
  },
});

function hintFor(what: string): string {
  if (what.startsWith("a Date")) return `Return date.toISOString() and call new Date(value) after the step.`;
  if (what.startsWith("a Map")) return `Return Object.fromEntries(map) (or [...map]) and rebuild the Map after the step.`;
  if (what.startsWith("a Set")) return `Return [...set] and rebuild the Set after the step.`;
  if (what.startsWith("a BigInt")) return `Return value.toString() and call BigInt(value) after the step.`;
  if (what.startsWith("an instance")) return `Return the instance's data as a plain object and construct the class again after the step.`;
  if (what.startsWith("a circular")) return `Return a tree (no object that contains itself), e.g. only the ids of related objects.`;
  return `Replace it with a JSON value (null, a string or a number) before returning it.`;
}
