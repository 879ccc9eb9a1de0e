import type { EffectSeenEvent, RequestSeenEvent, StepExecutedEvent } from "../engine/observer.js";
import type { SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";

/** Header names that carry an idempotency key (compared case-insensitively, like all headers). */
export const IDEMPOTENCY_HEADERS = ["idempotency-key", "x-idempotency-key"] as const;

/** HTTP methods that are not idempotent by definition (RFC 9110 §9.2.2: GET, HEAD, PUT, DELETE... are). */
const NON_IDEMPOTENT_METHODS = new Set(["POST", "PATCH"]);

interface Occurrence {
  stepName: string;
  stepId: number;
  /** "sent POST https://api.test/charge" or "called payments.charge" */
  what: string;
  /** The idempotency key of each delivery that made it (undefined: none), by invocation. */
  keys: Map<number, string | undefined>;
  location?: SourceLocation;
}

function keyOf(headers: Headers | undefined): string | undefined {
  if (!headers) return undefined;
  for (const name of IDEMPOTENCY_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

function list(numbers: number[]): string {
  return numbers.length <= 2 ? numbers.join(" and ") : `${numbers.slice(0, -1).join(", ")} and ${numbers[numbers.length - 1]}`;
}

/**
 * `non-idempotent-step`: a step's body made the same non-idempotent effect in two deliveries.
 * QStash runs a step at least once: a crash after the body ran but before its result was recorded
 * (or a step that throws after its write) runs the body again. An effect counts as non-idempotent
 * when it is a POST or PATCH request without an `Idempotency-Key` (or `X-Idempotency-Key`) header,
 * or a tracked effect; a request that carries the same key in every delivery is idempotent, one
 * whose key changes between deliveries (a key made inside the step) is not.
 */
export const nonIdempotentStep: DetectorFactory = (ctx) => {
  const seen = new Map<string, Occurrence>();
  /** Call site of each executed step: the fallback location when the request's own is not on the stack. */
  const stepLocations = new Map<number, StepExecutedEvent>();

  const record = (
    frame: RequestSeenEvent["frame"],
    what: string,
    key: string | undefined,
    location: () => SourceLocation | undefined,
  ): void => {
    const step = frame.step;
    if (!step || frame.dryRun) return;
    const id = `${step.id}\u0000${step.name}\u0000${what}`;
    let occurrence = seen.get(id);
    if (!occurrence) {
      occurrence = { stepName: step.name, stepId: step.id, what, keys: new Map() };
      seen.set(id, occurrence);
    }
    if (occurrence.keys.has(frame.invocation)) return;
    occurrence.keys.set(frame.invocation, key);
    // the call site is taken only when the effect repeats: a stack trace per request is not free
    if (occurrence.keys.size === 2) occurrence.location = location();
  };

  return {
    kind: "non-idempotent-step",
    stepExecuted(event: StepExecutedEvent) {
      // keep the event: its location is resolved only if a finding needs it
      if (!stepLocations.has(event.stepId)) stepLocations.set(event.stepId, event);
    },
    requestSeen(event: RequestSeenEvent) {
      const method = event.method.toUpperCase();
      if (!NON_IDEMPOTENT_METHODS.has(method)) return;
      const url = event.url.split("?")[0]!;
      record(event.frame, `sent ${method} ${url}`, keyOf(event.headers), event.location);
    },
    effectSeen(event: EffectSeenEvent) {
      record(event.frame, `called ${event.target}`, event.idempotencyKey, event.location);
    },
    finish() {
      for (const occurrence of seen.values()) {
        if (occurrence.keys.size < 2) continue;
        const keys = [...occurrence.keys.values()];
        const first = keys[0];
        if (first !== undefined && keys.every((k) => k === first)) continue;
        const invocations = [...occurrence.keys.keys()].sort((a, b) => a - b);
        const isRequest = occurrence.what.startsWith("sent ");
        const keyed = keys.some((k) => k !== undefined);
        const why = keyed
          ? `its idempotency key changed between deliveries (${keys.map((k) => (k === undefined ? "none" : JSON.stringify(k))).join(", ")}), so the receiver cannot tell it is the same request`
          : isRequest
            ? "it carries no Idempotency-Key header, so the receiver performs it again"
            : "it was tracked without an idempotency key, so it happened again";
        const location = occurrence.location ?? stepLocations.get(occurrence.stepId)?.location;
        const where = location ? ` at ${location.file}:${location.line}:${location.column}` : "";
        ctx.report(
          {
            message:
              `Step '${occurrence.stepName}' (step ${occurrence.stepId}${where}) ${occurrence.what} in deliveries ${list(invocations)}: ` +
              `QStash runs a step at least once (a crash or a failed delivery after the body ran runs it again), and ${why}. ` +
              `Make it idempotent: send a key that stays the same across retries, e.g. headers: { "Idempotency-Key": \`\${context.workflowRunId}-${occurrence.stepName}\` }.`,
            stepName: occurrence.stepName,
            stepId: occurrence.stepId,
            invocation: invocations[1],
            ...(location ? { location } : {}),
            hint: `Derive the key from data stable across deliveries (workflowRunId, step name, payload ids), not from a value made inside the step.`,
          },
          `${occurrence.stepId}:${occurrence.stepName}:${occurrence.what}`,
        );
      }
    },
  };
};
