import type { CallSubmission } from "../context/io.js";
import type { CallbackPayload, FailurePayload } from "./wire-types.js";

/** A message QStash holds for later: a delivery, a call to perform, a wait's deadline or an event. */
export type Message =
  | { type: "step"; runId: string; logIndex: number; retried: number }
  | { type: "call"; runId: string; call: CallSubmission; attempt: number; messageId: string }
  | { type: "callback"; runId: string; payload: CallbackPayload; retried: number; messageId: string }
  | { type: "failure"; runId: string; payload: FailurePayload; messageId: string }
  | { type: "wait-timeout"; runId: string; waiterId: number }
  | { type: "event"; eventId: string; data: unknown; runId: string };

interface QueuedMessage {
  at: number;
  seq: number;
  message: Message;
}

/**
 * QStash's queue on the virtual clock: earliest time first, then publish order. Among deliveries
 * ready at the same instant, `choose` (the fault plan's order) may pick another one.
 */
export class MessageQueue {
  private readonly items: QueuedMessage[] = [];
  private seq = 0;

  push(at: number, message: Message): void {
    this.items.push({ at, seq: this.seq++, message });
  }

  /** The time of the earliest message, if any. */
  peekTime(): number | undefined {
    let min: number | undefined;
    for (const q of this.items) if (min === undefined || q.at < min) min = q.at;
    return min;
  }

  /**
   * Removes and returns the next message. `choose(count)` is asked when more than one step or
   * callback delivery is ready at the earliest time; it returns an index into them (publish order).
   */
  take(choose?: (count: number) => number | undefined): { at: number; message: Message } | undefined {
    if (this.items.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.items.length; i++) {
      const a = this.items[i]!;
      const b = this.items[best]!;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    if (choose) {
      const at = this.items[best]!.at;
      const ready = this.items
        .map((q, i) => ({ q, i }))
        .filter(({ q }) => q.at === at && (q.message.type === "step" || q.message.type === "callback"))
        .sort((x, y) => x.q.seq - y.q.seq);
      if (ready.length > 1) {
        const pick = choose(ready.length);
        if (pick !== undefined) best = ready[pick]!.i;
      }
    }
    return this.items.splice(best, 1)[0];
  }

  /** Drops every message the predicate matches. */
  drop(matches: (message: Message) => boolean): void {
    for (let i = this.items.length - 1; i >= 0; i--) if (matches(this.items[i]!.message)) this.items.splice(i, 1);
  }
}
