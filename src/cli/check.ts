import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { RouteFunction } from "@upstash/workflow";
import { loadHistory } from "../history/format.js";
import { replayHistory, type HistoryReplayResult } from "../history/replay-history.js";
import type { CheckArgs } from "./args.js";
import { annotation, stepLine, type Annotation } from "./github.js";
import { glob, isGlob } from "./glob.js";
import { junitXml, type CaseReport } from "./junit.js";
import { loadRoute } from "./load-module.js";
import { UsageError } from "./usage-error.js";
import { HOST_PRESETS } from "../limits/facts.js";
import type { HostOption, PlanOption } from "../limits/options.js";
import { formatDuration } from "../report/time.js";

/** `--host` / `--plan` as replay options: a preset name as is, anything else as a maxDuration. */
function platformOptions(args: CheckArgs): { host?: HostOption; plan?: PlanOption } {
  const host = args.host === undefined ? undefined : args.host in HOST_PRESETS ? (args.host as HostOption) : { maxDuration: /^\d+(\.\d+)?$/.test(args.host) ? Number(args.host) : args.host };
  return { ...(host ? { host } : {}), ...(args.plan !== undefined ? { plan: args.plan as PlanOption } : {}) };
}

export interface CheckIo {
  cwd: string;
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  now: () => number;
}

interface Row {
  file: string;
  mark: "✓" | "!" | "✗";
  recorded: string;
  verdict: string;
  details: string[];
  report: CaseReport;
  annotations: Annotation[];
}

/** History files named by the arguments, in order, without duplicates. */
async function historyFiles(patterns: string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (isGlob(pattern)) {
      const matches = await glob(pattern, cwd);
      if (matches.length === 0) throw new UsageError(`Failed to find histories: no file matches "${pattern}" (in ${cwd}).`);
      files.push(...matches);
    } else {
      if (!existsSync(resolve(cwd, pattern))) throw new UsageError(`Failed to find history ${pattern}: the file does not exist (in ${cwd}).`);
      files.push(pattern);
    }
  }
  return [...new Set(files)];
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

async function checkOne(route: RouteFunction<unknown, unknown>, file: string, args: CheckArgs, io: CheckIo): Promise<Row> {
  const started = io.now();
  const path = resolve(io.cwd, file);
  let result: HistoryReplayResult;
  let recorded = "";
  try {
    const history = await loadHistory(path);
    recorded = `${history.status ?? "recorded"}, ${history.steps.length - 1} steps`;
    result = await replayHistory(route, history, { strict: args.strict, perturb: false, ...platformOptions(args) });
  } catch (error) {
    const e = error as Error;
    const message = (e?.message ?? String(error)).replace(path, file);
    return {
      file,
      mark: "✗",
      recorded: recorded || "-",
      verdict: `error: ${e?.name ?? "Error"}`,
      details: [indent(message, "  ")],
      report: { file, seconds: (io.now() - started) / 1000, error: { type: e?.name ?? "Error", message } },
      annotations: [{ level: "error", file, title: "workflow-replay: history not replayed", message }],
    };
  }
  const text = await readFile(path, "utf8").catch(() => "");
  const c = result.compatibility;
  const mine = result.findings.filter((f) => f.kind === "history-incompatible");
  const others = result.findings.filter((f) => f.kind !== "history-incompatible");
  const details: string[] = [];
  const annotations: Annotation[] = [];
  for (const finding of mine) {
    details.push(`  ${finding.severity.padEnd(8)}${finding.stepId !== undefined ? `step ${finding.stepId}: ` : ""}${finding.message}`);
    if (finding.severity === "error" && finding.hint) details.push(`          hint: ${finding.hint}`);
    annotations.push({
      level: finding.severity === "error" ? "error" : "warning",
      file,
      ...(finding.stepId !== undefined && stepLine(text, finding.stepId) ? { line: stepLine(text, finding.stepId)! } : {}),
      title: `workflow-replay: ${c.summary}`,
      message: finding.message,
    });
  }
  for (const finding of others) details.push(`  note    ${finding.kind}: ${finding.message.split("\n")[0]}`);
  if (result.status === "failed" && c.compatible && result.error) {
    details.push(`  note    the resumed run failed after the recorded part: ${result.error.message.split("\n")[0]}`);
  }
  if (args.host !== undefined || args.plan !== undefined) {
    const u = result.usage;
    details.push(
      `  usage   replayed deliveries: ${u.billedSteps} billed steps, $${u.costUsd}${u.plan ? ` on ${u.plan}` : ""}; longest delivery ${formatDuration(u.longestDeliveryMs)}${u.host ? ` (limit ${formatDuration(u.hostLimitMs ?? 0)})` : ""}; largest body ${u.largestBodyBytes} bytes`,
    );
  }
  const failed = !c.compatible;
  const warned = mine.some((f) => f.severity === "warning");
  const report: CaseReport = {
    file,
    seconds: (io.now() - started) / 1000,
    ...(failed ? { failure: { message: c.summary, details: mine.map((f) => `${f.severity}: ${f.message}`).join("\n\n") } } : {}),
    ...(!failed && details.length > 0 ? { output: details.join("\n") } : {}),
  };
  return { file, mark: failed ? "✗" : warned ? "!" : "✓", recorded, verdict: c.summary, details, report, annotations };
}

/** Runs `workflow-replay check`; returns the exit code. */
export async function runCheck(args: CheckArgs, io: CheckIo): Promise<number> {
  const started = io.now();
  const route = await loadRoute(args.target, io.cwd);
  const files = await historyFiles(args.patterns, io.cwd);
  const rows: Row[] = [];
  for (const file of files) rows.push(await checkOne(route, file, args, io));

  const failing = rows.filter((r) => r.mark === "✗");
  const shown = args.quiet ? failing : rows;
  const width = Math.max(...shown.map((r) => r.file.length), 7);
  const recordedWidth = Math.max(...shown.map((r) => r.recorded.length), 8);
  io.out(`workflow-replay check ${args.target}`);
  if (shown.length > 0) {
    io.out("");
    io.out(`    ${"HISTORY".padEnd(width)}  ${"RECORDED".padEnd(recordedWidth)}  VERDICT`);
    for (const row of shown) io.out(`  ${row.mark} ${row.file.padEnd(width)}  ${row.recorded.padEnd(recordedWidth)}  ${row.verdict}`);
  }
  for (const row of shown) {
    if (row.details.length === 0 || (args.quiet && row.mark !== "✗")) continue;
    io.out("");
    io.out(`${row.mark} ${row.file}`);
    for (const line of row.details) io.out(line);
  }
  const seconds = (io.now() - started) / 1000;
  io.out("");
  io.out(
    failing.length === 0
      ? `${rows.length} ${rows.length === 1 ? "history" : "histories"} compatible with today's code (${seconds.toFixed(2)} s)`
      : `${failing.length} of ${rows.length} ${rows.length === 1 ? "history" : "histories"} incompatible with today's code (${seconds.toFixed(2)} s)`,
  );
  if (args.junit) {
    const path = resolve(io.cwd, args.junit);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, junitXml(args.target, rows.map((r) => r.report), seconds), "utf8");
    io.out(`JUnit report written to ${args.junit}`);
  }
  if (args.github ?? io.env.GITHUB_ACTIONS === "true") {
    for (const row of rows) for (const a of row.annotations) io.out(annotation(a));
  }
  return failing.length > 0 ? 1 : 0;
}
