import type { Step } from "@upstash/workflow";
import type { EndpointDelivery } from "../engine/wire-types.js";

const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);
const utf8Length = (text: string) => Buffer.byteLength(text, "utf8");
/** `{"messageId":"msg_…","body":"","callType":"step"}` around each entry, and the comma between entries. */
const ENTRY_OVERHEAD = utf8Length(JSON.stringify({ messageId: "msg_0000000000000000", body: "", callType: "step" })) + 1;

/**
 * The size in bytes of the request body QStash sends for a delivery: a step delivery carries every
 * recorded step (`RawStep[]`, each step's JSON in base64), so it grows with the run. Each step's share
 * is computed once. A run's step deliveries carry growing prefixes of its log, so the running totals
 * of the previous delivery's steps are reused for the prefix it shares (pointer compares, where a
 * size lookup per step made the 1,000-step run quadratic in map lookups).
 */
export class BodySizer {
  private readonly sizes = new WeakMap<Step, number>();
  /** The previous step delivery's steps (a private copy) and the running total after each. */
  private lastSteps: Step[] = [];
  private readonly lastTotals: number[] = [];

  bytes(delivery: EndpointDelivery): number {
    if (delivery.kind !== "step") {
      const payload = delivery.callback ?? delivery.failure;
      return payload ? utf8Length(JSON.stringify(payload)) : 0;
    }
    const steps = delivery.steps;
    const previous = this.lastSteps;
    const totals = this.lastTotals;
    const shared = Math.min(steps.length, previous.length);
    let i = 0;
    while (i < shared && steps[i] === previous[i]) i++;
    totals.length = i;
    let total = i > 0 ? totals[i - 1]! : 1; // the brackets, less the missing trailing comma
    for (; i < steps.length; i++) {
      total += this.size(steps[i]!, i);
      totals.push(total);
    }
    this.lastSteps = steps.slice();
    return total;
  }

  private size(step: Step, i: number): number {
    let size = this.sizes.get(step);
    if (size === undefined) {
      const text = i === 0 ? (typeof step.out === "string" ? step.out : "") : JSON.stringify(step);
      size = base64Length(utf8Length(text)) + ENTRY_OVERHEAD;
      this.sizes.set(step, size);
    }
    return size;
  }
}
