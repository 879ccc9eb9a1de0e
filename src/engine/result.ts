import { historyExtras } from "../history/extras.js";
import type { RecordedHistory, ReplayResult } from "../types.js";
import { DEFAULT_PRICE_PER_STEP_USD } from "../limits/facts.js";
import { computeUsage } from "../limits/usage.js";
import type { Simulator } from "./simulator.js";
import type { RunState } from "./wire-types.js";

/** A run's result as both drivers return it (findings are added by the detectors afterwards). */
export function buildResult(
  run: RunState,
  seed: number | string,
  children: ReplayResult["children"],
  usage: ReplayResult["usage"] = computeUsage([run], DEFAULT_PRICE_PER_STEP_USD),
): Omit<ReplayResult, "findings" | "published"> {
  const status = run.status === "running" ? "waiting" : run.status;
  const history: RecordedHistory = {
    format: "workflow-replay/history@1",
    workflowRunId: run.workflowRunId,
    workflowUrl: run.url,
    createdAt: run.createdAt,
    payload: run.payload ?? null,
    headers: { ...run.headers },
    steps: run.log.map((s) => ({ ...s })),
    ...historyExtras(run, status),
  };
  return {
    status,
    output: run.output === undefined ? undefined : (JSON.parse(run.output) as unknown),
    ...(run.error ? { error: run.error } : {}),
    steps: run.log,
    invocations: run.invocations,
    deliveries: run.deliveries,
    usage,
    seed,
    workflowRunId: run.workflowRunId,
    endedAt: run.endedAt ?? 0,
    history,
    ...(run.failureFunctionResult !== undefined ? { failureFunctionResult: run.failureFunctionResult } : {}),
    children,
  };
}

/**
 * The root run's result once the simulation stopped: a halted simulation (runaway, hung delivery,
 * harness error) fails a run still in flight, and every other run is reported as a child.
 */
export function finalResult(sim: Simulator, run: RunState, seed: number | string): Omit<ReplayResult, "findings" | "published"> {
  if (sim.halted && run.status === "running") {
    run.status = "failed";
    run.error = sim.halted;
  }
  const children: ReplayResult["children"] = {};
  for (const [id, child] of sim.runs) {
    if (id !== run.workflowRunId) children[id] = { ...buildResult(child, seed, {}), findings: [] } as Omit<ReplayResult, "children" | "published">;
  }
  // the root's usage counts the child runs it started: QStash bills them to the same account
  return buildResult(run, seed, children, computeUsage(sim.runs.values(), DEFAULT_PRICE_PER_STEP_USD));
}
