import { WorkflowError, type Step } from "@upstash/workflow";
import { isInstanceOf } from "../errors.js";
import type { LazyStep } from "./lazy-step.js";

/** The SDK's `validateStep`: name first, then type. */
export function validateStep(lazy: { stepName: string; stepType: string }, step: Step): void {
  if (lazy.stepName !== step.stepName) {
    throw new WorkflowError(
      `Incompatible step name. Expected '${lazy.stepName}', got '${step.stepName}' from the request`,
    );
  }
  if (lazy.stepType !== step.stepType) {
    throw new WorkflowError(
      `Incompatible step type. Expected '${lazy.stepType}', got '${step.stepType}' from the request`,
    );
  }
}

/** The SDK's `validateParallelSteps`: every step of a group, with both lists in the message. */
export function validateParallelSteps(lazySteps: LazyStep[], steps: Step[]): void {
  try {
    steps.forEach((step, i) => validateStep(lazySteps[i]!, step));
  } catch (error) {
    if (isInstanceOf(error, WorkflowError)) {
      throw new WorkflowError(
        `Incompatible steps detected in parallel execution: ${(error as Error).message}\n` +
          `  > Step Names from the request: ${JSON.stringify(steps.map((s) => s.stepName))}\n` +
          `    Step Types from the request: ${JSON.stringify(steps.map((s) => s.stepType))}\n` +
          `  > Step Names expected: ${JSON.stringify(lazySteps.map((s) => s.stepName))}\n` +
          `    Step Types expected: ${JSON.stringify(lazySteps.map((s) => s.stepType))}`,
      );
    }
    throw error;
  }
}
