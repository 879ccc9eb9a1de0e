import type { NotifyResponse, Step } from "@upstash/workflow";
import type { InvokeSubmission, WaitSubmission } from "../context/io.js";
import type { VirtualTimers } from "../sandbox/virtual-timers.js";
import type { ReplayError, RunStatus } from "../types.js";
import type { Message } from "./message-queue.js";
import type { SimulatorOptions } from "./simulator-options.js";
import type { RunConfig, RunState } from "./wire-types.js";

/**
 * The simulator as its collaborators (calls, waits, invoke, ports) see it. They take this
 * interface, not the class, so no part imports the simulator that composes them.
 */
export interface SimulationCore {
  readonly now: number;
  readonly runs: ReadonlyMap<string, RunState>;
  readonly options: SimulatorOptions;
  /** Timers set while a delivery or a `context.call` target runs advance `now` instead of waiting. */
  readonly timers: VirtualTimers;
  /** Queues a message `delayMs` from now, or at the absolute time `at`. */
  enqueue(delayMs: number, message: Message, at?: number): void;
  messageId(): string;
  startRun(config: RunConfig): RunState;
  /** Publishes a step QStash produced itself (a wait's end, a child's result) and queues its delivery. */
  appendStep(run: RunState, step: Step, delayMs: number, at?: number): void;
  endRun(run: RunState, status: RunStatus, error?: ReplayError, output?: string): void;
  /** Stops the simulation with `error`, failing `run` when given. */
  halt(error: ReplayError, run?: RunState): void;
  /** Notes a step the current delivery submitted (the delivery record lists them). */
  noteSubmitted(step: Step): void;
  registerWait(run: RunState, wait: WaitSubmission): void;
  notify(eventId: string, eventData: unknown, workflowRunId?: string): NotifyResponse[];
  startChild(parent: RunState, invoke: InvokeSubmission): void;
}
