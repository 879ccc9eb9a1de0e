import type { RouteFunction, Step, StepType } from "@upstash/workflow";
import type { StepHandle } from "../context/executor.js";
import type { QStashPort } from "../context/io.js";
import type { LazyStep } from "../context/lazy-step.js";
import { MockWorkflowContext, type ContextExecutor } from "../context/mock-context.js";
import { routeContext } from "../context/route-context.js";
import { closedPort } from "../engine/ports.js";
import { withDeadline } from "../sandbox/deadline.js";
import type { RuntimeOptions } from "../runtime/options.js";
import { withRuntime } from "../runtime/runtime.js";
import { runInFrame } from "../sandbox/scope.js";
import type { RecordedPosition } from "./recorded.js";

/** A step today's code issued during the walk. */
export interface CodeStep {
  /** 1-based position in today's step plan (the SDK's stepCount). */
  position: number;
  name: string;
  type: StepType;
  inputs: Record<string, unknown>;
  /** Index of the group (unit) it was issued in. */
  unit: number;
  /** Width of that group (1: sequential). */
  width: number;
  /** The recorded position it was matched to: by name, or in place of a recorded step whose name no longer appears. */
  claim?: { recorded: RecordedPosition; how: "name" | "position" };
}

/** Why the walk stopped. */
export type WalkEnd =
  /** The route returned (or cancelled): today's whole plan is known. */
  | "returned"
  /** The route threw (possibly because a changed step got a result it did not expect). */
  | "threw"
  /** Today's code issued a step the history holds nothing for, past everything recorded. */
  | "new-step"
  /** Today's code reached a recorded step that has no result yet (a wait or a branch still running). */
  | "pending-step"
  /** The route did not settle in time (it awaits something outside the steps). */
  | "stalled";

export interface WalkOutcome {
  steps: CodeStep[];
  ended: WalkEnd;
  error?: string;
}

/** Thrown to user code when the walk has seen enough. */
class WalkStop extends Error {
  constructor() {
    super("[workflow-replay] The history walk stopped here.");
    this.name = "WalkStop";
  }
}

const CLOSED_PORT: QStashPort = closedPort();

/**
 * Matches today's steps to recorded positions: by name first (wherever it was recorded), else in
 * place of the next unmatched recorded step of the same type (a rename). A later step that claims
 * that recorded step by name takes it back (the earlier one was inserted, not renamed).
 */
class Matcher {
  private readonly claimedBy = new Map<number, CodeStep>();
  private lastPosition = 0;

  constructor(private readonly recorded: RecordedPosition[]) {}

  claim(step: CodeStep): void {
    const named = this.recorded.find((r) => r.name === step.name && this.claimedBy.get(r.position)?.claim?.how !== "name");
    if (named) {
      const previous = this.claimedBy.get(named.position);
      if (previous) previous.claim = undefined;
      this.take(step, named, "name");
      return;
    }
    const next = this.recorded.find((r) => r.position > this.lastPosition && !this.claimedBy.has(r.position));
    if (next && next.type === step.type && !this.recorded.some((r) => r.name === step.name)) this.take(step, next, "position");
  }

  private take(step: CodeStep, recorded: RecordedPosition, how: "name" | "position"): void {
    step.claim = { recorded, how };
    this.claimedBy.set(recorded.position, step);
    this.lastPosition = recorded.position;
  }

  /** Whether a recorded step is still unmatched. */
  anyUnclaimed(): boolean {
    return this.recorded.some((r) => !this.claimedBy.has(r.position));
  }
}

interface Issued {
  lazy: LazyStep;
  step: CodeStep;
}

/**
 * Stands in for the executor during the walk: groups steps with the SDK's deferred window,
 * serves each step the recorded result it matched, and never runs a step function.
 */
class WalkExecutor implements ContextExecutor {
  abortThrown: { stepName: string } | undefined;
  /** Today's steps, in the order the code issued them. */
  readonly issued: CodeStep[] = [];
  stopped: { ended: WalkEnd } | undefined;
  private stepCount = 0;
  private units = 0;
  private active: Issued[] | undefined;
  private readonly served = new WeakMap<Issued[], Promise<unknown[]>>();
  private onStop: (() => void) | undefined;
  readonly stoppedPromise = new Promise<void>((resolve) => (this.onStop = resolve));

  /** @param steps the recorded history: what `context.steps` reads, as in the delivery QStash would send */
  constructor(
    private readonly matcher: Matcher,
    readonly steps: Step[],
  ) {}

  private stop(ended: WalkEnd): never {
    if (!this.stopped) {
      this.stopped = { ended };
      this.onStop?.();
    }
    throw new WalkStop();
  }

  /** The walk matches steps by name, not by position: every step takes `addStep` (no fast path). */
  memoizedRun(): undefined {
    return undefined;
  }

  /** The walk does not check for unawaited steps (the replay's detectors do). */
  observes(): boolean {
    return false;
  }

  async addStep<T>(lazy: LazyStep<T>, _handle: StepHandle): Promise<T> {
    if (this.stopped) throw new WalkStop();
    this.stepCount += 1;
    const step: CodeStep = { position: this.stepCount, name: lazy.stepName, type: lazy.stepType, inputs: lazy.inputs(), unit: -1, width: 1 };
    let list = this.active;
    if (!list) {
      list = [];
      this.active = list;
    }
    list.push({ lazy: lazy as LazyStep, step });
    const index = list.length - 1;
    const group = list;
    // the SDK's window: deferExecution() (two awaits), then a .then callback — three microtasks
    const values = (async () => {
      await Promise.resolve();
      await Promise.resolve();
    })().then(async () => {
      let served = this.served.get(group);
      if (!served) {
        served = this.serve(group);
        this.served.set(group, served);
        this.active = undefined;
      }
      return served;
    });
    return (await values)[index] as T;
  }

  private async serve(list: Issued[]): Promise<unknown[]> {
    if (this.stopped) throw new WalkStop();
    const unit = this.units++;
    for (const { step } of list) {
      step.unit = unit;
      step.width = list.length;
      this.issued.push(step);
      this.matcher.claim(step);
    }
    const values: unknown[] = [];
    for (const { lazy, step } of list) {
      const recorded = step.claim?.recorded;
      if (recorded && !recorded.result) this.stop("pending-step");
      if (!recorded && !this.matcher.anyUnclaimed()) this.stop("new-step");
      // A step the history does not hold gets an empty result (void for sleeps, a timed-out wait);
      // types that cannot be empty end the walk.
      const source: Step = recorded?.result ?? ({ stepId: step.position, stepName: step.name, stepType: step.type, concurrent: list.length } as Step);
      try {
        values.push(lazy.parseOut(source));
      } catch {
        this.stop(recorded ? "threw" : "new-step");
      }
    }
    return values;
  }
}

export interface WalkOptions {
  payload: unknown;
  /** The recorded history's steps (what `context.steps` reads during the walk). */
  steps: Step[];
  env: Record<string, string | undefined>;
  headers: Record<string, string>;
  workflowRunId: string;
  url: string;
  createdAt: number;
  /** The replay's resolved options: the seed, the handlers, the labels, and the delivery timeout that bounds the walk. */
  run: RuntimeOptions;
}

/**
 * Runs today's route once over the recorded history, every step served from the history (matched
 * by name, so the walk continues past renamed, inserted, removed and reordered steps) and no step
 * function ever executed. Globals are patched and the network intercepted as in a replay.
 */
export async function walkHistory(
  route: RouteFunction<unknown, unknown>,
  recorded: RecordedPosition[],
  options: WalkOptions,
): Promise<WalkOutcome> {
  return withRuntime(options.run, async (runtime) => {
    // the clock stands at the run's creation; the user's stream is the replay's
    runtime.patchGlobals({ now: () => options.createdAt, origin: options.createdAt, onRead() {} });
    runtime.interceptNetwork({ onRequest() {} });
    const walker = new WalkExecutor(new Matcher(recorded), options.steps);
    const context = new MockWorkflowContext(
      {
        workflowRunId: options.workflowRunId,
        workflowRunCreatedAt: options.createdAt,
        url: options.url,
        requestPayload: options.payload,
        headers: new Headers(options.headers),
        env: options.env,
        labels: options.run.labels,
        retried: 0,
        qstashClient: undefined as never,
        port: CLOSED_PORT,
      },
      walker,
    );
    const frame = { owner: {}, invocation: 0, dryRun: false };
    const settle = new Promise<unknown>((resolve) => resolve(runInFrame(frame, () => route(routeContext(context))))).then(
      () => ({ ended: "returned" as WalkEnd }),
      (error: unknown) => ({ ended: "threw" as WalkEnd, error }),
    );
    const stopped = walker.stoppedPromise.then(() => ({ ended: walker.stopped!.ended }));
    const outcome: { ended: WalkEnd; error?: unknown } = await withDeadline(Promise.race([settle, stopped]), options.run.deliveryTimeout, () => ({
      ended: "stalled" as WalkEnd,
    }));
    let ended = walker.stopped?.ended ?? outcome.ended;
    // context.cancel() ends the route like a return: the plan is complete.
    if (ended === "threw" && walker.abortThrown?.stepName === "cancel") ended = "returned";
    const error = outcome.error;
    // A route the walk stopped may never settle: the runtime closes its delivery frame when the walk
    // ends (the replay that follows would take itself for a nested one).
    return {
      steps: walker.issued,
      ended,
      ...(ended === "threw" && error !== undefined ? { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } : {}),
    };
  });
}
