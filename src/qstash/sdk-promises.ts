import { createRequire } from "node:module";
import { WorkflowContext } from "@upstash/workflow";
import { yieldToEventLoop } from "../sandbox/real-timers.js";
import { sdkScopeOf } from "./sdk-scope.js";
import type { Finding, Severity, SourceLocation } from "../types.js";

/**
 * Keeps the real SDK's rejected step promises from escaping as unhandled rejections while
 * `replayHandler()` runs, and tells what they mean (decision 1502). A step promise user code never
 * awaits (`void context.run(...)`) is rejected by the SDK when the delivery ends (`WorkflowAbort`, or
 * `WorkflowAuthError` in the auth dry run); in production the function's process just ends, under a
 * test runner the rejection is fatal.
 *
 * While a replay runs, (1) every method of the SDK's `WorkflowContext` is wrapped to remember which
 * step (name, call site) each returned promise belongs to, the promise itself unchanged; (2) the
 * process's `unhandledRejection` listeners are set aside for a net that swallows the SDK's own abort
 * errors and records them as unawaited steps, and hands every other rejection to the listeners it
 * set aside (a user's real bug still fails the test).
 */

/** A step promise nobody handled, as the net saw it. */
export interface UnhandledStep {
  stepName: string;
  /** `concurrent` of the aborting step: > 1 when it was one branch of a parallel group. */
  concurrent: number;
  /** The auth dry run's abort (the step was reached before the first one ran). */
  dryRun: boolean;
  /** The delivery in progress when it was caught. */
  invocation?: number;
  location?: SourceLocation;
}

type Proto = Record<string, unknown>;
interface Origin {
  stepName: string | undefined;
  stack: string;
}

const SDK_ABORTS = new Set(["WorkflowAbort", "WorkflowAuthError", "WorkflowCancelAbort"]);

/** The context classes in this process: the SDK's ESM build and, when it is a different copy, its CJS build. */
function contextPrototypes(): Proto[] {
  const protos = new Set<Proto>([WorkflowContext.prototype as unknown as Proto]);
  try {
    const require = createRequire(`${process.cwd()}/`);
    const cjs = require("@upstash/workflow") as { WorkflowContext?: { prototype: Proto } };
    if (cjs.WorkflowContext) protos.add(cjs.WorkflowContext.prototype);
  } catch {
    // only one build is reachable
  }
  return [...protos];
}

function isSdkAbort(reason: unknown): reason is Error & { stepName?: string; stepInfo?: { concurrent?: number } } {
  if (!(reason instanceof Error)) return false;
  return SDK_ABORTS.has(reason.name) || SDK_ABORTS.has(reason.constructor?.name ?? "");
}

/** Installs the wrapper and the net; `stop()` removes both and returns what the net caught. */
export function guardSdkPromises(invocation: () => number | undefined = () => undefined): { stop(): Promise<UnhandledStep[]> } {
  const origins = new WeakMap<Promise<unknown>, Origin>();
  const restorers: Array<() => void> = [];
  for (const proto of contextPrototypes()) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === "constructor") continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (!descriptor || typeof descriptor.value !== "function" || !descriptor.configurable) continue;
      const original = descriptor.value as (...args: unknown[]) => unknown;
      const guarded = {
        [name](this: unknown, ...args: unknown[]): unknown {
          const result = original.apply(this, args);
          if (result instanceof Promise) {
            const limit = Error.stackTraceLimit;
            Error.stackTraceLimit = 20;
            const stack = new Error().stack ?? "";
            Error.stackTraceLimit = limit;
            origins.set(result, { stepName: typeof args[0] === "string" ? args[0] : undefined, stack });
          }
          return result;
        },
      }[name]!;
      Object.defineProperty(proto, name, { ...descriptor, value: guarded });
      restorers.push(() => Object.defineProperty(proto, name, descriptor));
    }
  }

  const caught: UnhandledStep[] = [];
  const setAside = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const net = (reason: unknown, promise: Promise<unknown>): void => {
    if (isSdkAbort(reason)) {
      const origin = origins.get(promise);
      const location = origin ? sdkScopeOf(origin.stack).location : undefined;
      const own = origin?.stepName ?? reason.stepName ?? "";
      caught.push({
        stepName: own,
        // An abort for another step (a sibling branch, the SDK's "discarded parallel") counts as a group's.
        concurrent: reason.stepName !== undefined && reason.stepName !== own ? 2 : (reason.stepInfo?.concurrent ?? 1),
        dryRun: reason.name === "WorkflowAuthError",
        ...(invocation() !== undefined ? { invocation: invocation() } : {}),
        ...(location ? { location } : {}),
      });
      return;
    }
    if (setAside.length === 0) {
      // Node's default: an unhandled rejection is an uncaught exception.
      queueMicrotask(() => {
        throw reason;
      });
      return;
    }
    for (const listener of setAside) (listener as (r: unknown, p: Promise<unknown>) => void)(reason, promise);
  };
  process.on("unhandledRejection", net);

  let stopped: Promise<UnhandledStep[]> | undefined;
  return {
    stop: () => (stopped ??= stop()),
  };
  async function stop(): Promise<UnhandledStep[]> {
    {
      // Rejections are reported after the microtask queue drains: let the last delivery's arrive.
      await yieldToEventLoop();
      process.removeListener("unhandledRejection", net);
      for (const listener of setAside) process.on("unhandledRejection", listener as (...args: unknown[]) => void);
      for (const restore of restorers.reverse()) restore();
      return caught;
    }
  }
}

/**
 * The `unawaited-step` findings of what the net caught: a step that was not one branch of a parallel
 * group (those are awaited through the group's other branches, as `replay()` sees it) and that was
 * not only the auth dry run's (the real run of the same delivery reaches it too). One per step name.
 */
export function unawaitedStepFindings(caught: readonly UnhandledStep[], severity: Severity | "off" | undefined): Finding[] {
  if (severity === "off") return [];
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const step of caught) {
    if (step.dryRun || step.concurrent > 1 || seen.has(step.stepName)) continue;
    seen.add(step.stepName);
    const where = step.location ? ` at ${step.location.file}:${step.location.line}:${step.location.column}` : "";
    findings.push({
      kind: "unawaited-step",
      severity: severity ?? "error",
      message:
        `Step ${JSON.stringify(step.stepName)}${where} was not awaited${step.invocation !== undefined ? ` in delivery ${step.invocation}` : ""}: ` +
        `the SDK executed it and ended the delivery with a WorkflowAbort that nobody handled, while the code after it kept running. ` +
        `Await it, or run independent steps together with await Promise.all([...]).`,
      stepName: step.stepName,
      ...(step.invocation !== undefined ? { invocation: step.invocation } : {}),
      ...(step.location ? { location: step.location } : {}),
      hint: `Every step promise must be awaited (directly or through Promise.all) before the workflow issues another step or returns.`,
    });
  }
  return findings;
}
