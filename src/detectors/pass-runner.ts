import type { RouteFunction, Step } from "@upstash/workflow";
import { Executor, type InlineSteps } from "../context/executor.js";
import type { QStashPort } from "../context/io.js";
import { MockWorkflowContext } from "../context/mock-context.js";
import { routeContext } from "../context/route-context.js";
import type { ReplayObserver } from "../engine/observer.js";
import type { RunState } from "../engine/wire-types.js";
import { withDeadline } from "../sandbox/deadline.js";
import type { GlobalsVariant, PatchedGlobals } from "../sandbox/globals.js";
import type { RequestJournal } from "../sandbox/request-journal.js";
import { runInFrame } from "../sandbox/scope.js";

/** The executor modes a pass can run in (the executor decides what each means). */
export type PassMode = Exclude<ConstructorParameters<typeof Executor>[3], "run">;

/**
 * What a detector pass gets from the replay that ran: the finished run, the route to re-run, and
 * the sandbox still in place (patched globals, intercepted network, virtual timers). Every pass
 * kind runs through {@link runPass} over one of these, so it gets the same sandbox for free.
 */
export interface PassSandbox {
  route: RouteFunction<unknown, unknown>;
  run: RunState;
  /** The port the pass's code talks to: one that affects no run. */
  port: QStashPort;
  parsePayload: (raw: string) => unknown;
  env: Record<string, string | undefined>;
  /** Real-time bound on one pass, in ms (a pass that hangs is cut off). */
  deliveryTimeout: number;
  globals: PatchedGlobals;
  /** The run's step-function requests and their answers: a pass that runs a step function again is answered from it. */
  journal?: RequestJournal;
}

/** One re-run of the route: how its executor runs and what it records. */
export interface PassSpec {
  mode: PassMode;
  /** The history the executor serves (a perturbation pass: the run's whole log). */
  steps: Step[];
  observer: ReplayObserver;
  /** Ids the SDK draws at random during the pass (webhook event ids). */
  randomId: (length: number) => string;
  /** The globals' values during the pass; the run's own when absent. */
  variant?: GlobalsVariant;
  /** How memoized and frontier steps are served instead (the straight-through pass); as history when absent. */
  inline?: InlineSteps;
}

/**
 * Re-runs the route once in the replay's sandbox: a fresh executor and context over `spec.steps`,
 * step functions in their step's frame, and the pass awaited (up to the delivery timeout) while the
 * sandbox is still in place. The route's own outcome is ignored: a pass only records.
 *
 * @example
 * ```ts
 * await runPass(sandbox, { mode: "perturbation", steps: run.log, observer: collector, randomId: (n) => nanoid(prng, n) });
 * ```
 */
export async function runPass(sandbox: PassSandbox, spec: PassSpec): Promise<void> {
  const { run, port } = sandbox;
  const frame = { owner: {}, invocation: 0, dryRun: false };
  const go = async (): Promise<void> => {
    const executor: Executor = new Executor(
      spec.steps,
      {
        port,
        workflowRunId: run.workflowRunId,
        url: run.url,
        randomId: spec.randomId,
        runStepFunction: (name, id, fn) => runInFrame({ ...frame, step: { name, id } }, () => executor.wrapStep(name, fn)),
      },
      0,
      spec.mode,
      spec.observer,
      spec.inline,
    );
    let payload: unknown;
    try {
      payload = sandbox.parsePayload((spec.steps[0]?.out as string | undefined) ?? "");
    } catch {
      payload = undefined;
    }
    const context = new MockWorkflowContext(
      {
        workflowRunId: run.workflowRunId,
        workflowRunCreatedAt: run.createdAt,
        url: run.url,
        requestPayload: payload,
        headers: new Headers(run.headers),
        env: sandbox.env,
        labels: run.labels,
        retried: 0,
        qstashClient: undefined as never,
        port,
      },
      executor,
    );
    const settle = runInFrame(frame, () => sandbox.route(routeContext(context))).then(
      () => undefined,
      () => undefined,
    );
    // Wait for the pass to end while the network interception and the patched globals are still in
    // place; a pass that hangs is cut off.
    await withDeadline(settle, sandbox.deliveryTimeout, () => undefined);
  };
  await (spec.variant ? sandbox.globals.withVariant(spec.variant, go) : go());
}
