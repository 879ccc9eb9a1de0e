/** One history's outcome, as the reports need it. */
export interface CaseReport {
  /** The history file, as given (relative to the working directory). */
  file: string;
  /** Seconds the replay took. */
  seconds: number;
  /** Failure: the one-line verdict and the full messages. */
  failure?: { message: string; details: string };
  /** The history or the replay could not be run at all. */
  error?: { type: string; message: string };
  /** Warnings and notes, printed to system-out. */
  output?: string;
}

export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const seconds = (n: number) => n.toFixed(3);

/** A JUnit XML report: one testsuite per workflow, one testcase per history file. */
export function junitXml(suite: string, cases: CaseReport[], totalSeconds: number): string {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(totalSeconds)}"`;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="workflow-replay" ${counts}>`,
    `  <testsuite name="${escapeXml(suite)}" ${counts}>`,
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(c.file)}" file="${escapeXml(c.file)}" time="${seconds(c.seconds)}"`;
    const body: string[] = [];
    if (c.failure) {
      body.push(`      <failure type="history-incompatible" message="${escapeXml(c.failure.message)}">${escapeXml(c.failure.details)}</failure>`);
    }
    if (c.error) body.push(`      <error type="${escapeXml(c.error.type)}" message="${escapeXml(c.error.message)}">${escapeXml(c.error.message)}</error>`);
    if (c.output) body.push(`      <system-out>${escapeXml(c.output)}</system-out>`);
    lines.push(body.length === 0 ? `${open}/>` : `${open}>\n${body.join("\n")}\n    </testcase>`);
  }
  lines.push(`  </testsuite>`, `</testsuites>`, "");
  return lines.join("\n");
}
