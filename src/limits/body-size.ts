import type { Step } from "@upstash/workflow";
import type { EndpointDelivery } from "../engine/wire-types.js";

const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);
const utf8Length = (text: string) => Buffer.byteLength(text, "utf8");
/** `{"messageId":"msg_…","body":"","callType":"step"}` around each entry, and the comma between entries. */
const ENTRY_OVERHEAD = utf8Length(JSON.stringify({ messageId: "msg_0000000000000000", body: "", callType: "step" })) + 1;

/**
 * The size in bytes of the request body QStash sends for a delivery: a step delivery carries every
 * recorded step (`RawStep[]`, each step's JSON in base64), so it grows with the run. Each step's share
 * is computed once.
 */
export class BodySizer {
  private readonly sizes = new WeakMap<Step, number>();

  bytes(delivery: EndpointDelivery): number {
    if (delivery.kind !== "step") {
      const payload = delivery.callback ?? delivery.failure;
      return payload ? utf8Length(JSON.stringify(payload)) : 0;
    }
    let total = 1; // the brackets, less the missing trailing comma
    delivery.steps.forEach((step, i) => {
      let size = this.sizes.get(step);
      if (size === undefined) {
        const text = i === 0 ? (typeof step.out === "string" ? step.out : "") : JSON.stringify(step);
        size = base64Length(utf8Length(text)) + ENTRY_OVERHEAD;
        this.sizes.set(step, size);
      }
      total += size;
    });
    return total;
  }
}
