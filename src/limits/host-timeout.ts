import type { EndpointDelivery, EndpointResponse } from "../engine/wire-types.js";
import { formatDuration } from "../report/time.js";
import { HOST_TIMEOUT, type HostLimits } from "./facts.js";

/** The answer QStash sees when the host stops a delivery at its maxDuration: 504 FUNCTION_INVOCATION_TIMEOUT. */
export function hostTimeoutResponse(host: HostLimits, delivery: EndpointDelivery, ranMs: number, stepName: string | undefined): EndpointResponse {
  const position = delivery.kind === "step" ? new Set(delivery.steps.filter((s) => s.stepId > 0).map((s) => s.stepId)).size + 1 : undefined;
  const previous = delivery.steps.filter((s) => s.stepId > 0).at(-1)?.stepName;
  const at = position !== undefined ? `the step at position ${position}${previous ? ` (after '${previous}')` : ""}` : "the callback";
  const what = stepName ? `step '${stepName}'` : at;
  return {
    status: HOST_TIMEOUT.status,
    error: {
      name: HOST_TIMEOUT.code,
      message: `[workflow-replay] ${host.name} stopped delivery ${delivery.invocation} after ${formatDuration(ranMs)} (its maxDuration is ${formatDuration(host.maxDurationMs)}) while ${what} was running: the function answered ${HOST_TIMEOUT.status} ${HOST_TIMEOUT.code}.`,
    },
    ...(stepName ? { stepName } : {}),
    hostTimeout: { limitMs: host.maxDurationMs, host: host.name, ...(stepName ? { stepName } : {}), ...(position !== undefined ? { position } : {}), ...(!stepName && previous ? { after: previous } : {}) },
  };
}
