import type { Finding } from "../types.js";
import { codeFrame } from "./code-frame.js";
import { diffLines, trimDiff } from "./diff.js";
import type { Style } from "./style.js";
import { stringify, wrap } from "./values.js";

export interface FindingsOptions {
  style: Style;
  cwd: string;
  /** Show the source line under each location. */
  codeFrame: boolean;
  /** Wrap messages and hints at this many columns (0: never). */
  width: number;
}

/** `file:line:column`, relative to `cwd` when inside it. */
export function relativeLocation(location: NonNullable<Finding["location"]>, cwd: string): string {
  const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
  const file = location.file.startsWith(prefix) ? location.file.slice(prefix.length) : location.file;
  return `${file}:${location.line}:${location.column}`;
}

/** A value for the expected/received block: pretty JSON, at most 12 lines. */
function block(value: unknown, indent: string): string {
  const lines = stringify(value, 2).split("\n");
  const kept = lines.length > 12 ? [...lines.slice(0, 11), `… ${lines.length - 11} more lines`] : lines;
  return kept.map((line, i) => (i === 0 ? line : `${indent}${line}`)).join("\n");
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

/**
 * Expected against received: two lines for scalars; for objects and arrays a line diff of their
 * pretty JSON (`-` expected, `+` received), unchanged runs beyond two lines of context elided.
 */
function expectedReceived(finding: Finding, pad: string, style: Style): string[] {
  if (!isObject(finding.expected) || !isObject(finding.received)) {
    return [
      `${pad}${style.green(`Expected: ${block(finding.expected, `${pad}          `)}`)}`,
      `${pad}${style.red(`Received: ${block(finding.received, `${pad}          `)}`)}`,
    ];
  }
  const expected = stringify(finding.expected, 2).split("\n").slice(0, 200);
  const received = stringify(finding.received, 2).split("\n").slice(0, 200);
  const out = [`${pad}${style.green("- Expected")}  ${style.red("+ Received")}`];
  for (const line of trimDiff(diffLines(expected, received), 2)) {
    if (line === "…") out.push(`${pad}  ${style.dim("…")}`);
    else if (line.op === "-") out.push(`${pad}${style.green(`- ${line.text}`)}`);
    else if (line.op === "+") out.push(`${pad}${style.red(`+ ${line.text}`)}`);
    else out.push(`${pad}  ${style.dim(line.text)}`);
  }
  return out;
}

function where(finding: Finding): string {
  const parts: string[] = [];
  if (finding.stepName !== undefined) parts.push(`step ${JSON.stringify(finding.stepName)}${finding.stepId !== undefined ? ` (id ${finding.stepId})` : ""}`);
  else if (finding.stepId !== undefined) parts.push(`step id ${finding.stepId}`);
  if (finding.invocation !== undefined) parts.push(`delivery #${finding.invocation}`);
  return parts.join(" · ");
}

/** One finding in the house layout: headline, message, location with code, expected/received, numbered hints. */
export function formatFinding(finding: Finding, index: number, o: FindingsOptions): string[] {
  const { style } = o;
  const paint = finding.severity === "error" ? style.red : style.yellow;
  const mark = finding.severity === "error" ? "✗" : "⚠";
  const pad = "     ";
  const lines: string[] = [];
  const scope = where(finding);
  lines.push(`  ${paint(`${mark} ${index}. ${finding.kind}`)} ${style.dim(`(${finding.severity})`)}${scope ? style.dim(` · ${scope}`) : ""}`);
  for (const line of wrap(finding.message, o.width - pad.length)) lines.push(`${pad}${line}`);
  if (finding.location) {
    lines.push(`${pad}${style.dim("at")} ${style.cyan(relativeLocation(finding.location, o.cwd))}`);
    if (o.codeFrame) lines.push(...codeFrame(finding.location, style, `${pad}  `));
  }
  if (finding.expected !== undefined || finding.received !== undefined) lines.push(...expectedReceived(finding, pad, style));
  const hints = (finding.hint ?? "")
    .split(/\n+/)
    .map((h) => h.trim())
    .filter(Boolean);
  hints.push(`If it is intended: replay(route, { checks: { ${JSON.stringify(finding.kind)}: "off" } }), or assertReplay(result, { allow: [${JSON.stringify(finding.kind)}] }).`);
  lines.push(`${pad}${style.bold("Hints:")}`);
  hints.forEach((hint, i) => {
    const [first = "", ...rest] = wrap(hint, o.width - pad.length - 5);
    lines.push(`${pad}  ${i + 1}. ${first}`, ...rest.map((line) => `${pad}     ${line}`));
  });
  return lines;
}

/** "2 errors, 1 warning" (or "no findings"). */
export function countFindings(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  if (findings.length === 0) return "no findings";
  const parts: string[] = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return parts.join(", ");
}
