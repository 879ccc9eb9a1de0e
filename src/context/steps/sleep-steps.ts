import type { Duration, Step, StepType } from "@upstash/workflow";
import type { StepInputs } from "../../engine/observer.js";
import { LazyStep, resultStep, type StepRuntime } from "../lazy-step.js";

/**
 * The `Upstash-Delay` the QStash client sends for a sleep: a duration string as given, a number of
 * seconds as `${n.toFixed(0)}s` — so `sleep("s", 1.5)` waits 2 s, as in production.
 */
function publishedDelay(sleep: number | Duration): number | Duration {
  return typeof sleep === "number" ? (`${sleep.toFixed(0)}s` as Duration) : sleep;
}

/** `context.sleep`: recorded as `SleepFor`, published with a delay. */
export class SleepStep extends LazyStep<void> {
  readonly stepType: StepType = "SleepFor";
  protected readonly allowUndefinedOut = true;

  constructor(
    stepName: string,
    readonly sleep: number | Duration,
  ) {
    super(stepName);
  }

  override inputs(): StepInputs {
    return { sleepFor: this.sleep };
  }

  protected override planFields(): Partial<Step> {
    return { sleepFor: this.sleep };
  }

  override planDelay() {
    return { delay: publishedDelay(this.sleep) };
  }

  async execute(runtime: StepRuntime, concurrent: number, stepId: number): Promise<Step> {
    const step = resultStep({ stepId, stepName: this.stepName, stepType: this.stepType, sleepFor: this.sleep, concurrent });
    runtime.port.submitStep(step, concurrent === 1 ? { delay: publishedDelay(this.sleep) } : {});
    return step;
  }
}

/** `context.sleepUntil`: recorded as `SleepUntil` (unix seconds), published with not-before. */
export class SleepUntilStep extends LazyStep<void> {
  readonly stepType: StepType = "SleepUntil";
  protected readonly allowUndefinedOut = true;

  constructor(
    stepName: string,
    readonly sleepUntil: number,
  ) {
    super(stepName);
  }

  override inputs(): StepInputs {
    return { sleepUntil: this.sleepUntil };
  }

  protected override planFields(): Partial<Step> {
    return { sleepUntil: this.sleepUntil };
  }

  override planDelay() {
    return { notBefore: this.sleepUntil };
  }

  protected override safeParseOut(): void {
    return undefined;
  }

  async execute(runtime: StepRuntime, concurrent: number, stepId: number): Promise<Step> {
    const step = resultStep({
      stepId,
      stepName: this.stepName,
      stepType: this.stepType,
      sleepUntil: this.sleepUntil,
      concurrent,
    });
    runtime.port.submitStep(step, concurrent === 1 ? { notBefore: this.sleepUntil } : {});
    return step;
  }
}
