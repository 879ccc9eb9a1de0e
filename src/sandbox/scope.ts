import { AsyncLocalStorage } from "node:async_hooks";

/** Where a piece of user code runs: which delivery, whether in the auth dry run, inside which step. */
export interface ScopeFrame {
  /** Identity of the replay that owns the frame (guards against foreign async work). */
  owner: object;
  invocation: number;
  dryRun: boolean;
  /** Set while a step function runs. */
  step?: { name: string; id: number };
  /** Set while the harness runs its own code inside a delivery (context.call, notify). */
  harness?: boolean;
}

/**
 * Step frames live in an AsyncLocalStorage, so async work started inside a step function is
 * attributed to the step. The storage is enabled only while a step function runs (one per delivery):
 * AsyncLocalStorage's promise hooks cost on every promise, and the memoized replay of hundreds of
 * steps per delivery creates many. Deliveries never overlap (the replay lock, one delivery at a time),
 * so the delivery frame itself is a plain variable.
 */
const storage = new AsyncLocalStorage<ScopeFrame>();
let deliveryFrame: ScopeFrame | undefined;
let runningSteps = 0;

export function currentFrame(): ScopeFrame | undefined {
  return (runningSteps > 0 ? storage.getStore() : undefined) ?? deliveryFrame;
}

/** The frame of the step function running in this async context, if any (never a delivery's). */
export function currentStepFrame(): ScopeFrame | undefined {
  return runningSteps > 0 ? storage.getStore() : undefined;
}

/** Bumped when a replay ends: steps still pending from it (abandoned after a deadline) no longer count. */
let generation = 0;

function releaseStep(of: number): void {
  if (of !== generation) return;
  runningSteps -= 1;
  if (runningSteps === 0) storage.disable();
}

/**
 * Ends every frame when a replay ends, however it ends: work a timed-out delivery abandoned keeps no
 * delivery frame set and no step storage enabled, so later code is never attributed to it.
 */
export function closeFrames(): void {
  generation += 1;
  deliveryFrame = undefined;
  if (runningSteps > 0) storage.disable();
  runningSteps = 0;
}

/**
 * Calls `fn` and then `done` once, when `fn` throws, returns, or the promise it returns settles;
 * returns what `fn` returns (the settling is observed without handling the caller's promise for it).
 */
export function afterSettling<T>(fn: () => T, done: () => void): T {
  let result: T;
  try {
    result = fn();
  } catch (error) {
    done();
    throw error;
  }
  if (result instanceof Promise) result.then(done, done);
  else done();
  return result;
}

/**
 * Runs `fn` in `frame`. A frame with `step` scopes the step function (and the async work it starts);
 * any other frame is the delivery's, active until the promise `fn` returns settles.
 */
export function runInFrame<T>(frame: ScopeFrame, fn: () => T): T {
  if (frame.step) {
    runningSteps += 1;
    const of = generation;
    return afterSettling(() => storage.run(frame, fn), () => releaseStep(of));
  }
  const previous = deliveryFrame;
  deliveryFrame = frame;
  const restore = () => {
    if (deliveryFrame === frame) deliveryFrame = previous;
  };
  let result: T;
  try {
    result = fn();
  } catch (error) {
    restore();
    throw error;
  }
  if (result instanceof Promise) result.then(restore, restore);
  else restore();
  return result;
}
