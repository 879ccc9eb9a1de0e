import type { Step } from "@upstash/workflow";
import type { DeliveryRecord } from "../types.js";

const PENDING_TYPES: ReadonlySet<string> = new Set(["Wait", "WaitForWebhook", "Call", "Invoke"]);

/**
 * Steps a run submitted that QStash has not appended to its log yet: waits still registered,
 * calls and invokes whose result has not come back. Taken from what each delivery submitted.
 */
export function pendingSteps(log: readonly Step[], deliveries: readonly DeliveryRecord[]): Step[] {
  const recorded = new Set<number>();
  for (const step of log) if (step.stepId > 0 && !step.targetStep) recorded.add(step.stepId);
  const pending = new Map<number, Step>();
  for (const delivery of deliveries) {
    if (delivery.status < 200 || delivery.status >= 300) continue;
    for (const step of delivery.submitted) {
      if (!PENDING_TYPES.has(step.stepType) || step.targetStep) continue;
      if (step.stepId > 0 && !recorded.has(step.stepId) && !pending.has(step.stepId)) pending.set(step.stepId, { ...step });
    }
  }
  return [...pending.values()];
}
