import type { DeliveryEndEvent, StepExecutedEvent } from "../engine/observer.js";
import type { ReplayResult, Severity, SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";
import { at } from "./describe.js";
import { findJsonLosses, type JsonLoss } from "./json-loss.js";
import type { PassSandbox } from "./pass-runner.js";
import { firstDifference, outsideEffects, straightThrough, type StraightDifference } from "./straight-through.js";

/** The loss that made the run misbehave, and how (`throws`, `data`, `called:<name>`, `branch`). */
interface Cause {
  loss: JsonLoss;
  why: string;
  difference?: StraightDifference;
}

interface Lossy {
  subject: "step" | "output";
  name?: string;
  stepId?: number;
  invocation: number;
  location?: SourceLocation;
  losses: JsonLoss[];
  /** A step's value before the round trip (what code run straight through continues with). */
  raw?: unknown;
}

/** The loss that made the run misbehave, and how; undefined when production tolerates every loss. */
function mattered(lossy: Lossy, result: Omit<ReplayResult, "findings">): Cause | undefined {
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
  /** A request or tracked effect outside a step: a pass would repeat it for the caller to see, so none runs. */
  const outside = outsideEffects();
  return {
    kind: "non-serializable-result",
    requestSeen: outside.requestSeen,
    effectSeen: outside.effectSeen,
    stepExecuted(event: StepExecutedEvent) {
      if (event.type !== "Run") return;
      const losses = findJsonLosses(event.result);
      if (losses.length === 0 || seen.has(`step:${event.name}`)) return;
      seen.add(`step:${event.name}`);
      found.push({ subject: "step", name: event.name, stepId: event.stepId, invocation: event.invocation, ...(event.location ? { location: event.location } : {}), losses, raw: event.result });
    },
    deliveryEnd(event: DeliveryEndEvent) {
      if (!event.returned || seen.has("output")) return;
      const losses = findJsonLosses(event.returned.value);
      if (losses.length === 0) return;
      seen.add("output");
      found.push({ subject: "output", invocation: event.invocation, losses });
    },
    async finish(result, _passes, sandbox) {
      const causes = found.map((lossy) => mattered(lossy, result));
      const open = found.filter((lossy, i) => !causes[i] && lossy.subject === "step" && lossy.stepId !== undefined);
      if (sandbox && open.length > 0 && !outside.seen()) {
        const branched = await branches(sandbox, open);
        for (const [lossy, difference] of branched) causes[found.indexOf(lossy)] = { loss: lossy.losses[0]!, why: "branch", difference };
      }
      found.forEach((lossy, i) => report(lossy, causes[i], result.error?.message ?? ""));
    },
  };

  /**
   * The lossy step results whose round trip changes what the code does next: the route re-run over
   * the final history with code after each such step given the original value (as it is when the code
   * runs straight through), against the same pass with the recorded JSON. With several candidates,
   * each is tried alone (up to four).
   */
  async function branches(sandbox: PassSandbox, open: Lossy[]): Promise<Map<Lossy, StraightDifference>> {
    const out = new Map<Lossy, StraightDifference>();
    const replayed = await straightThrough(sandbox, {});
    const rawOf = (list: Lossy[]) => new Map(list.map((l) => [l.stepId!, l.raw]));
    const all = firstDifference(replayed, await straightThrough(sandbox, { raw: rawOf(open) }));
    if (!all) return out;
    if (open.length === 1) return out.set(open[0]!, all);
    for (const lossy of open.slice(0, 4)) {
      const alone = firstDifference(replayed, await straightThrough(sandbox, { raw: rawOf([lossy]) }));
      if (alone) return out.set(lossy, alone);
    }
    return out.set(open[0]!, all);
  }

  function report(lossy: Lossy, cause: Cause | undefined, failure: string): void {
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
    } else if (cause.why === "branch" && cause.difference) {
      const d = cause.difference;
      const where = d.position !== undefined ? `at step ${d.position}` : "at the end of the run";
      consequence = `Later deliveries see ${key.becomes} there, and the code after the step does something else with it: ${where} the replayed run ${d.replayed}, where the same code run straight through (with the original value) ${d.straight}. Production does the former.`;
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
