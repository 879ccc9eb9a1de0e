import type { RunState } from "../engine/wire-types.js";
import type { ChecksOption, DeliveryRecord, Finding, Severity, Step } from "../types.js";
import { durationToSeconds } from "../util/duration.js";
import { formatDuration } from "../report/time.js";
import type { HostLimits, PlanLimits } from "./facts.js";

/** What the host and plan checks look at. */
export interface LimitsInput {
  runs: RunState[];
  /** Billed steps of the run (usage). */
  billedSteps: number;
  host?: HostLimits;
  plan?: PlanLimits;
  runsPerDay?: number;
  checks?: ChecksOption;
}

const severityOf = (checks: ChecksOption | undefined, kind: "function-timeout" | "limit-exceeded"): Severity | undefined => {
  const level = checks?.[kind];
  return level === "off" ? undefined : (level ?? "error");
};

const FIXES =
  "Fix it one of three ways: if the step waits for an HTTP request, make it a context.call (QStash waits for the answer, up to your plan's limit, not the function); " +
  "for a longer job, start it with context.call and wait for it to report back with context.waitForEvent (dispatch-and-wait); " +
  "or split the work into several steps that each finish within the limit.";

/** `function-timeout`: deliveries the host stopped at maxDuration, one finding per step. */
function functionTimeouts(input: LimitsInput, severity: Severity): Finding[] {
  const byStep = new Map<string, DeliveryRecord[]>();
  for (const run of input.runs) {
    for (const d of run.deliveries) {
      if (!d.hostTimeout) continue;
      const key = `${run.workflowRunId}:${d.hostTimeout.stepName ?? `#${d.hostTimeout.position ?? "callback"}`}`;
      byStep.set(key, [...(byStep.get(key) ?? []), d]);
    }
  }
  const findings: Finding[] = [];
  for (const records of byStep.values()) {
    const first = records[0]!;
    const t = first.hostTimeout!;
    const what = t.stepName
      ? `step '${t.stepName}'`
      : t.position !== undefined
        ? `the step at position ${t.position}${t.after ? ` (the one after '${t.after}')` : ""}`
        : "a context.call callback";
    const attempts = records.length === 1 ? `delivery ${first.invocation}` : `deliveries ${records.map((r) => r.invocation).join(", ")} (the first attempt and ${records.length - 1} retr${records.length === 2 ? "y" : "ies"})`;
    findings.push({
      kind: "function-timeout",
      severity,
      message:
        `[workflow-replay] Failed to finish ${what} within the host's time limit: on ${t.host} a delivery may run ${formatDuration(t.limitMs)}, and ${attempts} ran ${formatDuration(first.durationMs)} before the host stopped ${records.length === 1 ? "it" : "each"} with 504 FUNCTION_INVOCATION_TIMEOUT. ` +
        `QStash retries a stopped delivery, the step starts over, and in production it never completes. ${FIXES}`,
      ...(t.stepName ? { stepName: t.stepName } : {}),
      invocation: first.invocation,
      hint: "context.call for a slow request; context.call + context.waitForEvent for a long job; or split the step.",
      expected: `at most ${formatDuration(t.limitMs)}`,
      received: `${formatDuration(first.durationMs)} and still running`,
    });
  }
  return findings;
}

const secondsOf = (value: unknown): number | undefined =>
  typeof value === "number" || typeof value === "string" ? durationToSeconds(value) : undefined;

/** `limit-exceeded` against the plan: body size, parallelism, delays, call durations, steps per run and per day. */
function planLimits(input: LimitsInput, plan: PlanLimits, severity: Severity): Finding[] {
  const findings: Finding[] = [];
  const add = (limit: string, figure: string, allowed: string, extra: Partial<Finding>, advice: string) =>
    findings.push({
      kind: "limit-exceeded",
      severity,
      message: `[workflow-replay] ${figure}, but ${plan.name} allows ${allowed} (${limit}). ${advice}`,
      expected: allowed,
      received: figure,
      ...extra,
    });
  const once = new Set<string>();
  const first = (key: string) => (once.has(key) ? false : (once.add(key), true));
  for (const run of input.runs) {
    for (const d of run.deliveries) {
      if (d.bodyBytes > plan.maxMessageBytes && first(`body:${run.workflowRunId}`)) {
        add(
          "max message size",
          `Delivery ${d.invocation} sent a ${d.bodyBytes.toLocaleString("en-US")}-byte request body (${d.bodySteps} recorded steps)`,
          `${plan.maxMessageBytes.toLocaleString("en-US")} bytes`,
          { invocation: d.invocation },
          "Every delivery carries all recorded step results: return smaller results (store large data elsewhere and return a key), or split the run with context.invoke.",
        );
      }
      for (const step of d.submitted as Array<Step & Record<string, unknown>>) {
        const delayS =
          step.stepType === "SleepFor"
            ? secondsOf(step.sleepFor)
            : step.stepType === "SleepUntil" && typeof step.sleepUntil === "number"
              ? step.sleepUntil - d.at / 1000
              : step.stepType === "Wait" || step.stepType === "WaitForWebhook"
                ? (secondsOf(step.timeout) ?? 7 * 86_400)
                : undefined;
        if (delayS !== undefined && delayS * 1000 > plan.maxDelayMs && first(`delay:${run.workflowRunId}:${step.stepId}:${step.stepName}`)) {
          const verb = step.stepType === "SleepFor" || step.stepType === "SleepUntil" ? "sleeps" : "waits (timeout)";
          add(
            "max delay",
            `Step '${step.stepName}' ${verb} ${formatDuration(delayS * 1000)}`,
            `at most ${formatDuration(plan.maxDelayMs)}`,
            { stepName: step.stepName, stepId: step.stepId, invocation: d.invocation },
            "Wait in shorter pieces (a loop of sleeps), or use a plan with a longer maximum delay.",
          );
        }
        if (step.concurrent > plan.maxParallelism && first(`parallel:${run.workflowRunId}:${step.concurrent}`)) {
          add(
            "max parallelism",
            `A parallel group of ${step.concurrent} steps ('${step.stepName}' among them) runs at once`,
            `${plan.maxParallelism} at a time`,
            { stepName: step.stepName, invocation: d.invocation },
            "QStash queues what is over the limit; split the group into batches if the run must not wait.",
          );
        }
      }
    }
    for (const call of run.calls) {
      if (call.durationMs > plan.maxCallDurationMs && first(`call:${run.workflowRunId}:${call.stepName}`)) {
        add(
          "max HTTP response duration",
          `The target of context.call '${call.stepName}' (${call.url}) took ${formatDuration(call.durationMs)} to answer`,
          `at most ${formatDuration(plan.maxCallDurationMs)}`,
          { stepName: call.stepName, stepId: call.stepId },
          "Start the job with context.call and let it report back with context.notify / context.waitForEvent (dispatch-and-wait).",
        );
      }
    }
    const steps = new Set(run.log.filter((s) => s.stepId > 0).map((s) => s.stepId)).size;
    if (plan.maxStepsPerRun < 1_000 && steps > plan.maxStepsPerRun && first(`steps:${run.workflowRunId}`)) {
      add("steps per run", `The run has ${steps} steps`, `${plan.maxStepsPerRun}`, {}, "Split the run with context.invoke.");
    }
  }
  const runs = input.runsPerDay ?? 1;
  const perDay = input.billedSteps * runs;
  if (perDay > plan.stepsPerDay) {
    add(
      "steps per day",
      input.runsPerDay === undefined
        ? `One run bills ${input.billedSteps} steps`
        : `${runs.toLocaleString("en-US")} runs a day at ${input.billedSteps} billed steps each make ${perDay.toLocaleString("en-US")} steps a day`,
      `${plan.stepsPerDay.toLocaleString("en-US")} steps a day`,
      {},
      "Upstash stops accepting messages for the rest of the day: use a larger plan, or fewer steps per run (merge small steps).",
    );
  }
  return findings;
}

/** The findings `host` and `plan` add to a run (none without them). */
export function limitFindings(input: LimitsInput): Finding[] {
  const findings: Finding[] = [];
  const timeout = severityOf(input.checks, "function-timeout");
  if (input.host && timeout) findings.push(...functionTimeouts(input, timeout));
  const limit = severityOf(input.checks, "limit-exceeded");
  if (input.plan && limit) findings.push(...planLimits(input, input.plan, limit));
  return findings;
}
