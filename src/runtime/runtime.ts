import type { SimulatorOptions } from "../engine/simulator-options.js";
import { Simulator } from "../engine/simulator.js";
import { AppQStash } from "../qstash/app-qstash.js";
import { patchGlobals, type GlobalsController, type PatchedGlobals } from "../sandbox/globals.js";
import { withReplayLock } from "../sandbox/lock.js";
import { interceptNetwork, type NetworkController } from "../sandbox/network.js";
import { closeFrames } from "../sandbox/scope.js";
import { installVirtualTimers } from "../sandbox/virtual-timers.js";
import type { RuntimeOptions } from "./options.js";
import { seededStreams, type SeededStreams } from "./streams.js";

/**
 * One run's runtime: its resolved options and seeded streams, the QStash model, and the sandbox
 * around user code (patched globals, virtual timers, network interception, delivery frames). Every
 * piece a driver installs is undone by one {@link Runtime.dispose}, in reverse order; the frames
 * are closed last. `replay()`, `replayHandler()` and the history walk are drivers over it
 * (decision 1703). Use it through {@link withRuntime}, which also holds the replay lock.
 */
export class Runtime {
  readonly streams: SeededStreams;
  private readonly disposers: Array<() => void | Promise<void>> = [closeFrames];
  private simulator: Simulator | undefined;
  private app: AppQStash | undefined;
  private patched: PatchedGlobals | undefined;

  constructor(readonly options: RuntimeOptions) {
    this.streams = seededStreams(options.seed);
  }

  /** Builds the run's QStash model from the resolved options (once per runtime). */
  startSimulator(driver: Pick<SimulatorOptions, "endpointFor" | "onDelivery">): Simulator {
    if (this.simulator) throw new Error("[workflow-replay] Internal error: the runtime's simulator was started twice. Please report this.");
    const o = this.options;
    this.simulator = new Simulator({
      ...(o.platform.host ? { host: o.platform.host } : {}),
      startTime: o.startTime,
      prng: this.streams.harness,
      handlers: o.handlers,
      ...driver,
      events: o.events,
      webhooks: o.webhooks,
      maxInvocations: o.maxInvocations,
      until: o.until,
      faults: o.faults,
      callTimeout: o.deliveryTimeout,
    });
    return this.simulator;
  }

  /** The run's QStash model (after {@link startSimulator}). */
  get sim(): Simulator {
    if (!this.simulator) throw new Error("[workflow-replay] Internal error: the runtime's simulator is not started. Please report this.");
    return this.simulator;
  }

  /** What the application's own QStash calls (publish, schedules, queues) are answered by, on the run's clock. */
  get appQStash(): AppQStash {
    return (this.app ??= new AppQStash(() => this.sim.now));
  }

  /** The patched globals (after {@link patchGlobals}). */
  get globals(): PatchedGlobals {
    if (!this.patched) throw new Error("[workflow-replay] Internal error: the runtime's globals are not patched. Please report this.");
    return this.patched;
  }

  /**
   * Patches the globals over the user's seeded stream. The clock is the simulator's and the
   * performance.now() origin the start time, unless the driver gives its own.
   */
  patchGlobals(ctrl: Pick<GlobalsController, "onRead"> & Partial<Pick<GlobalsController, "now" | "origin">>): PatchedGlobals {
    const globals = patchGlobals({
      now: ctrl.now ?? (() => this.sim.now),
      origin: ctrl.origin ?? this.options.startTime,
      prng: this.streams.user,
      onRead: ctrl.onRead,
    });
    this.defer(() => globals.restore());
    this.patched = globals;
    return globals;
  }

  /** Drives `setTimeout` and `node:timers/promises` from the simulator's virtual clock. */
  installTimers(): void {
    this.defer(installVirtualTimers(this.sim.timers));
  }

  /** Intercepts the network with the run's `handlers` in front. */
  interceptNetwork(ctrl: Omit<NetworkController, "handlers">): void {
    this.defer(interceptNetwork({ handlers: this.options.handlers, ...ctrl }));
  }

  /** Runs `disposer` at {@link dispose}, before everything installed earlier is undone. */
  defer(disposer: () => void | Promise<void>): void {
    this.disposers.push(disposer);
  }

  /**
   * Undoes everything, last installed first; every step runs even when one throws (the first error
   * is rethrown). Synchronous unless a disposer returns a promise: user code left running by a
   * timed-out delivery gets no microtask turn between two synchronous steps.
   */
  dispose(): void | Promise<void> {
    let failure: { error: unknown } | undefined;
    while (this.disposers.length > 0) {
      const disposer = this.disposers.pop()!;
      let pending: void | Promise<void>;
      try {
        pending = disposer();
      } catch (error) {
        failure ??= { error };
        continue;
      }
      if (pending instanceof Promise) {
        return pending.then(
          () => this.disposeAfter(failure),
          (error: unknown) => this.disposeAfter(failure ?? { error }),
        );
      }
    }
    if (failure) throw failure.error;
  }

  private disposeAfter(failure: { error: unknown } | undefined): void | Promise<void> {
    if (!failure) return this.dispose();
    try {
      const rest = this.dispose();
      if (rest instanceof Promise) return rest.then(() => Promise.reject(failure.error), () => Promise.reject(failure.error));
    } catch {
      // the first error wins
    }
    throw failure.error;
  }
}

/**
 * Runs `body` over a fresh {@link Runtime} when no other replay runs, and disposes the runtime
 * however `body` ends.
 *
 * @example
 * ```ts
 * const output = await withRuntime(resolveRuntimeOptions(options, "replay"), async (runtime) => {
 *   const sim = runtime.startSimulator({ endpointFor: () => undefined });
 *   runtime.patchGlobals({ onRead() {} });
 *   runtime.installTimers();
 *   runtime.interceptNetwork({ onRequest() {} });
 *   await sim.runToEnd();
 * });
 * ```
 */
export function withRuntime<T>(options: RuntimeOptions, body: (runtime: Runtime) => Promise<T>): Promise<T> {
  return withReplayLock(async () => {
    const runtime = new Runtime(options);
    try {
      return await body(runtime);
    } finally {
      const pending = runtime.dispose();
      if (pending) await pending;
    }
  });
}
