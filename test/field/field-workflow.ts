// One real, public Upstash workflow adapted into a fixture: the original control flow and context.*
// calls (bugs included), with external clients replaced by in-memory fakes or msw handlers.
import type { WorkflowContext } from "@upstash/workflow";
import type { FindingKind, ReplayOptions } from "../../src/types.js";

export type FieldRoute = (context: WorkflowContext<any>) => Promise<unknown>;

/** A bug a careful reviewer finds in the original, and what production does because of it. */
export interface KnownBug {
  kind: FindingKind;
  effect: string;
  /** Whether a `serve()` handler lets the harness observe it (docs/decisions/0404). */
  handler: boolean;
}

export interface FieldWorkflow {
  title: string;
  /** Where the original lives. */
  source: { repo: string; path: string; commit: string };
  /** A fresh route per run (module state of the original starts over). */
  route: () => FieldRoute;
  options?: ReplayOptions<any>;
  /** Passed to serve() in the handler mode (the original's serve options that matter). */
  serveOptions?: { initialPayloadParser?: (raw: string) => unknown };
  /** The reviewer's verdict: the true bugs (each must be an error finding) ... */
  bugs: KnownBug[];
  /** ... and what the harness may say that is not a bug (warnings only; any error here is a false error). */
  notes: string;
}
