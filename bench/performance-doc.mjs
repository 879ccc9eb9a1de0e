// Writes a full bench run's figures into docs/performance.md (the machine line and the table) and
// the one line of figures the README keeps. Only the text between the markers changes:
//   <!-- bench:machine --> ... <!-- /bench:machine -->   docs/performance.md
//   <!-- bench:table --> ... <!-- /bench:table -->       docs/performance.md
//   <!-- bench:summary --> ... <!-- /bench:summary -->   README.md
import { readFileSync, writeFileSync } from "node:fs";

/** `text` with what lies between `<!-- bench:name -->` and `<!-- /bench:name -->` replaced by `body`. */
export function replaceMarked(text, name, body) {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close, start);
  if (start < 0 || end < 0) throw new Error(`[workflow-replay bench] Failed to update the docs: the markers ${open} … ${close} are missing.`);
  return text.slice(0, start + open.length) + body + text.slice(end);
}

const row = (groups, groupId, label) => groups.find((g) => g.id === groupId)?.rows.find((r) => r.label === label);

/** The README's line of figures, from the 20- and 1,000-step groups. */
export function summaryLine(groups, fmtMs) {
  const on20 = row(groups, "seq-20", "replay() all detectors on");
  const handler20 = row(groups, "seq-20", "replayHandler() all detectors on");
  const on1000 = row(groups, "seq-1000", "replay() all detectors on");
  const parts = [];
  if (on20) parts.push(`a 20-step workflow replays in ${fmtMs(on20.ms.median)} ms with every detector on`);
  if (handler20) parts.push(`${fmtMs(handler20.ms.median)} ms through the real handler`);
  if (on1000) parts.push(`1,000 steps in ${fmtMs(on1000.ms.median)} ms (${on1000.vsBare.median.toFixed(1)}x the bare replay loop)`);
  return parts.join(", ");
}

/** Rewrites the marked parts of docs/performance.md and README.md. */
export function updatePerformanceDocs({ docPath, readmePath, machineLine, table, summary }) {
  let doc = readFileSync(docPath, "utf8");
  doc = replaceMarked(doc, "machine", machineLine);
  doc = replaceMarked(doc, "table", `\n${table}\n`);
  writeFileSync(docPath, doc);
  if (summary) writeFileSync(readmePath, replaceMarked(readFileSync(readmePath, "utf8"), "summary", summary));
}
