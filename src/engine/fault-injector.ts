import type { Step } from "@upstash/workflow";
import type { FaultPlan } from "../types.js";
import type { EndpointResponse } from "./wire-types.js";

/**
 * Applies a {@link FaultPlan} to one simulation. The plan is read, never written: what is used up
 * (a duplicate delivered once, a step's failure budget, the next order choice) is this object's state.
 */
export class FaultInjector {
  private readonly duplicateDeliveries: Set<number> | undefined;
  private readonly duplicateSteps: Set<number> | undefined;
  private readonly failedAttempts = new Map<string, number>();
  /** How many choices between ready deliveries `order` has made. */
  private orderChoices = 0;

  constructor(private readonly plan: FaultPlan | undefined) {
    this.duplicateDeliveries = plan?.duplicateDeliveries ? new Set(plan.duplicateDeliveries) : undefined;
    this.duplicateSteps = plan?.duplicateSteps?.length ? new Set(plan.duplicateSteps) : undefined;
  }

  /** The queue's chooser between deliveries ready at the same time, when the plan orders them. */
  get chooser(): ((count: number) => number) | undefined {
    const order = this.plan?.order;
    if (!order || order.length === 0) return undefined;
    // one entry per choice point, in order; past the end, publish order
    return (count) => (order[this.orderChoices++] ?? 0) % count;
  }

  /**
   * Whether a first (not retried) step delivery is delivered once more: by its invocation number
   * or by the step it executed. A duplicate is delivered once more, not duplicated again.
   */
  takeDuplicate(invocation: number, executedStepId: number | undefined): boolean {
    const byStep = executedStepId !== undefined && this.duplicateSteps !== undefined && this.duplicateSteps.has(executedStepId);
    if (!byStep && !this.duplicateDeliveries?.has(invocation)) return false;
    this.duplicateDeliveries?.delete(invocation);
    if (byStep) this.duplicateSteps!.delete(executedStepId);
    return true;
  }

  /** Whether step deliveries of this plan can be duplicated by the step they executed. */
  get duplicatesBySteps(): boolean {
    return this.duplicateSteps !== undefined;
  }

  /**
   * Crash-after-effect and step-failure faults: the 500 that replaces a successful delivery which
   * executed `executed` in run `runId`, or undefined when the plan leaves this attempt alone.
   */
  crash(runId: string, executed: Step, response: EndpointResponse): EndpointResponse | undefined {
    const plan = this.plan;
    if (!plan) return undefined;
    const key = `${runId}:${executed.stepId}`;
    const spec = plan.failSteps?.find((f) => f.stepId === executed.stepId);
    const crash = plan.crashAfterStep?.includes(executed.stepId);
    const failedSoFar = this.failedAttempts.get(key) ?? 0;
    const budget = spec ? spec.attempts : crash ? 1 : 0;
    if (failedSoFar >= budget) return undefined;
    this.failedAttempts.set(key, failedSoFar + 1);
    return {
      status: 500,
      error: {
        name: "InjectedFault",
        message: `[workflow-replay] Injected fault: the delivery crashed after step ${executed.stepId} ('${executed.stepName}') ran, before its result was recorded.`,
      },
      stepName: executed.stepName,
      replayed: response.replayed,
    };
  }

  get active(): boolean {
    return this.plan !== undefined;
  }
}
