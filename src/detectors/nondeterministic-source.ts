import type { ReadSeenEvent } from "../engine/observer.js";
import type { NondeterministicSource } from "../sandbox/globals.js";
import { readByNetworkLayer } from "./caller.js";
import type { DetectorFactory } from "./detector.js";
import { deliveryName, at } from "./describe.js";

const CALL: Record<NondeterministicSource, { call: string; step: string; example: string }> = {
  "Math.random": { call: "Math.random()", step: "pick", example: "Math.random()" },
  "Date.now": { call: "Date.now()", step: "now", example: "Date.now()" },
  "new Date()": { call: "new Date()", step: "now", example: "new Date().toISOString()" },
  "crypto.randomUUID": { call: "crypto.randomUUID()", step: "id", example: "crypto.randomUUID()" },
  "crypto.getRandomValues": {
    call: "crypto.getRandomValues()",
    step: "random-bytes",
    example: "Array.from(crypto.getRandomValues(new Uint8Array(16)))",
  },
  "performance.now": { call: "performance.now()", step: "now", example: "performance.now()" },
};

/**
 * `nondeterministic-source`: Math.random, Date.now / new Date(), crypto.randomUUID /
 * getRandomValues or performance.now read outside a step. The value is not recorded, so every
 * delivery (and the auth dry run before it) sees a different one. Reads inside a step are recorded
 * with the step's result and never reported; reads made by the harness's network layer are ignored.
 */
export const nondeterministicSource: DetectorFactory = (ctx) => ({
  kind: "nondeterministic-source",
  readSeen(event: ReadSeenEvent) {
    if (event.frame.step) return;
    if (readByNetworkLayer()) return;
    const location = event.location();
    const source = CALL[event.source];
    const key = `${event.source}@${location ? `${location.file}:${location.line}:${location.column}` : "?"}`;
    ctx.report(
      {
        message:
          `${source.call} was called outside context.run() in ${deliveryName(event.frame)}${at(location)}: ` +
          `its value is not recorded, so the next delivery sees a different one. ` +
          `Move it into a step: context.run(${JSON.stringify(source.step)}, () => ${source.example}).`,
        invocation: event.frame.invocation,
        ...(location ? { location } : {}),
        hint: `Code outside steps runs again on every delivery (and once more in the auth dry run); only step results are recorded. Read ${source.call} inside a step and use the step's result.`,
      },
      key,
    );
  },
});
