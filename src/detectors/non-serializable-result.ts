import type { DeliveryEndEvent, StepExecutedEvent } from "../engine/observer.js";
import type { ReplayResult, Severity, SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";
import { at } from "./describe.js";
import { findJsonLosses, type JsonLoss } from "./json-loss.js";

interface Lossy {
  subject: "step" | "output";
  name?: string;
  stepId?: number;
  invocation: number;
  location?: SourceLocation;
  losses: JsonLoss[];
}

/** The loss that made the run misbehave, and how; undefined when production tolerates every loss. */
function mattered(lossy: Lossy, result: Omit<ReplayResult, "findings">): { loss: JsonLoss; why: string } | undefined {
  const throws = lossy.losses.find((l) => l.throws);
  if (throws) return { loss: throws, why: "throws" };
  const lost = lossy.losses.find((l) => l.dataLost);
  if (lost) return { loss: lost, why: "data" };
  if (result.status !== "failed" || !result.error) return undefined;
  const message = result.error.message;
  for (const loss of lossy.losses) {
    for (const name of loss.callables ?? []) {
      if (new RegExp(`\\b${name}\\b[^\\n]*\\bis not a function\\b|reading '${name}'`).test(message)) return { loss, why: `called:${name}` };
    }
  }
  return undefined;
}

function listOf(losses: JsonLoss[]): string {
  return losses.map((l) => `${l.path} (${l.what}, becomes ${l.becomes})`).join("; ");
}

/**
 * `non-serializable-result`: a step result (or the workflow's output) that does not survive the JSON
 * round trip QStash applies. The delivery that ran the step saw the real value; every later
 * delivery sees the parsed JSON. Lists every lossy path of the value. It is an error when the loss
 * changes what the run does — JSON.stringify throws (BigInt, a cycle), a Map or Set with entries
 * arrives empty, or the run fails calling a method or function the value lost — and names that
 * path; otherwise a warning (a Date that becomes a string nobody reads works in production).
 */
export const nonSerializableResult: DetectorFactory = (ctx) => {
  const found: Lossy[] = [];
  const seen = new Set<string>();
  return {
    kind: "non-serializable-result",
    stepExecuted(event: StepExecutedEvent) {
      if (event.type !== "Run") return;
      const losses = findJsonLosses(event.result);
      if (losses.length === 0 || seen.has(`step:${event.name}`)) return;
      seen.add(`step:${event.name}`);
      found.push({ subject: "step", name: event.name, stepId: event.stepId, invocation: event.invocation, ...(event.location ? { location: event.location } : {}), losses });
    },
    deliveryEnd(event: DeliveryEndEvent) {
      if (!event.returned || seen.has("output")) return;
      const losses = findJsonLosses(event.returned.value);
      if (losses.length === 0) return;
      seen.add("output");
      found.push({ subject: "output", invocation: event.invocation, losses });
    },
    finish(result) {
      for (const lossy of found) report(lossy, mattered(lossy, result), result.error?.message ?? "");
    },
  };

  function report(lossy: Lossy, cause: { loss: JsonLoss; why: string } | undefined, failure: string): void {
    const severity: Severity = cause ? "error" : "warning";
    const key = cause?.loss ?? lossy.losses[0]!;
    const all = lossy.losses.length === 1 ? `at ${key.path}: it is ${key.what}` : `at ${lossy.losses.length} paths: ${listOf(lossy.losses)}`;
    const step = lossy.subject === "step";
    const subject = step ? `The result of step ${JSON.stringify(lossy.name)}${at(lossy.location)}` : `The workflow's return value`;
    const ref = lossy.losses.length === 1 ? "It" : `${key.path} (${key.what})`;
    let consequence: string;
    if (!cause) {
      consequence = step
        ? `QStash records JSON.stringify(result), so later deliveries see ${key.becomes}${lossy.losses.length > 1 ? " (and the other changes above)" : ""} where the delivery that ran the step saw the original. Nothing in this run depended on it, so production tolerates it today; it breaks the run as soon as code calls a method on it, branches on its type or reads what was dropped.`
        : `The SDK sends JSON.stringify(output) when the run completes, so the run's output has ${key.becomes} there. Callers get JSON; nothing is lost that JSON can hold.`;
    } else if (cause.why === "throws") {
      consequence = step
        ? `${ref} makes JSON.stringify throw, so no result is recorded: the delivery fails and the step runs again on every retry until the run fails.`
        : `${ref} makes JSON.stringify throw, so the run cannot complete: the final delivery fails and is retried until the run fails.`;
    } else if (cause.why === "data") {
      consequence = step
        ? `${ref} arrives in every later delivery as ${key.becomes}: its entries are lost, and code after the step reads nothing from it.`
        : `${ref} reaches the caller as ${key.becomes}: its entries are lost.`;
    } else {
      const name = cause.why.slice("called:".length);
      consequence = `Later deliveries see ${key.path} as ${key.becomes}, and the run failed calling ${name} on it ("${failure}"): the run does not do what it does when run straight through.`;
    }
    ctx.report(
      {
        severity,
        message:
          `${subject} is not JSON-serializable ${all}. ${consequence} ` +
          (step
            ? `Return plain JSON from the step (strings, numbers, booleans, null, arrays, plain objects) and rebuild richer values after it.`
            : `Return plain JSON from the workflow function.`),
        ...(lossy.name !== undefined ? { stepName: lossy.name } : {}),
        ...(lossy.stepId !== undefined ? { stepId: lossy.stepId } : {}),
        invocation: lossy.invocation,
        ...(lossy.location ? { location: lossy.location } : {}),
        hint: hintFor(key.what),
        ...(lossy.losses.length > 1 || cause ? { received: { paths: lossy.losses.map((l) => l.path), mattered: cause ? key.path : undefined } } : {}),
      },
      step ? `step:${lossy.name}` : "output",
    );
  }
};

function hintFor(what: string): string {
  if (what.startsWith("a Date")) return `Return date.toISOString() and call new Date(value) after the step.`;
  if (what.startsWith("a Map")) return `Return Object.fromEntries(map) (or [...map]) and rebuild the Map after the step.`;
  if (what.startsWith("a Set")) return `Return [...set] and rebuild the Set after the step.`;
  if (what.startsWith("a BigInt")) return `Return value.toString() and call BigInt(value) after the step.`;
  if (what.startsWith("an instance")) return `Return the instance's data as a plain object and construct the class again after the step.`;
  if (what.startsWith("a circular")) return `Return a tree (no object that contains itself), e.g. only the ids of related objects.`;
  return `Replace it with a JSON value (null, a string or a number) before returning it.`;
}
