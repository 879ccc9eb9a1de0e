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

const storage = new AsyncLocalStorage<ScopeFrame>();

export function currentFrame(): ScopeFrame | undefined {
  return storage.getStore();
}

export function runInFrame<T>(frame: ScopeFrame, fn: () => T): T {
  return storage.run(frame, fn);
}
