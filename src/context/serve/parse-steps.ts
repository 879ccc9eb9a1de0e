import type { Step } from "@upstash/workflow";

/** The SDK's `checkIfLastOneIsDuplicate`: the delivered message repeats a step already in the history. */
export function lastIsDuplicate(steps: Step[]): boolean {
  if (steps.length < 2) return false;
  const last = steps[steps.length - 1]!;
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i]!;
    if (step.stepId === last.stepId && step.targetStep === last.targetStep) {
      console.warn(
        `Upstash Workflow: The step '${step.stepName}' with id '${step.stepId}'  has run twice during workflow execution. Rest of the workflow will continue running as usual.`,
      );
      return true;
    }
  }
  return false;
}

/** The SDK's `deduplicateSteps`: plan steps by targetStep, result steps by stepId, first wins. */
export function deduplicate(steps: Step[]): Step[] {
  // Fast path, linear in integer compares: result ids and plan targets each strictly increasing (every
  // sequential history) cannot repeat. Parallel results arrive in completion order and take the sets.
  let lastId = 0;
  let lastTarget = -1;
  let ordered = true;
  for (const step of steps) {
    if (step.stepId === 0) {
      const t = step.targetStep ?? 0;
      if (t <= lastTarget) {
        ordered = false;
        break;
      }
      lastTarget = t;
    } else if (step.stepId > lastId) {
      lastId = step.stepId;
    } else {
      ordered = false;
      break;
    }
  }
  if (ordered) return steps;
  const targets = new Set<number>();
  const ids = new Set<number>();
  let duplicates = false;
  for (const step of steps) {
    if (step.stepId === 0) {
      const t = step.targetStep ?? 0;
      if (targets.has(t)) duplicates = true;
      targets.add(t);
    } else {
      if (ids.has(step.stepId)) duplicates = true;
      ids.add(step.stepId);
    }
  }
  if (!duplicates) return steps;
  targets.clear();
  ids.clear();
  return steps.filter((step) => {
    if (step.stepId === 0) {
      const t = step.targetStep ?? 0;
      if (targets.has(t)) return false;
      targets.add(t);
      return true;
    }
    if (ids.has(step.stepId)) return false;
    ids.add(step.stepId);
    return true;
  });
}
