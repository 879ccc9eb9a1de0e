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
  /** Set when the frame is first run: the replay generation it belongs to (step frames of ended ones are fenced). */
  era?: number;
}

/**
 * Step frames live in an AsyncLocalStorage, so async work started inside a step function is
 * attributed to the step. The storage is enabled only while a step function runs (one per delivery)
 * or while a step some ended replay gave up on may still run (see {@link fencedFrame}):
 * AsyncLocalStorage's promise hooks cost on every promise, and the memoized replay of hundreds of
 * steps per delivery creates many. Deliveries never overlap (the replay lock, one delivery at a time),
 * so the delivery frame itself is a plain variable.
 */
const storage = new AsyncLocalStorage<ScopeFrame>();
let deliveryFrame: ScopeFrame | undefined;
let runningSteps = 0;

/** Bumped when a replay ends: steps still pending from it (abandoned after a deadline) no longer count. */
let generation = 0;
/** Step frames of the replay now running whose function has not settled yet. */
const running = new Set<ScopeFrame>();
/**
 * Steps an ended replay gave up on that may still run: one token each, dropped when the step settles
 * or when its frame is garbage-collected (then no code can run in it any more).
 */
const abandoned = new Set<object>();
const abandonedTokens = new WeakMap<ScopeFrame, object>();
const collected = new FinalizationRegistry<object>((token) => forget(token));

/** What the network layer does while abandoned work exists outside any replay (set by network.ts). */
export interface FenceHooks {
  /** The first abandoned step appeared. */
  started(): void;
  /** The last abandoned step settled or was collected. */
  ended(): void;
}
let fenceHooks: FenceHooks | undefined;

/** Lets the network layer fence requests of abandoned work between replays. */
export function setFenceHooks(hooks: FenceHooks): void {
  fenceHooks = hooks;
}

function storeOn(): boolean {
  return runningSteps > 0 || abandoned.size > 0;
}

function forget(token: object): void {
  if (!abandoned.delete(token)) return;
  if (abandoned.size === 0) {
    if (runningSteps === 0) storage.disable();
    fenceHooks?.ended();
  }
}

/** The step frame of this async context, whichever replay it belongs to. */
function storedFrame(): ScopeFrame | undefined {
  return storeOn() ? storage.getStore() : undefined;
}

export function currentFrame(): ScopeFrame | undefined {
  const step = storedFrame();
  if (step !== undefined && step.era === generation) return step;
  return step === undefined ? deliveryFrame : undefined;
}

/** The frame of the step function running in this async context, if any (never a delivery's). */
export function currentStepFrame(): ScopeFrame | undefined {
  const step = storedFrame();
  return step !== undefined && step.era === generation ? step : undefined;
}

/**
 * The frame of a step whose replay already ended when the code running now belongs to it: work a
 * timed-out delivery abandoned, woken after its replay returned (or during a later one). Such code
 * is fenced: its requests fail, and it reads neither a later replay's clock nor its random stream.
 * Undefined for everything else, and always when no abandoned step may still run (cheap then).
 */
export function fencedFrame(): ScopeFrame | undefined {
  if (abandoned.size === 0) return undefined;
  const step = storage.getStore();
  return step !== undefined && step.era !== generation ? step : undefined;
}

/** Whether a step some ended replay gave up on may still run (the network fence is up between replays). */
export function hasAbandonedWork(): boolean {
  return abandoned.size > 0;
}

function releaseStep(frame: ScopeFrame, of: number): void {
  if (of !== generation) {
    const token = abandonedTokens.get(frame);
    if (token !== undefined) {
      collected.unregister(token);
      forget(token);
    }
    return;
  }
  running.delete(frame);
  runningSteps -= 1;
  if (!storeOn()) storage.disable();
}

/** A step started by work an ended replay abandoned (its route body, woken later): fenced from the start. */
function runAbandoned<T>(frame: ScopeFrame, fn: () => T): T {
  const token = {};
  const first = abandoned.size === 0;
  abandoned.add(token);
  abandonedTokens.set(frame, token);
  collected.register(frame, token, token);
  if (first) fenceHooks?.started();
  return afterSettling(() => storage.run(frame, fn), () => {
    collected.unregister(token);
    forget(token);
  });
}

/**
 * Ends every frame when a replay ends, however it ends: work a timed-out delivery abandoned keeps no
 * delivery frame set, and its step frames are fenced (see {@link fencedFrame}) until they settle or
 * can no longer run: later code is never attributed to the ended replay, nor to the next one.
 */
export function closeFrames(): void {
  generation += 1;
  deliveryFrame = undefined;
  const first = abandoned.size === 0 && running.size > 0;
  for (const frame of running) {
    const token = {};
    abandoned.add(token);
    abandonedTokens.set(frame, token);
    collected.register(frame, token, token);
  }
  running.clear();
  runningSteps = 0;
  if (!storeOn()) storage.disable();
  if (first) fenceHooks?.started();
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
  // a frame keeps the generation it was first run in: a step frame spread from its delivery's frame
  // inherits it, so a step the abandoned route body of an ended replay starts later is fenced too
  const of = (frame.era ??= generation);
  if (frame.step) {
    if (of !== generation) return runAbandoned(frame, fn);
    runningSteps += 1;
    running.add(frame);
    return afterSettling(() => storage.run(frame, fn), () => releaseStep(frame, of));
  }
  const previous = deliveryFrame;
  deliveryFrame = frame;
  return afterSettling(fn, () => {
    if (deliveryFrame === frame) deliveryFrame = previous;
  });
}
