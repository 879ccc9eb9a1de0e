import type { RouteFunction } from "@upstash/workflow";
import { ReplayUsageError } from "../errors.js";
import { replayInternal, validateReplay } from "../replay.js";
import { resolveRuntimeOptions } from "../runtime/options.js";
import { payloadParser } from "../runtime/payload.js";
import type { Finding, RecordedHistory, ReplayOptions, ReplayResult } from "../types.js";
import { compareWalk, type HistoryChange } from "./compare.js";
import { checked } from "./format.js";
import { changeFinding, summarize, type ProductionAnswer } from "./messages.js";
import { recordedPositions } from "./recorded.js";
import { walkHistory, type WalkEnd } from "./walk.js";

/** Options of {@link replayHistory}: those of `replay()` minus what the history fixes, plus `strict`. */
export interface ReplayHistoryOptions<TPayload = unknown> extends Omit<ReplayOptions<TPayload>, "payload" | "headers" | "workflowRunId" | "url"> {
  /** Treat the changes the SDK does not notice (changed step inputs, removed trailing steps) as errors. Default false. */
  strict?: boolean;
}

/** How a recorded history and today's code fit together. */
export interface HistoryCompatibility {
  /** No error-level change: a deploy of today's code keeps runs like this one working. */
  compatible: boolean;
  /** One line, e.g. `incompatible: step 2 renamed 'b' → 'b2'` or `compatible: 'd' appended`. */
  summary: string;
  /** Every difference found, in position order (appended steps included, as "info"). */
  changes: HistoryChange[];
  /** Recorded positions (result steps, parallel branches and pending steps; Initial excluded). */
  recordedSteps: number;
  /**
   * Names of the steps today's code issues after the recorded end, as far as the walk got (it stops
   * at the first one). For a finished run they were added (the safe change) and are listed in
   * `changes` as "appended"; for an in-flight run they are simply where the run goes next.
   */
  appended: string[];
  /** What the SDK answered when QStash redelivered the last recorded message to today's code. */
  production?: ProductionAnswer;
  /**
   * How far the walk of today's code over the history got. It serves recorded results by step name
   * and never runs a step function; it stops at the first step past the recorded end, at a step
   * still pending, or when the route throws.
   */
  walk: { ended: WalkEnd; steps: number; error?: string };
}

/** What {@link replayHistory} returns: a `ReplayResult` of the resumed run plus the compatibility verdict. */
export interface HistoryReplayResult<TOutput = unknown> extends ReplayResult<TOutput> {
  compatibility: HistoryCompatibility;
}

const FIXED_BY_HISTORY = ["payload", "headers", "workflowRunId", "url"] as const;

/**
 * Replays today's code against a recorded history (complete, or stopped mid-way at a sleep or a
 * wait): QStash redelivers the last recorded message to today's route, as it would after a deploy,
 * and the run goes on from there. Every recorded position that no longer matches is a
 * `history-incompatible` finding saying what changed (renamed, removed, reordered, inserted,
 * replaced, changed type, changed parallel width, changed inputs) and what the SDK answers in
 * production. Appending steps at the end is the safe change and is not a finding.
 * Never throws for an incompatibility; throws for an invalid history or options.
 *
 * @example
 * ```ts
 * import { loadHistory, replayHistory } from "workflow-replay";
 * import { orderWorkflow } from "../src/workflows/order";
 *
 * const result = await replayHistory(orderWorkflow, await loadHistory("fixtures/order-waiting.json"));
 * result.compatibility.compatible; // false
 * result.compatibility.summary;    // "incompatible: step 2 renamed 'charge' → 'charge-card'"
 * result.findings[0].message;      // "Step 2 was recorded as 'charge' (Run) ... Incompatible step name. Expected 'charge-card', got 'charge' from the request ..."
 * ```
 */
export async function replayHistory<TPayload = unknown, TResult = unknown>(
  route: RouteFunction<TPayload, TResult>,
  history: RecordedHistory,
  options: ReplayHistoryOptions<TPayload> = {},
): Promise<HistoryReplayResult<TResult>> {
  if (typeof route !== "function") {
    throw new ReplayUsageError(
      `Failed to replay history: the route must be the function you pass to serve(), got ${route === null ? "null" : typeof route}.`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new ReplayUsageError(`Failed to replay history: options must be an object, got ${options === null ? "null" : typeof options}.`);
  }
  for (const key of FIXED_BY_HISTORY) {
    if (key in options) {
      throw new ReplayUsageError(`Failed to replay history: the "${key}" option cannot be used, the history fixes it. Edit the history instead.`);
    }
  }
  const valid = checked(history, `replay history ${history && typeof history === "object" ? (history as RecordedHistory).workflowRunId ?? "" : ""}`.trimEnd());
  const { strict = false, ...rest } = options as ReplayHistoryOptions<unknown>;
  const replayOptions: ReplayOptions<unknown> = {
    ...rest,
    startTime: rest.startTime ?? valid.createdAt,
    ...(rest.label === undefined && valid.labels ? { label: valid.labels } : {}),
  };
  const recorded = recordedPositions(valid);

  let payload: unknown;
  try {
    payload = payloadParser(replayOptions)(valid.payload ?? "");
  } catch {
    payload = undefined;
  }
  validateReplay(route, replayOptions);
  const resolved = resolveRuntimeOptions(replayOptions, "replay");
  const walk = await walkHistory(route as RouteFunction<unknown, unknown>, recorded, {
    payload,
    steps: valid.steps,
    env: replayOptions.env ?? {},
    headers: valid.headers,
    workflowRunId: valid.workflowRunId,
    url: valid.workflowUrl,
    createdAt: valid.createdAt,
    run: resolved,
  });

  const result = await replayInternal(route as RouteFunction<unknown, unknown>, replayOptions, {
    from: {
      steps: valid.steps,
      workflowRunId: valid.workflowRunId,
      url: valid.workflowUrl,
      createdAt: valid.createdAt,
      headers: valid.headers,
      payload: valid.payload ?? undefined,
    },
    resolved,
  });

  const firstDelivery = result.deliveries[0];
  const production: ProductionAnswer | undefined = firstDelivery
    ? { status: firstDelivery.status, outcome: firstDelivery.outcome, ...(firstDelivery.error ? { error: firstDelivery.error.message } : {}) }
    : undefined;

  const walked = compareWalk(recorded, walk, strict);
  // Past the end of an in-flight run's history, today's code is just where the run goes next; only
  // a finished run's history tells that a step was added.
  const finished = valid.status === "completed" || valid.status === "failed" || valid.status === "cancelled";
  const changes = finished ? walked : walked.filter((c) => c.kind !== "appended");
  const errors = changes.filter((c) => c.severity === "error");
  const first = errors.find((c) => !c.pending);
  const incompatibleAnswer = production?.error && /^Incompatible /.test(production.error) ? production.error : undefined;
  const findings: Finding[] = [];
  const configured = options.checks?.["history-incompatible"];
  if (configured !== "off") {
    for (const change of changes) {
      const finding = changeFinding(change, production, first);
      if (finding) findings.push(configured ? { ...finding, severity: configured } : finding);
    }
    if (errors.length === 0 && incompatibleAnswer) {
      findings.push({
        kind: "history-incompatible",
        severity: configured ?? "error",
        message: `The recorded history no longer replays: on its next delivery the SDK answers ${production!.status} "${incompatibleAnswer}", and QStash retries until the run fails.`,
        hint: "Compare the recorded steps with today's code at that position; only appending steps at the end is safe for runs in flight.",
      });
    }
  }
  const appended = walked.filter((c) => c.kind === "appended").map((c) => c.current!.name);
  const compatibility: HistoryCompatibility = {
    compatible: errors.length === 0 && !incompatibleAnswer,
    summary: summarize(changes, errors.length === 0 ? incompatibleAnswer : undefined),
    changes,
    recordedSteps: recorded.length,
    appended,
    ...(production ? { production } : {}),
    walk: { ended: walk.ended, steps: walk.steps.length, ...(walk.error ? { error: walk.error } : {}) },
  };
  return { ...(result as ReplayResult<TResult>), findings: [...result.findings, ...findings], compatibility };
}
