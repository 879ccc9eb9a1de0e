// One concept, over 400 lines: the port of the SDK's AutoExecutor. Its fast memoized path (decision
// 1800) shares the executor's private window state (the open group, the step and plan counters) and
// must change with it, so both live here.
import { WorkflowAbort, WorkflowError, type Step, type StepType } from "@upstash/workflow";
import type { GroupFormedEvent, ReplayObserver, StepIssuedEvent } from "../engine/observer.js";
import { isInstanceOf } from "../errors.js";
import { afterExecutionDispatch } from "./sdk-ticks.js";
import { captureSite, userLocation, type CapturedSite } from "../sandbox/location.js";
import { currentFrame } from "../sandbox/scope.js";
import { exactPath } from "./exact-path.js";
import { FastVisit, type VisitGroup, type VisitHost } from "./fast-visit.js";
import type { LazyStep, StepRuntime } from "./lazy-step.js";
import { validateParallelSteps, validateStep } from "./validate-steps.js";

/**
 * Whether user code consumed a step's promise. Only steps at or beyond the history frontier (the ones
 * a delivery may execute) are observed — every step is at the frontier in exactly one delivery, so
 * an unawaited step is still caught once, at linear cost; handles of memoized steps read `awaited: true`.
 */
export interface StepHandle {
  awaited: boolean;
  /** Set by the executor when the step is issued. */
  position?: number;
  /** The context method the user called: stack frames above it are the harness's, so a call site is taken from there. */
  entry?: Function;
  /** Marked handled only if the step fails (see `track` in mock-context.ts). */
  lazy?: boolean;
  /** A lazy handle's promise, until it is marked handled. */
  promise?: Promise<unknown>;
  /** A lazy handle's step failed before its promise was tracked. */
  failed?: boolean;
}

/**
 * A pass's say in how steps are served (the straight-through pass of the lost-step-state detector):
 * `memoized` gets each memoized lone step and the value user code would see, and returns the value
 * user code gets instead; `frontier` runs before a pass stops at a step past the recorded history.
 * A run's executor has none. With a hook set the fast memoized path is never taken.
 */
export interface InlineSteps {
  memoized(lazy: LazyStep, value: unknown, position: number): unknown;
  frontier?(lazy: LazyStep, position: number): Promise<void>;
}

/** The observed step handles of one delivery, for the unawaited-step detector. */
export interface IssuedStep {
  name: string;
  position: number;
  handle: StepHandle;
}

/**
 * The harness's port of the SDK's AutoExecutor: positional matching against the delivered steps,
 * the deferred window that forms parallel groups, the first/partial/discard/last protocol,
 * one new step per delivery and the WorkflowAbort that ends it. Error texts are the SDK's.
 */
export class Executor implements VisitHost {
  private stepCount = 0;
  private planStepCount = 0;
  private readonly nonPlanStepCount: number;
  private executingStep: string | false = false;
  /** The group being formed in the current window (the SDK's activeLazyStepList). */
  private activeGroup: VisitGroup | undefined;
  private indexInCurrentList = 0;
  private sortedCache: Step[] | undefined;
  /** Set once an abort was thrown to user code in this delivery. */
  abortThrown: { stepName: string } | undefined;
  /** The step executed in this delivery, if any. */
  executed: { step: LazyStep; result: Step } | undefined;
  /** Frontier steps and their handles, for the deliveryEnd event (filled only when an observer listens to it). */
  readonly issued: IssuedStep[] = [];
  /** Names served from history in this delivery, in order. */
  readonly replayed: string[] = [];
  /** Frontier steps whose promise has not settled yet, by position (names the step a hung delivery waits for). */
  readonly inFlight = new Map<number, string>();
  /** Step functions started in this delivery and not settled yet, by step id (a hang names the right branch). */
  readonly running = new Map<number, string>();
  /** Call sites of steps that may execute in this delivery (taken once per delivery, not per visit). */
  private readonly callSites = new Map<LazyStep, CapturedSite>();

  constructor(
    /** The steps of the delivery (what `context.steps` reads). */
    readonly steps: Step[],
    private readonly runtime: StepRuntime,
    private readonly invocation: number,
    private readonly mode: "run" | "perturbation",
    private readonly observer: ReplayObserver | undefined,
    private readonly inline?: InlineSteps,
  ) {
    let count = 0;
    for (const step of steps) {
      if (!step.targetStep) count++;
      else (this.planned ??= new Set()).add(step.targetStep);
    }
    this.nonPlanStepCount = count;
    this.partialTarget = steps.at(-1)?.targetStep || undefined;
  }

  /** Positions planned as part of a parallel group (each runs in its own partial delivery). */
  private planned: Set<number> | undefined;
  /** The position a partial-parallel delivery runs (its last step is that position's plan step). */
  private readonly partialTarget: number | undefined;

  /**
   * Whether the step at `position` may execute in this delivery (and so needs its call site for
   * stepExecuted): in a partial delivery only the targeted position; otherwise any position not
   * already planned in a parallel group (those run in their own partial deliveries).
   */
  private mayExecute(position: number): boolean {
    return this.partialTarget !== undefined ? position === this.partialTarget : !this.planned?.has(position);
  }

  /** `wrapStep`: flags the step as executing only while its function runs synchronously. */
  wrapStep<T>(stepName: string, fn: () => T): T {
    // As the SDK: a step function that throws synchronously leaves the flag set, so a step issued
    // later in the same delivery fails as nested (docs/reference/protocol.md §9).
    this.executingStep = stepName;
    const result = fn();
    this.executingStep = false;
    return result;
  }

  /** Whether the step at this handle's position is observed for the unawaited-step check. */
  observes(handle: StepHandle): boolean {
    // Only the deliveryEnd event reads `awaited` (the unawaited-step check): with no listener the
    // frontier's promise gets no `constructor` getter, as the SDK's has none.
    return this.observer?.deliveryEnd !== undefined && handle.position !== undefined && handle.position >= this.nonPlanStepCount;
  }

  async addStep<T>(lazy: LazyStep<T>, handle: StepHandle): Promise<T> {
    if (this.executingStep) {
      throw new WorkflowError(
        `A step can not be run inside another step. Tried to run '${lazy.stepName}' inside '${this.executingStep}'`,
      );
    }
    this.stepCount += 1;
    const position = this.stepCount;
    handle.position = position;
    const frontier = position >= this.nonPlanStepCount;
    let site: CapturedSite | undefined;
    const mayExecute = frontier && this.mayExecute(position);
    if (frontier) {
      if (this.observer?.deliveryEnd) this.issued.push({ name: lazy.stepName, position, handle });
      this.inFlight.set(position, lazy.stepName);
      if (this.observer?.stepExecuted && mayExecute) {
        site = captureSite(handle.entry);
        this.callSites.set(lazy as LazyStep, site);
      }
    }
    // A memoized Run step that starts its own window and matches the recorded step at its position
    // is a faithful replay of history: nothing a detector compares can differ (Run steps have no
    // inputs, and the executor validates name and type). Observers that opt in skip such visits —
    // the quadratic part of a run — and still see every other issue, every group and every frontier step.
    const consistent =
      !frontier &&
      this.observer?.skipConsistentVisits === true &&
      this.activeGroup === undefined &&
      lazy.stepType === "Run" &&
      this.matchesRecorded(lazy, position);
    if (this.observer?.stepIssued && !consistent) this.observer.stepIssued(this.issuedEvent(lazy, position, handle, mayExecute, site));
    let group = this.activeGroup;
    if (!group) {
      group = { steps: [], promise: undefined, consistent };
      this.activeGroup = group;
      this.indexInCurrentList = 0;
    } else {
      group.consistent = false;
    }
    group.steps.push(lazy as LazyStep);
    const index = this.indexInCurrentList++;
    // Exactly the SDK's window: `deferExecution()` (two awaits) and then a `.then` callback, so a step
    // issued up to three microtasks later joins the group, as it does in production.
    const formed = group;
    const requestComplete = this.deferExecution().then(async () => {
      if (!formed.promise) {
        formed.promise = this.execute(formed.steps, formed.consistent);
        this.activeGroup = undefined;
        this.planStepCount += formed.steps.length > 1 ? formed.steps.length : 0;
      }
      return formed.promise;
    });
    if (!frontier) return Executor.getResult(formed.steps, await requestComplete, index) as T;
    try {
      return Executor.getResult(formed.steps, await requestComplete, index) as T;
    } finally {
      this.inFlight.delete(position);
    }
  }

  /**
   * The fast path of the visit a replay makes most: a lone memoized `context.run` whose recorded step
   * at its position has its name and type. Returns undefined when the step does not qualify (the
   * caller then takes the exact path); otherwise the step is issued exactly as {@link addStep} issues
   * it and one {@link FastVisit} answers it with the SDK's microtask ticks (see `memoizedVisit`).
   *
   * It never takes the last memoized step of a delivery (the SDK awaits a lifecycle dispatch there),
   * nor a frontier step, nor a step issued while another window is open or inside a step function.
   */
  memoizedRun<T>(lazy: LazyStep<T>, handle: StepHandle, onFailure: (handle: StepHandle) => void): Promise<T> | undefined {
    if (exactPath.forced || this.inline || this.executingStep || this.activeGroup !== undefined) return undefined;
    const position = this.stepCount + 1;
    if (position + 1 >= this.nonPlanStepCount) return undefined;
    const recorded = this.steps[position + this.planStepCount];
    if (recorded === undefined || recorded.targetStep || recorded.stepName !== lazy.stepName || recorded.stepType !== "Run") return undefined;
    if (recorded.out !== undefined && typeof recorded.out !== "string") return undefined;
    this.stepCount = position;
    handle.position = position;
    exactPath.fastVisits++;
    const consistent = this.observer?.skipConsistentVisits === true;
    if (this.observer?.stepIssued && !consistent) this.observer.stepIssued(this.issuedEvent(lazy, position, handle, false));
    const group: VisitGroup = { steps: [lazy as LazyStep], promise: undefined, consistent };
    this.activeGroup = group;
    this.indexInCurrentList = 1;
    return this.memoizedVisit(group, recorded, handle, onFailure) as Promise<T>;
  }

  /**
   * One visit for what the exact path spreads over seven frames (context.run, its addStep, the
   * executor's addStep, deferExecution, the window's \`.then\` callback, runSingle and the promise
   * resolutions between them), with the same microtask ticks: see {@link FastVisit}.
   */
  private memoizedVisit(group: VisitGroup, recorded: Step, handle: StepHandle, onFailure: (handle: StepHandle) => void): Promise<unknown> {
    return FastVisit.start(this, group, recorded, handle, onFailure);
  }

  /** {@link VisitHost.closeLone}: the window closes at depth 3, as in the exact path's `.then` callback. */
  closeLone(group: VisitGroup, recorded: Step): unknown {
    this.activeGroup = undefined;
    if (this.observer?.groupFormed && !group.consistent) {
      this.observer.groupFormed(new GroupEvent(this.invocation, this.mode, this.stepCount, group.steps));
    }
    const lazy = group.steps[0]!;
    this.replayed.push(lazy.stepName);
    return lazy.parseOut(recorded);
  }

  /** {@link VisitHost.closeJoined}: another step joined the fast visit's window; the group executes. */
  closeJoined(group: VisitGroup): Promise<unknown> {
    exactPath.joinedVisits++;
    group.promise = this.execute(group.steps, group.consistent);
    this.activeGroup = undefined;
    this.planStepCount += group.steps.length;
    return group.promise;
  }

  /** {@link VisitHost.joinedResult}. */
  joinedResult(group: VisitGroup, result: unknown): unknown {
    return Executor.getResult(group.steps, result, 0);
  }

  private async deferExecution(): Promise<void> {
    await Promise.resolve();
    await Promise.resolve();
  }

  /** `site`: the call site already taken for this step (same stack), reused instead of a second stack trace. */
  private issuedEvent(lazy: LazyStep, position: number, handle: StepHandle, mayExecute: boolean, site?: CapturedSite): StepIssuedEvent {
    const frame = currentFrame();
    return {
      invocation: this.invocation,
      mode: this.mode,
      position,
      name: lazy.stepName,
      type: lazy.stepType,
      inputs: lazy.inputs(),
      parentStep: frame?.step,
      ...(this.abortThrown ? { afterAbort: this.abortThrown } : {}),
      memoized: position < this.nonPlanStepCount,
      mayExecute,
      location: site ? site.resolve : userLocation,
      site: site ? () => site : captureSite,
      handle,
    };
  }

  /** Whether the recorded step a lone step at `position` would be matched with has its name and type. */
  private matchesRecorded(lazy: LazyStep, position: number): boolean {
    const recorded = this.steps[position + this.planStepCount];
    return recorded !== undefined && !recorded.targetStep && recorded.stepName === lazy.stepName && recorded.stepType === lazy.stepType;
  }

  private execute(list: LazyStep[], consistent = false): Promise<unknown> {
    if (this.observer?.groupFormed && !(consistent && list.length === 1)) {
      this.observer.groupFormed(new GroupEvent(this.invocation, this.mode, this.stepCount - (list.length - 1), list));
    }
    return list.length === 1 ? this.runSingle(list[0]!) : this.runParallel(list);
  }

  /**
   * Ends the delivery with the SDK's own WorkflowAbort. It is built without a stack trace: it is
   * thrown from the harness's microtask, so its frames would name only harness code, and capturing
   * them cost a tenth of a short run's time.
   */
  private abort(stepName: string, stepInfo?: Step): never {
    this.abortThrown = { stepName };
    throw stackless(() => new WorkflowAbort(stepName, stepInfo));
  }

  private async runSingle(lazy: LazyStep): Promise<unknown> {
    if (this.stepCount < this.nonPlanStepCount) {
      const step = this.steps[this.stepCount + this.planStepCount]!;
      validateStep(lazy, step);
      this.replayed.push(lazy.stepName);
      const out = lazy.parseOut(step);
      // The SDK awaits its afterExecution lifecycle dispatch on the last memoized step (decision 1505).
      if (this.stepCount + 1 === this.nonPlanStepCount && this.steps.at(-1)!.stepId !== 0) await afterExecutionDispatch();
      return this.inline ? this.inline.memoized(lazy, out, this.stepCount) : out;
    }
    const result = await this.submitSingle(lazy, this.stepCount, 1);
    this.abort(lazy.stepName, result);
  }

  private async submitSingle(lazy: LazyStep, stepId: number, concurrent: number): Promise<Step> {
    // A perturbation pass replays the recorded history only: past its end nothing runs.
    if (this.mode === "perturbation") {
      if (this.inline?.frontier) await this.inline.frontier(lazy, stepId);
      this.abortThrown = { stepName: lazy.stepName };
      throw stackless(() => new WorkflowAbort(lazy.stepName));
    }
    let result: Step;
    try {
      result = await lazy.execute(this.runtime, concurrent, stepId);
    } catch (error) {
      this.emitExecuted(lazy, stepId, undefined, error);
      throw error;
    }
    this.executed = { step: lazy, result };
    this.emitExecuted(lazy, stepId, result, undefined);
    return result;
  }

  private emitExecuted(lazy: LazyStep, stepId: number, result: Step | undefined, error: unknown): void {
    if (!this.observer?.stepExecuted) return;
    this.observer.stepExecuted({
      invocation: this.invocation,
      name: lazy.stepName,
      stepId,
      type: lazy.stepType,
      result: lazy.rawResult,
      out: result?.out as string | undefined,
      ...(error !== undefined ? { error } : {}),
      fn: (lazy as { fn?: Function }).fn,
      site: this.callSites.get(lazy),
      get location() {
        return this.site?.resolve();
      },
    });
  }

  private sorted(): Step[] {
    if (!this.sortedCache) {
      const id = (s: Step) => s.targetStep || s.stepId;
      this.sortedCache = [...this.steps].sort((a, b) => id(a) - id(b));
    }
    return this.sortedCache;
  }

  private async runParallel(list: LazyStep[]): Promise<unknown> {
    const initialStepCount = this.stepCount - (list.length - 1);
    const state = this.parallelState(list.length, initialStepCount);
    const sorted = this.sorted();
    const planned = sorted[initialStepCount + this.planStepCount]?.concurrent;
    if (state !== "first" && planned !== list.length) {
      throw new WorkflowError(
        `Incompatible number of parallel steps when call state was '${state}'. Expected ${list.length}, got ${planned} from the request.`,
      );
    }
    // The SDK's `await this.dispatchDebug("onInfo", ...)` here, and its afterExecution dispatches below (decision 1505).
    await afterExecutionDispatch();
    switch (state) {
      case "first": {
        const plans = list.map((lazy, i) => lazy.planStep(list.length, initialStepCount + i));
        list.forEach((lazy, i) => this.runtime.port.submitStep(plans[i]!, lazy.planDelay()));
        this.abort(plans[0]!.stepName, plans[0]);
        break;
      }
      case "partial": {
        const planStep = this.steps.at(-1);
        if (!planStep || planStep.targetStep === undefined) {
          throw new WorkflowError(
            `There must be a last step and it should have targetStep larger than 0.Received: ${JSON.stringify(planStep)}`,
          );
        }
        const index = planStep.targetStep - initialStepCount;
        const lazy = list[index]!;
        validateStep(lazy, planStep);
        let result: Step;
        try {
          result = await this.submitSingle(lazy, planStep.targetStep, list.length);
        } catch (error) {
          if (isInstanceOf(error, WorkflowAbort)) throw error;
          const wrapped = new WorkflowError(
            `Error submitting steps to QStash in partial parallel step execution: ${String(error)}`,
          );
          (wrapped as { errorStepName?: string }).errorStepName = lazy.stepName;
          throw wrapped;
        }
        this.abort(lazy.stepName, result);
        break;
      }
      case "discard": {
        const last = this.steps.at(-1)!;
        if (list.some((_, i) => last.stepId - i === initialStepCount)) await afterExecutionDispatch();
        this.abortThrown = { stepName: "discarded parallel" };
        throw stackless(() => new WorkflowAbort("discarded parallel"));
      }
      case "last": {
        const results = sorted.filter((s) => s.stepId >= initialStepCount).slice(0, list.length);
        validateParallelSteps(list, results);
        for (const lazy of list) this.replayed.push(lazy.stepName);
        if (this.stepCount + 1 === this.nonPlanStepCount && this.steps.at(-1)!.stepId !== 0) await afterExecutionDispatch();
        return results.map((step, i) => list[i]!.parseOut(step));
      }
    }
    return Array.from({ length: list.length }).fill(undefined);
  }

  private parallelState(width: number, initialStepCount: number): "first" | "last" | "partial" | "discard" {
    let remaining = 0;
    let last: Step | undefined;
    for (const step of this.steps) {
      if ((step.targetStep || step.stepId) >= initialStepCount) {
        remaining++;
        last = step;
      }
    }
    if (remaining === 0) return "first";
    if (remaining >= 2 * width) return "last";
    if (last?.targetStep) return "partial";
    return "discard";
  }

  private static getResult(list: LazyStep[], result: unknown, index: number): unknown {
    if (list.length === 1) return result;
    if (Array.isArray(result) && list.length === result.length && index < list.length) return result[index];
    throw new WorkflowError(
      `Unexpected parallel call result while executing step ${index}: '${String(result)}'. Expected ${list.length} many items`,
    );
  }
}

/**
 * A group-formed event whose name and type lists are built only when read: every memoized visit
 * forms a group (of one), and the detectors read the lists only the first time a position forms one.
 */
class GroupEvent implements GroupFormedEvent {
  private namesCache: string[] | undefined;
  private typesCache: StepType[] | undefined;
  readonly width: number;

  constructor(
    readonly invocation: number,
    readonly mode: "run" | "perturbation",
    readonly firstPosition: number,
    private readonly list: LazyStep[],
  ) {
    this.width = list.length;
  }

  get names(): string[] {
    return (this.namesCache ??= this.list.map((s) => s.stepName));
  }

  get types(): StepType[] {
    return (this.typesCache ??= this.list.map((s) => s.stepType));
  }
}

function stackless<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
