import type { ReplayResult } from "../types.js";
import { countFindings, formatFinding } from "./findings.js";
import { createStyle, defaultColor, type Style } from "./style.js";
import { formatDuration } from "./time.js";
import { formatTimeline } from "./timeline.js";
import { formatUsage } from "./usage.js";
import { truncate } from "./values.js";

/**
 * Options of {@link formatReport}.
 *
 * @example
 * ```ts
 * formatReport(result, { color: false, timeline: false, width: 0 }); // plain, findings only, no wrapping
 * ```
 */
export interface ReportOptions {
  /**
   * ANSI colours. Default: on when stdout is a terminal (or vitest says it runs on one), off when
   * `NO_COLOR` is set, on when `FORCE_COLOR` is. Pass `false` for stable text (snapshots, files).
   */
  color?: boolean;
  /** Print the delivery-by-delivery timeline. Default true. */
  timeline?: boolean;
  /** Longest preview of a step result or output, in characters. Default 80. */
  maxValueLength?: number;
  /** Deliveries shown before the middle of a long run is elided. Default 60. */
  maxDeliveries?: number;
  /** Show the source line under each finding's location when the file is readable. Default true. */
  codeFrame?: boolean;
  /** Directory locations are printed relative to. Default `process.cwd()`. */
  cwd?: string;
  /** Wrap finding messages and hints at this many columns; 0 never wraps. Default 100. */
  width?: number;
  /** A line printed above the report (the matchers use it to say what was expected). */
  title?: string;
  /** Print the "Usage" block (billed steps, cost, durations). Default: when the run had a `host` or `plan`. */
  usage?: boolean;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function statusLine(result: ReplayResult, style: Style, max: number): string {
  switch (result.status) {
    case "completed":
      return style.green(`✓ completed`) + ` → ${truncate(JSON.stringify(result.output) ?? "undefined", max)}`;
    case "failed": {
      const e = result.error;
      const why = e ? `${e.status} ${e.name}: ${e.message}${e.stepName ? ` (in step ${JSON.stringify(e.stepName)})` : ""}` : "no error recorded";
      return style.red(`✗ failed`) + ` · ${why}`;
    }
    case "cancelled":
      return style.yellow(`⊘ cancelled`) + " by context.cancel()";
    case "waiting":
      return style.yellow(`… waiting`) + " · the run had not ended when the simulation stopped (see the `until` option)";
    default: {
      const unknown: never = result.status;
      return String(unknown);
    }
  }
}

/**
 * Formats a replay result for people: a headline, the run as a timeline (delivery by delivery,
 * on the virtual clock), the final status, then every finding with its source location, code
 * excerpt, expected/received values and numbered hints, and the seed that reproduces the run.
 * Used by `assertReplay`, the vitest matchers and `npm run demo`.
 *
 * @example
 * ```ts
 * import { formatReport, replay } from "workflow-replay";
 *
 * const result = await replay(route, { payload: { orderId: 7 } });
 * console.log(formatReport(result));                    // coloured on a terminal
 * const text = formatReport(result, { color: false });  // plain, stable text
 * ```
 */
export function formatReport(result: ReplayResult, options: ReportOptions = {}): string {
  const style = createStyle(options.color ?? defaultColor());
  const maxValue = options.maxValueLength ?? 80;
  const lines: string[] = [];
  if (options.title) lines.push(options.title, "");

  const errors = result.findings.filter((f) => f.severity === "error").length;
  const ok = errors === 0 && (result.status === "completed" || result.status === "cancelled");
  const duration = formatDuration(Math.max(0, result.endedAt - result.history.createdAt));
  const headline = `workflow-replay · run ${result.workflowRunId} · ${result.status} · ${countFindings(result.findings)}`;
  lines.push(`${ok ? style.green("✓") : style.red("✗")} ${style.bold(headline)}`);
  lines.push(
    style.dim(
      `  ${plural(result.invocations, "delivery", "deliveries")} · ${plural(result.steps.filter((s) => s.stepId > 0).length, "step")} recorded · ${duration} of virtual time · seed ${JSON.stringify(result.seed)}`,
    ),
  );
  lines.push("");

  if (options.timeline !== false) {
    lines.push(...formatTimeline(result, { style, maxValue, maxDeliveries: options.maxDeliveries ?? 60 }));
    lines.push("");
  }
  lines.push(`${style.bold("Result")}  ${statusLine(result, style, maxValue)}`);
  if (options.usage ?? (result.usage?.host !== undefined || result.usage?.plan !== undefined)) {
    if (result.usage) lines.push(...formatUsage(result, style));
  }
  const children = Object.entries(result.children ?? {});
  if (children.length > 0) {
    lines.push(style.bold(`Child runs (context.invoke)`));
    for (const [id, child] of children) {
      const run = { ...child, children: {} } as ReplayResult;
      lines.push(`  ${id} · ${plural(child.invocations, "delivery", "deliveries")} · ${statusLine(run, style, maxValue)}`);
    }
  }

  if (result.findings.length > 0) {
    lines.push("", style.bold(`Findings (${countFindings(result.findings)})`));
    result.findings.forEach((finding, i) => {
      lines.push("", ...formatFinding(finding, i + 1, { style, cwd: options.cwd ?? process.cwd(), codeFrame: options.codeFrame !== false, width: options.width ?? 100 }));
    });
  }
  lines.push("", style.dim(`Reproduce: replay(route, { ...sameOptions, seed: ${JSON.stringify(result.seed)} })`));
  return lines.join("\n");
}
