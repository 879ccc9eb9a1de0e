import type { Step } from "@upstash/workflow";
import { decodeBase64 } from "../util/base64.js";
import { formatDuration, formatInstant } from "./time.js";
import { previewJson, truncate } from "./values.js";

/** Text of a wait step's result (`out` is base64 of the event data on the wire). */
function waitData(step: Step): string | undefined {
  if (typeof step.out !== "string") return undefined;
  try {
    return decodeBase64(step.out);
  } catch {
    return step.out;
  }
}

/** A call result (`{ status, body, header }` as JSON) as "200 → <body>". */
function callAnswer(out: unknown, max: number): string {
  try {
    const value = (typeof out === "string" ? JSON.parse(out) : out) as { status?: unknown; body?: unknown };
    if (typeof value === "object" && value !== null && typeof value.status === "number") {
      return `${value.status} → ${previewJson(value.body, max)}`;
    }
  } catch {
    // not JSON: show it raw
  }
  return `→ ${previewJson(out, max)}`;
}

function sleepText(value: number | string): string {
  return typeof value === "number" ? formatDuration(value * 1000) : value;
}

/**
 * What a step a delivery submitted did, in a few words: `ran "charge" → {"ok":true}`,
 * `sleep "cool-down" for 10m`, `wait "approval" for event "order-7" (timeout 1h)`.
 */
export function describeSubmitted(step: Step, max: number): string {
  const name = JSON.stringify(step.stepName);
  switch (step.stepType) {
    case "Initial":
      return `started the run`;
    case "Run":
      return `ran ${name} → ${previewJson(step.out, max)}`;
    case "SleepFor":
      return `sleep ${name} for ${step.sleepFor === undefined ? "?" : sleepText(step.sleepFor)}`;
    case "SleepUntil":
      return `sleep ${name} until ${step.sleepUntil === undefined ? "?" : formatInstant(step.sleepUntil * 1000)}`;
    case "Call": {
      if (step.out !== undefined) return `call ${name} answered ${callAnswer(step.out, max)}`;
      const target = step.callUrl ? ` ${step.callMethod ?? "GET"} ${truncate(step.callUrl, 60)}` : "";
      return `call ${name} dispatched${target}`;
    }
    case "Wait":
      return `wait ${name} for event ${JSON.stringify(step.waitEventId ?? "?")}${step.timeout ? ` (timeout ${step.timeout})` : ""}`;
    case "Notify":
      return `notify ${name}${step.out !== undefined ? ` → ${previewJson(step.out, max)}` : ""}`;
    case "Invoke":
      return step.out !== undefined ? `invoke ${name} returned → ${previewJson(step.out, max)}` : `invoke ${name} started a child run`;
    case "CreateWebhook":
      return `created webhook ${name}${step.out !== undefined ? ` → ${previewJson(step.out, max)}` : ""}`;
    case "WaitForWebhook":
      return `wait ${name} for a webhook request${step.timeout ? ` (timeout ${step.timeout})` : ""}`;
    default:
      return `${String(step.stepType)} ${name}`;
  }
}

/**
 * Why QStash made a step delivery, when it was not just "the previous step finished":
 * a sleep ended, an event arrived, a wait timed out, a call or child run answered.
 */
export function describeWakeUp(delivered: Step, max: number): string | undefined {
  const name = JSON.stringify(delivered.stepName);
  switch (delivered.stepType) {
    case "SleepFor":
    case "SleepUntil":
      return `woke from sleep ${name}`;
    case "Wait":
    case "WaitForWebhook": {
      const w = delivered as Step & { waitTimeout?: boolean };
      if (w.waitTimeout) return `wait ${name} timed out`;
      const data = waitData(delivered);
      return `wait ${name} got ${delivered.stepType === "Wait" ? "its event" : "a request"} → ${previewJson(data, max)}`;
    }
    case "Invoke":
      return delivered.out !== undefined ? `child run of ${name} returned → ${previewJson(delivered.out, max)}` : undefined;
    default:
      return undefined;
  }
}
