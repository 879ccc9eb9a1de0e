import type { Step, StepType } from "@upstash/workflow";
import { attachStepName, LazyStep, resultStep, type StepRuntime } from "../lazy-step.js";

/** `context.run`: executes the function, records `JSON.stringify(result)`. */
export class RunStep<T> extends LazyStep<T> {
  readonly stepType: StepType = "Run";
  protected readonly allowUndefinedOut = true;
  /** The raw value the function returned in this delivery (before the JSON round trip). */
  override rawResult: unknown = undefined;

  constructor(
    stepName: string,
    /** The step function (read by the straight-through pass, which runs it again). */
    readonly fn: () => T | Promise<T>,
  ) {
    super(stepName);
  }

  async execute(runtime: StepRuntime, concurrent: number, stepId: number): Promise<Step> {
    let result: unknown;
    try {
      result = runtime.runStepFunction(this.stepName, stepId, this.fn);
      if (result instanceof Promise) result = await result;
    } catch (error) {
      attachStepName(error, this.stepName);
      throw error;
    }
    this.rawResult = result;
    const step = resultStep({
      stepId,
      stepName: this.stepName,
      stepType: this.stepType,
      out: JSON.stringify(result),
      concurrent,
    });
    runtime.port.submitStep(step);
    return step;
  }
}
