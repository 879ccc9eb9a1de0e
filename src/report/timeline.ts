import type { Step } from "@upstash/workflow";
import type { DeliveryRecord, ReplayResult } from "../types.js";
import { describeSubmitted, describeWakeUp } from "./steps.js";
import type { Style } from "./style.js";
import { formatInstant, formatOffset } from "./time.js";
import { truncate } from "./values.js";

export interface TimelineOptions {
  style: Style;
  /** Longest preview of a value, in characters. */
  maxValue: number;
  /** Deliveries shown before the middle of a long run is elided. */
  maxDeliveries: number;
}

function replayedText(names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  if (names.length <= 3) return `replayed ${names.map((n) => JSON.stringify(n)).join(", ")}`;
  return `replayed ${names.length} steps (${JSON.stringify(names[0])} … ${JSON.stringify(names[names.length - 1])})`;
}

/** What one delivery did, as parts joined by " · ". */
function deliveryParts(result: ReplayResult, d: DeliveryRecord, isLast: boolean, o: TimelineOptions): string[] {
  const { style } = o;
  const parts: string[] = [];
  if (d.retried > 0) parts.push(style.yellow(`retry ${d.retried}`));
  // A step delivery's body is the log up to the message it delivers: that message woke the run.
  const delivered: Step | undefined = d.kind === "step" && d.bodySteps > 1 ? result.steps[d.bodySteps - 1] : undefined;
  const wake = delivered ? describeWakeUp(delivered, o.maxValue) : undefined;
  if (wake) parts.push(style.cyan(wake));
  const replayed = replayedText(d.replayed);
  if (replayed) parts.push(style.dim(replayed));

  const plans = d.submitted.filter((s) => s.targetStep !== undefined && s.targetStep > 0 && s.stepId === 0);
  if (plans.length > 0) parts.push(`planned ${plans.length} in parallel: ${plans.map((s) => JSON.stringify(s.stepName)).join(", ")}`);
  for (const step of d.submitted) {
    if (plans.includes(step)) continue;
    parts.push(describeSubmitted(step, o.maxValue));
  }

  if (d.kind === "failure-callback") {
    parts.push(`failureFunction ran${result.failureFunctionResult !== undefined ? ` → ${truncate(JSON.stringify(result.failureFunctionResult) ?? "undefined", o.maxValue)}` : ""}`);
  }
  if (d.status >= 200 && d.status < 300) {
    if (d.outcome !== "success" && d.outcome !== "fromCallback") parts.push(style.dim(d.outcome));
    else if (d.kind === "step" && d.submitted.length === 0) {
      if (isLast && result.status === "completed") parts.push(style.green(`returned → ${truncate(JSON.stringify(result.output) ?? "undefined", o.maxValue)}`));
      else if (isLast && result.status === "cancelled") parts.push(style.yellow("cancelled the run"));
      else {
        const branch = delivered && delivered.concurrent > 1 && delivered.stepId > 0 ? JSON.stringify(delivered.stepName) : undefined;
        parts.push(style.dim(branch ? `result of ${branch} arrived · other parallel branches still running` : "no new step"));
      }
    }
  } else {
    const error = d.error ? `${d.error.name}: ${d.error.message}` : d.outcome;
    parts.push(style.red(`✗ ${d.status} ${truncate(error, o.maxValue + 40)}`));
  }
  return parts;
}

/** The run as one line per delivery: number, virtual time (relative and ISO), kind, what happened. */
export function formatTimeline(result: ReplayResult, o: TimelineOptions): string[] {
  const { style } = o;
  const start = result.history.createdAt;
  const deliveries = result.deliveries;
  const lines: string[] = [];
  lines.push(style.bold(`Timeline`) + style.dim(` · virtual clock, run started ${formatInstant(start)}`));
  if (deliveries.length === 0) {
    lines.push(`  ${style.dim("(no deliveries)")}`);
    return lines;
  }
  const numberWidth = String(deliveries[deliveries.length - 1]!.invocation).length + 1;
  const offsets = deliveries.map((d) => formatOffset(d.at - start));
  const offsetWidth = Math.max(...offsets.map((t) => t.length));
  const kindWidth = deliveries.some((d) => d.kind === "failure-callback") ? 16 : deliveries.some((d) => d.kind === "callback") ? 8 : 4;
  let shown = deliveries.map((_, i) => i);
  let elidedAfter = -1;
  if (deliveries.length > o.maxDeliveries) {
    const head = Math.ceil(o.maxDeliveries / 2);
    const tail = o.maxDeliveries - head;
    shown = [...shown.slice(0, head), ...shown.slice(deliveries.length - tail)];
    elidedAfter = head - 1;
  }
  for (const i of shown) {
    const d = deliveries[i]!;
    const number = `#${d.invocation}`.padStart(numberWidth);
    const time = offsets[i]!.padEnd(offsetWidth);
    const kind = d.kind.padEnd(kindWidth);
    const parts = deliveryParts(result, d, i === deliveries.length - 1, o);
    lines.push(`  ${style.bold(number)}  ${time}  ${style.dim(formatInstant(d.at))}  ${style.dim(kind)}  ${parts.join(style.dim(" · "))}`);
    if (i === elidedAfter) lines.push(`  ${style.dim(`… ${deliveries.length - o.maxDeliveries} deliveries not shown (maxDeliveries: ${o.maxDeliveries}) …`)}`);
  }
  return lines;
}
