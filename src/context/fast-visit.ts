import type { Step } from "@upstash/workflow";
import type { LazyStep } from "./lazy-step.js";

/** The window a fast visit opened (the executor's group of the SDK's `activeLazyStepList`). */
export interface VisitGroup {
  steps: LazyStep[];
  promise: Promise<unknown> | undefined;
  consistent: boolean;
}

/** What a fast visit asks of the executor whose window it opened. */
export interface VisitHost {
  /** Depth 3, alone in the window: close it and return the recorded value (may throw). */
  closeLone(group: VisitGroup, recorded: Step): unknown;
  /** Depth 3, another step joined the window: close it and execute the group, as the exact path's callback does. */
  closeJoined(group: VisitGroup): Promise<unknown>;
  /** The first member's share of the joined group's result (throws as the exact path's `getResult`). */
  joinedResult(group: VisitGroup, result: unknown): unknown;
}

/** Captured at load: user code patching `Promise.prototype.then` later can neither see nor change a visit's jobs. */
const then = Promise.prototype.then;
const RESOLVED = Promise.resolve();

/** The visit whose promise is being constructed: one shared executor function, not a closure per visit. */
let adopting: FastVisit<unknown> | undefined;
function adopt(resolve: (value: unknown) => void, reject: (error: unknown) => void): void {
  adopting!.adoptResolvers(resolve, reject);
}

const CLOSE = 0;
const RESOLVE = 1;
const FAIL = 2;

/**
 * A lone memoized `context.run` answered with the SDK's microtask ticks and no async frame
 * (decision 1800; `docs/performance.md` explains the tick structure). Each job is one reaction on a
 * resolved promise queued by the visit's previous job — exactly what an `await` of a non-promise
 * queues — so user code sees the same depths and the same queue order as with the exact path, at
 * the cost of one promise and one job per tick instead of an async frame's three allocations per
 * `await`. From the call (depth 0): the window closes at depth 3 and the promise user code holds
 * resolves at depth 9 (user code resumes at 10). If another step joined the window by depth 3, the
 * group executes, the exact path's callback promise and `.then`-like promise adopt it (two
 * thenable jobs each), and the visit resolves (or, after `onFailure`, rejects) two jobs after the
 * executor's `addStep` would have resumed.
 *
 * @example
 * return FastVisit.start(executor, group, recorded, handle, suppress);
 */
export class FastVisit<H> {
  private ticks = 0;
  private next = CLOSE;
  private value: unknown;
  private error: unknown;
  private readonly job = (): void => this.run();

  private resolve!: (value: unknown) => void;
  private reject!: (error: unknown) => void;

  private constructor(
    private readonly host: VisitHost,
    private readonly group: VisitGroup,
    private readonly recorded: Step,
    private readonly handle: H,
    private readonly onFailure: (handle: H) => void,
  ) {}

  /** Starts a visit at depth 0 (the `context.run` call); returns the promise user code gets. */
  static start<H>(host: VisitHost, group: VisitGroup, recorded: Step, handle: H, onFailure: (handle: H) => void): Promise<unknown> {
    const visit = new FastVisit(host, group, recorded, handle, onFailure);
    adopting = visit as FastVisit<unknown>;
    const promise = new Promise(adopt);
    adopting = undefined;
    visit.wait(3, CLOSE);
    return promise;
  }

  /** @internal */
  adoptResolvers(resolve: (value: unknown) => void, reject: (error: unknown) => void): void {
    this.resolve = resolve;
    this.reject = reject;
  }

  /** Runs `next` in the job `ticks` jobs after the current one. */
  private wait(ticks: number, next: number): void {
    this.ticks = ticks;
    this.next = next;
    then.call(RESOLVED, this.job);
  }

  private run(): void {
    if (--this.ticks > 0) {
      then.call(RESOLVED, this.job);
      return;
    }
    try {
      if (this.next === RESOLVE) {
        this.resolve(this.value);
      } else if (this.next === FAIL) {
        this.onFailure(this.handle);
        this.reject(this.error);
      } else if (this.group.steps.length > 1) {
        this.joined();
      } else {
        this.value = this.host.closeLone(this.group, this.recorded);
        this.wait(6, RESOLVE);
      }
    } catch (error) {
      this.reject(error);
    }
  }

  /** Depth 3 with a joined window: the exact path's chain from its `.then` callback on. */
  private joined(): void {
    const formed = this.host.closeJoined(this.group);
    const callback = (async () => formed)();
    const requestComplete = new Promise((resolve) => resolve(callback));
    // the job in which the executor's addStep resumes (`await requestComplete`)
    then.call(
      requestComplete,
      (result: unknown) => {
        try {
          this.value = this.host.joinedResult(this.group, result);
        } catch (error) {
          this.error = error;
          this.wait(2, FAIL);
          return;
        }
        this.wait(2, RESOLVE);
      },
      (error: unknown) => {
        this.error = error;
        this.wait(2, FAIL);
      },
    );
  }
}
