import type { InvokeSubmission } from "../context/io.js";
import { parseLabels } from "../util/labels.js";
import { nanoid } from "../util/prng.js";
import type { SimulationCore } from "./core.js";
import type { RunState } from "./wire-types.js";

/** The retries an invoked run gets when `context.invoke` names none: QStash's default. */
const DEFAULT_INVOKE_RETRIES = 3;

/**
 * `context.invoke`: starts a child run of a registered workflow; its end is published to the parent
 * as the invoke step's result (see the simulator's `endRun`). An unregistered workflow id halts.
 */
export function startChild(core: SimulationCore, parent: RunState, invoke: InvokeSubmission): void {
  const endpoint = core.options.endpointFor(invoke.workflowId);
  const runId = `wfr_${invoke.workflowRunId ?? nanoid(core.options.prng)}`;
  if (!endpoint) {
    core.halt({
      name: "ReplayUsageError",
      status: 0,
      message: `[workflow-replay] Failed to invoke workflow "${invoke.workflowId}" from step '${invoke.step.stepName}': no route function is registered for it. Pass it in the "workflows" option: { workflows: { "${invoke.workflowId}": routeFunction } }.`,
    });
    return;
  }
  const label = invoke.label;
  core.startRun({
    workflowRunId: runId,
    url: invoke.url,
    payload: invoke.body,
    headers: invoke.headers,
    labels: parseLabels(label),
    retries: invoke.retries ?? DEFAULT_INVOKE_RETRIES,
    endpoint,
    workflowId: invoke.workflowId,
    parent: { runId: parent.workflowRunId, step: invoke.step },
  });
}
