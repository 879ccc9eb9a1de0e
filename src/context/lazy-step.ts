import { WorkflowError, type Step, type StepType } from "@upstash/workflow";
import type { StepInputs } from "../engine/observer.js";
import type { QStashPort } from "./io.js";
import { parseRecorded } from "./parse-cache.js";

export { tryParsing } from "./parse-cache.js";

/** What a step needs from the delivery that executes it. */
export interface StepRuntime {
  port: QStashPort;
  /** Runs a step function the way the SDK's `wrapStep` does, inside the step's scope. */
  runStepFunction<T>(name: string, stepId: number, fn: () => T | Promise<T>): T | Promise<T>;
  workflowRunId: string;
  url: string;
  /** The harness's PRNG for ids the SDK draws at random (webhook event ids). */
  randomId(length: number): string;
}

/**
 * One step method call, before it is matched against history or executed. Mirrors the SDK's
 * `BaseLazyStep`: name validation, plan step, execution, and parsing of the recorded `out`.
 */
export abstract class LazyStep<TResult = unknown> {
  abstract readonly stepType: StepType;
  protected abstract readonly allowUndefinedOut: boolean;
  readonly stepName: string;
  /** Run steps: the value the function returned in this delivery, before the JSON round trip (for the detectors). */
  declare readonly rawResult?: unknown;

  constructor(stepName: string) {
    if (!stepName) {
      throw new WorkflowError(
        "A workflow step name cannot be undefined or an empty string. Please provide a name for your workflow step.",
      );
    }
    if (typeof stepName !== "string") {
      throw new WorkflowError(
        `A workflow step name must be a string. Received "${String(stepName)}" (${typeof stepName}).`,
      );
    }
    this.stepName = stepName;
  }

  /** Inputs that must not change between deliveries (compared by the nondeterminism detector). */
  inputs(): StepInputs {
    return {};
  }

  /** Extra fields of the plan step (sleep / wait details). */
  protected planFields(): Partial<Step> {
    return {};
  }

  planStep(concurrent: number, targetStep: number): Step {
    return {
      stepId: 0,
      stepName: this.stepName,
      stepType: this.stepType,
      ...this.planFields(),
      concurrent,
      targetStep,
    } as Step;
  }

  /** Delay / not-before of the plan message (a sleep in a parallel group waits before its branch runs). */
  planDelay(): { delay?: number | string; notBefore?: number } {
    return {};
  }

  /** Executes the step and submits its result; returns the recorded result step. */
  abstract execute(runtime: StepRuntime, concurrent: number, stepId: number): Promise<Step>;

  /** `parseOut`: the value user code sees for a recorded step. */
  parseOut(step: Step): TResult {
    const out = step.out;
    if (out === undefined) {
      if (this.allowUndefinedOut) return this.handleUndefinedOut(step);
      throw new WorkflowError(
        `Error while parsing output of ${this.stepType} step. Expected a string, but got: undefined`,
      );
    }
    if (typeof out === "object") {
      console.warn(
        `Error while parsing ${this.stepType} step output. Expected a string, but got object. Please reach out to Upstash Support.`,
      );
      return out as TResult;
    }
    if (typeof out !== "string") {
      throw new WorkflowError(
        `Error while parsing output of ${this.stepType} step. Expected a string or undefined, but got: ${typeof out}`,
      );
    }
    return this.safeParseOut(out, step);
  }

  protected safeParseOut(out: string, step: Step): TResult {
    return parseRecorded(out, step) as TResult;
  }

  protected handleUndefinedOut(_step: Step): TResult {
    return undefined as TResult;
  }
}

/** The result step as it reaches the next delivery: `out` JSON-encoded, `undefined` fields dropped. */
export function resultStep(fields: Record<string, unknown>): Step {
  const step: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value !== undefined) step[key] = value;
  }
  return step as unknown as Step;
}

/** The SDK's `attachStepNameToError`: remembers which step function threw (`Upstash-Error-Step-Name`). */
export function attachStepName(error: unknown, stepName: string): void {
  if (typeof error !== "object" || error === null) return;
  if ("errorStepName" in error) return;
  if (!Object.isExtensible(error)) return;
  try {
    (error as { errorStepName?: string }).errorStepName = stepName;
  } catch {
    // frozen or exotic error objects keep their shape
  }
}

/** The step name attached by {@link attachStepName}, if any. */
export function stepNameOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null) {
    const name = (error as { errorStepName?: unknown }).errorStepName;
    return typeof name === "string" ? name : undefined;
  }
  return undefined;
}
