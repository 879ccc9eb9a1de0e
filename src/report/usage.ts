import type { ReplayResult } from "../types.js";
import type { Style } from "./style.js";
import { formatDuration } from "./time.js";

const bytes = (n: number) => (n < 1000 ? `${n} B` : n < 1_000_000 ? `${(n / 1000).toFixed(1)} kB` : `${(n / 1_000_000).toFixed(1)} MB`);
const usd = (n: number) => `$${n < 0.01 ? n.toFixed(6).replace(/0+$/, "").replace(/\.$/, ".0") : n.toFixed(2)}`;

/**
 * The report's "Usage" block: billed steps and cost, the longest delivery against the host's limit,
 * function time and the largest body. Shown when the run had a `host` or `plan` (or when asked for).
 */
export function formatUsage(result: ReplayResult, style: Style): string[] {
  const u = result.usage;
  const price = u.plan ? ` on ${u.plan}` : " at pay-as-you-go prices";
  const limit = u.host ? ` (limit ${formatDuration(u.hostLimitMs ?? 0)} on ${u.host})` : "";
  return [
    `${style.bold("Usage")}   ${u.billedSteps} billed step${u.billedSteps === 1 ? "" : "s"} · ${usd(u.costUsd)}${price}`,
    style.dim(
      `        longest delivery ${formatDuration(u.longestDeliveryMs)}${limit} · function time ${formatDuration(u.computeMs)} · largest body ${bytes(u.largestBodyBytes)}`,
    ),
  ];
}
