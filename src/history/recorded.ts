import type { Step, StepType } from "@upstash/workflow";
import type { RecordedHistory } from "../types.js";

/** Step inputs a history records (only these can be compared with today's code). */
export const RECORDED_INPUTS = ["sleepFor", "sleepUntil", "waitEventId", "timeout"] as const;

/** One position (the SDK's stepId) of a recorded run, with what the history holds for it. */
export interface RecordedPosition {
  position: number;
  name: string;
  type: StepType;
  /** The recorded inputs (sleep duration, wait event id, timeout) found on its result or plan step. */
  inputs: Record<string, unknown>;
  /** Parallel group it belongs to (width 1: sequential). */
  group: { start: number; width: number };
  /** The recorded result step; absent while the step is pending (a wait not yet resolved, a branch not yet run). */
  result?: Step;
  plan?: Step;
  /** Submitted but not yet appended by QStash (`history.pending`). */
  pending: boolean;
}

function inputsOf(...steps: Array<Step | undefined>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const step of steps) {
    if (!step) continue;
    const record = step as unknown as Record<string, unknown>;
    for (const key of RECORDED_INPUTS) {
      if (record[key] !== undefined && inputs[key] === undefined) inputs[key] = record[key];
    }
  }
  return inputs;
}

/**
 * The recorded positions of a history, in stepId order: result steps by stepId and plan steps by
 * targetStep (first wins, like the SDK's de-duplication), parallel groups from `concurrent`, and
 * the pending steps QStash has not appended yet.
 */
export function recordedPositions(history: RecordedHistory): RecordedPosition[] {
  const results = new Map<number, Step>();
  const plans = new Map<number, Step>();
  const pending = new Map<number, Step>();
  for (const step of history.steps) {
    if (step.stepType === "Initial") continue;
    if (step.targetStep) {
      if (!plans.has(step.targetStep)) plans.set(step.targetStep, step);
    } else if (step.stepId > 0 && !results.has(step.stepId)) {
      results.set(step.stepId, step);
    }
  }
  for (const step of history.pending ?? []) {
    const id = step.targetStep || step.stepId;
    if (id > 0 && !results.has(id)) pending.set(id, step);
  }
  const ids = [...new Set([...results.keys(), ...plans.keys(), ...pending.keys()])].sort((a, b) => a - b);
  const out: RecordedPosition[] = [];
  let group: { start: number; width: number } | undefined;
  for (const id of ids) {
    const result = results.get(id);
    const plan = plans.get(id);
    const waiting = pending.get(id);
    const base = (plan ?? result ?? waiting)!;
    const width = Math.max(1, plan?.concurrent ?? result?.concurrent ?? waiting?.concurrent ?? 1);
    if (!group || id >= group.start + group.width || group.width !== width) group = { start: id, width };
    out.push({
      position: id,
      name: base.stepName,
      type: base.stepType,
      inputs: inputsOf(result, plan, waiting),
      group: width === 1 ? { start: id, width: 1 } : group,
      ...(result ? { result } : {}),
      ...(plan ? { plan } : {}),
      pending: !result && waiting !== undefined,
    });
  }
  return out;
}
