import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Step } from "@upstash/workflow";
import type { RecordedHistory } from "../types.js";
import { FieldError, HistoryError } from "./errors.js";
import { TOP_LEVEL_FIELDS, validateHistory } from "./validate.js";

/** Top-level fields in the order they are written. */
const FIELD_ORDER = TOP_LEVEL_FIELDS;

/** Step fields in the order they are written; anything else follows, sorted. */
const STEP_ORDER = [
  "stepId",
  "stepName",
  "stepType",
  "concurrent",
  "targetStep",
  "out",
  "sleepFor",
  "sleepUntil",
  "waitEventId",
  "timeout",
  "waitTimeout",
  "callUrl",
  "callMethod",
  "callHeaders",
  "callBody",
];

/** A step with its keys in a stable order (undefined fields dropped), as one JSON line. */
function stepLine(step: Step): string {
  const record = step as unknown as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  const known = STEP_ORDER.filter((k) => keys.includes(k));
  const rest = keys.filter((k) => !STEP_ORDER.includes(k)).sort();
  const ordered: Record<string, unknown> = {};
  for (const key of [...known, ...rest]) ordered[key] = record[key];
  return JSON.stringify(ordered);
}

/**
 * Writes a history as diff-friendly JSON: fields in a fixed order, headers sorted one per line,
 * one step per line. `parseHistory(serializeHistory(h))` gives back an equal history.
 *
 * @example
 * ```ts
 * import { replay, serializeHistory } from "workflow-replay";
 *
 * const { history } = await replay(route, { payload: { id: 1 } });
 * const text = serializeHistory(history); // '{\n  "format": "workflow-replay/history@1",\n ...'
 * ```
 */
export function serializeHistory(history: RecordedHistory): string {
  const lines: string[] = [];
  const record = history as unknown as Record<string, unknown>;
  for (const key of FIELD_ORDER) {
    const value = record[key];
    if (value === undefined) continue;
    if (key === "headers") {
      const headers = value as Record<string, string>;
      const names = Object.keys(headers).sort();
      if (names.length === 0) {
        lines.push(`  "headers": {}`);
      } else {
        const body = names.map((n) => `    ${JSON.stringify(n)}: ${JSON.stringify(headers[n])}`).join(",\n");
        lines.push(`  "headers": {\n${body}\n  }`);
      }
    } else if (key === "steps" || key === "pending") {
      const steps = value as Step[];
      if (steps.length === 0) {
        lines.push(`  ${JSON.stringify(key)}: []`);
      } else {
        lines.push(`  ${JSON.stringify(key)}: [\n${steps.map((s) => `    ${stepLine(s)}`).join(",\n")}\n  ]`);
      }
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    }
  }
  return `{\n${lines.join(",\n")}\n}\n`;
}

function describe(error: unknown): string {
  if (error instanceof FieldError) return error.message;
  return (error as Error)?.message ?? String(error);
}

/**
 * Parses and validates the text of a history file. Throws a {@link HistoryError} that names the
 * broken field.
 *
 * @example
 * ```ts
 * import { parseHistory } from "workflow-replay";
 *
 * const history = parseHistory(await response.text(), "upload from CI");
 * ```
 */
export function parseHistory(text: string, source = "text"): RecordedHistory {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HistoryError(`Failed to parse history ${source}: it is not valid JSON (${(error as Error).message}). Record it again with saveHistory().`);
  }
  return checked(value, `parse history ${source}`);
}

/** Validates a history object; the error names `verb` (e.g. "load history fixtures/a.json"). */
export function checked(value: unknown, verb: string): RecordedHistory {
  try {
    return validateHistory(value);
  } catch (error) {
    const field = error instanceof FieldError ? error.field : undefined;
    throw new HistoryError(`Failed to ${verb}: ${describe(error)}. Fix the field or record the history again.`, field);
  }
}

/**
 * Writes a history to a file (creating its folder) in the diff-friendly format of
 * {@link serializeHistory}.
 *
 * @example
 * ```ts
 * import { replay, saveHistory } from "workflow-replay";
 *
 * const result = await replay(route, { payload: { orderId: 7 }, until: 60_000 });
 * await saveHistory("fixtures/order-stopped-at-sleep.json", result.history);
 * ```
 */
export async function saveHistory(path: string, history: RecordedHistory): Promise<void> {
  const valid = checked(history, `save history ${path}`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, serializeHistory(valid), "utf8");
}

/**
 * Reads and validates a history file. Throws a {@link HistoryError} naming the file and the
 * broken field.
 *
 * @example
 * ```ts
 * import { loadHistory, replayHistory } from "workflow-replay";
 *
 * const history = await loadHistory("fixtures/order-completed.json");
 * const result = await replayHistory(orderWorkflow, history);
 * ```
 */
export async function loadHistory(path: string): Promise<RecordedHistory> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "the file does not exist" : (error as Error).message;
    throw new HistoryError(`Failed to load history ${path}: ${reason}. Check the path.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HistoryError(`Failed to load history ${path}: it is not valid JSON (${(error as Error).message}). Record it again with saveHistory().`);
  }
  return checked(value, `load history ${path}`);
}
