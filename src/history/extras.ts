import type { RunState } from "../engine/wire-types.js";
import type { RecordedHistory, RunStatus } from "../types.js";
import { pendingSteps } from "./pending.js";

/** The optional history fields replay() fills in: labels, how the run stood, its output, pending steps. */
export function historyExtras(run: RunState, status: RunStatus): Partial<RecordedHistory> {
  const pending = status === "waiting" ? pendingSteps(run.log, run.deliveries) : [];
  return {
    ...(run.labels.length > 0 ? { labels: [...run.labels] } : {}),
    status,
    ...(status === "completed" && run.output !== undefined ? { output: run.output } : {}),
    ...(pending.length > 0 ? { pending } : {}),
  };
}
