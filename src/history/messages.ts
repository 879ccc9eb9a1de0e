import type { Finding } from "../types.js";
import type { HistoryChange, StepShape } from "./compare.js";

/** What the SDK answered when QStash redelivered the recorded history to today's code. */
export interface ProductionAnswer {
  /** HTTP status of the first delivery. */
  status: number;
  /** `finishCondition`, or "error". */
  outcome: string;
  /** The SDK's error text when the delivery failed, e.g. `Incompatible step name. Expected 'b2', got 'b' from the request`. */
  error?: string;
}

const HINT =
  "Only appending steps at the end is safe for runs already in flight. Keep the recorded steps (names, types, order, parallel width) until those runs finish, branch on context.workflowRunCreatedAt for runs started before the deploy, or serve the new version under a new workflow URL.";

function inputs(shape: StepShape | undefined): string {
  const entries = Object.entries(shape?.inputs ?? {});
  return entries.length ? entries.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ") : "no recorded inputs";
}

/** The SDK's own check of one step against the recorded one, or undefined when they agree. */
export function sdkAnswerFor(current: StepShape | undefined, recorded: StepShape | undefined): string | undefined {
  if (!current || !recorded) return undefined;
  if (current.name !== recorded.name) return `Incompatible step name. Expected '${current.name}', got '${recorded.name}' from the request`;
  if (current.type !== recorded.type) return `Incompatible step type. Expected '${current.type}', got '${recorded.type}' from the request`;
  return undefined;
}

/** One sentence: what changed. */
export function describeChange(change: HistoryChange): string {
  const r = change.recorded;
  const c = change.current;
  const p = change.position;
  switch (change.kind) {
    case "renamed":
      return `Step ${p} was recorded as '${r!.name}' (${r!.type}) and today's code names it '${c!.name}'.`;
    case "replaced":
      return `Step ${p} was recorded as '${r!.name}' (${r!.type}); today's code issues '${c!.name}' (${c!.type}) there instead.`;
    case "removed":
      return change.sdkDetects
        ? `Step ${p} '${r!.name}' (${r!.type}) is recorded, but today's code no longer issues it.`
        : `Step ${p} '${r!.name}' (${r!.type}) is recorded, but today's code returns before it.`;
    case "reordered":
      return `Step ${p} '${r!.name}' (${r!.type}) moved: today's code issues it as step ${c!.position}.`;
    case "inserted":
      return `Today's code issues a new step '${c!.name}' (${c!.type}) as step ${c!.position}, before steps the history already recorded.`;
    case "type-changed":
      return `Step ${p} '${r!.name}' was recorded as a ${r!.type} step; today's code makes it a ${c!.type} step.`;
    case "width-changed":
      return `The parallel group at step ${p} was recorded with ${r!.width} branch${r!.width === 1 ? "" : "es"} (${r!.name}); today's code runs ${c!.width} (${c!.name}).`;
    case "inputs-changed":
      return `Step ${p} '${r!.name}' (${r!.type}) was recorded with ${inputs(r)}; today's code passes ${inputs(c)}.`;
    case "appended":
      return `Today's code adds step ${p} '${c!.name}' (${c!.type}) after the recorded end: safe, in-flight runs simply continue into it.`;
  }
}

/** What happens to an in-flight run because of the change. */
function consequence(change: HistoryChange, production: ProductionAnswer | undefined, first: HistoryChange | undefined): string {
  if (change.kind === "appended") return "";
  if (!change.sdkDetects) {
    if (change.kind === "removed") {
      return " The SDK does not detect this: an in-flight run that reaches this point completes without it, and the recorded result is ignored.";
    }
    return " The SDK does not detect this (it compares only step names, types and parallel widths): an in-flight run keeps the recorded value and runs on; only new runs get the new one.";
  }
  if (change.pending) {
    const text = sdkAnswerFor(change.current, change.recorded);
    return text
      ? ` When QStash appends the pending '${change.recorded!.name}' step (the event arrives, the wait times out or the call returns), the SDK answers 500 "${text}" and QStash retries until the run fails.`
      : " When QStash appends the pending step, the SDK fails the delivery, and QStash retries until the run fails.";
  }
  if (change === first && production?.error) {
    return ` An in-flight run with this history fails on its next delivery: the SDK answers ${production.status} "${production.error}", and QStash retries until the run fails.`;
  }
  const text = sdkAnswerFor(change.current && change.current.position === change.position ? change.current : undefined, change.recorded);
  if (first && first !== change) {
    return ` The SDK stops at the first mismatch (step ${first.position}); this one fails in-flight runs as well once that is fixed.`;
  }
  return text
    ? ` An in-flight run with this history fails on its next delivery: the SDK answers 500 "${text}", and QStash retries until the run fails.`
    : " An in-flight run with this history fails on its next delivery, and QStash retries until the run fails.";
}

/** The finding for one change (none for the safe append). */
export function changeFinding(change: HistoryChange, production: ProductionAnswer | undefined, first: HistoryChange | undefined): Finding | undefined {
  if (change.severity === "info") return undefined;
  const stepName = change.recorded?.name ?? change.current?.name;
  return {
    kind: "history-incompatible",
    severity: change.severity,
    message: `${describeChange(change)}${consequence(change, production, first)}`,
    ...(stepName ? { stepName } : {}),
    stepId: change.position,
    ...(change.recorded ? { expected: change.recorded } : {}),
    ...(change.current ? { received: change.current } : {}),
    hint: change.severity === "error" ? HINT : "If in-flight runs must follow the new value, version the workflow instead; otherwise nothing breaks.",
  };
}

/** A one-line verdict for tables and logs. */
export function summarize(changes: HistoryChange[], fallback: string | undefined): string {
  const errors = changes.filter((c) => c.severity === "error");
  const warnings = changes.filter((c) => c.severity === "warning");
  const appended = changes.filter((c) => c.kind === "appended");
  const label = (c: HistoryChange): string => {
    switch (c.kind) {
      case "renamed":
        return `step ${c.position} renamed '${c.recorded!.name}' → '${c.current!.name}'`;
      case "replaced":
        return `step ${c.position} '${c.recorded!.name}' replaced by '${c.current!.name}'`;
      case "removed":
        return `step ${c.position} '${c.recorded!.name}' removed`;
      case "reordered":
        return `step ${c.position} '${c.recorded!.name}' moved to ${c.current!.position}`;
      case "inserted":
        return `'${c.current!.name}' inserted at step ${c.position}`;
      case "type-changed":
        return `step ${c.position} '${c.recorded!.name}' ${c.recorded!.type} → ${c.current!.type}`;
      case "width-changed":
        return `parallel width at step ${c.position} ${c.recorded!.width} → ${c.current!.width}`;
      case "inputs-changed":
        return `step ${c.position} '${c.recorded!.name}' inputs changed`;
      case "appended":
        return `'${c.current!.name}' appended`;
    }
  };
  const more = (list: HistoryChange[]) => (list.length > 1 ? ` (+${list.length - 1} more)` : "");
  if (errors.length > 0) return `incompatible: ${label(errors[0]!)}${more(errors)}`;
  if (fallback) return `incompatible: ${fallback}`;
  if (warnings.length > 0) return `compatible with warnings: ${label(warnings[0]!)}${more(warnings)}`;
  if (appended.length > 0) return `compatible: ${label(appended[0]!)}${more(appended)}`;
  return "compatible";
}
