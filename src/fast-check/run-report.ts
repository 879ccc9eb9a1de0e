import type { ReplayResult } from "../types.js";

/**
 * A plain-text account of a run for property failures: status, findings, then the deliveries.
 * Kept short: a property prints it once, for the shrunk counterexample.
 */
export function describeRun(result: ReplayResult): string {
  const lines: string[] = [];
  const status =
    result.status === "completed"
      ? `completed → ${JSON.stringify(result.output) ?? "undefined"}`
      : result.status === "failed" && result.error
        ? `failed · ${result.error.status} ${result.error.name}: ${result.error.message}${result.error.stepName ? ` (in step '${result.error.stepName}')` : ""}`
        : result.status;
  lines.push(`run ${result.workflowRunId} · ${status} · ${result.invocations} deliveries · seed ${result.seed}`);
  if (result.findings.length > 0) {
    lines.push("", "Findings:");
    result.findings.forEach((f, i) => {
      const where = f.location ? ` at ${f.location.file}:${f.location.line}:${f.location.column}` : "";
      lines.push(`  ${i + 1}. ${f.severity} ${f.kind}${where}: ${f.message}`);
    });
  }
  lines.push("", "Deliveries:");
  for (const d of result.deliveries) {
    const submitted = d.submitted.map((s) => (s.stepId === 0 ? `plan→${s.targetStep ?? "?"}` : `${s.stepId} '${s.stepName}'`)).join(", ");
    const error = d.error ? ` · ${d.error.name}` : "";
    lines.push(`  #${d.invocation} ${d.kind}${d.retried ? ` (retry ${d.retried})` : ""} → ${d.status} ${d.outcome}${submitted ? ` · ${submitted}` : ""}${error}`);
  }
  return lines.join("\n");
}
