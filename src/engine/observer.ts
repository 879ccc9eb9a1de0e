import type { StepType } from "@upstash/workflow";
import type { NondeterministicSource } from "../sandbox/globals.js";
import type { ScopeFrame } from "../sandbox/scope.js";
import type { CapturedSite } from "../sandbox/location.js";
import type { SourceLocation } from "../types.js";

/** Inputs of a step that production code must keep stable between deliveries. */
export type StepInputs = Record<string, unknown>;

/** A step method was called by user code (memoized or new). */
export interface StepIssuedEvent {
  invocation: number;
  /** The auth dry run (DisabledWorkflowContext) or a perturbation pass. */
  mode: "run" | "dry-run" | "perturbation";
  /** 1-based position in the step plan (the SDK's stepCount). */
  position: number;
  name: string;
  type: StepType;
  inputs: StepInputs;
  /** The step whose function was running when this step was issued (a nested step). */
  parentStep?: { name: string; id: number };
  /** Set when a WorkflowAbort (or cancel) was already thrown to user code in this delivery. */
  afterAbort?: { stepName: string };
  /** Whether the step will be served from history in this delivery. */
  memoized: boolean;
  /**
   * Whether this delivery may execute (or plan) the step: false for memoized steps and for parallel
   * branches that another delivery runs. Only such steps can end a delivery with their abort.
   */
  mayExecute: boolean;
  /** Lazily taken location of the user's call; valid only while the hook runs. */
  location(): SourceLocation | undefined;
  /**
   * The user's call site, captured (cheaply) while the hook runs and resolved to a location only when
   * asked — keep it to report the location later. Call it inside the hook.
   */
  site(): CapturedSite;
  /**
   * Tracks whether user code awaited (or chained) the returned promise. Only steps at or beyond the
   * history frontier (`!memoized`: the ones this delivery may execute) are observed; every step is at
   * the frontier in exactly one delivery, so an unawaited step is still caught once, at linear cost.
   * Handles of memoized steps read `awaited: true`. Read it after the route moved on (deliveryEnd).
   */
  handle: { awaited: boolean };
}

/** A group of steps issued in the same window (the SDK's deferExecution().then: three microtasks) was formed. */
export interface GroupFormedEvent {
  invocation: number;
  mode: "run" | "perturbation";
  firstPosition: number;
  names: string[];
  types: StepType[];
  width: number;
}

/** A new step was executed in this delivery; `out` is what gets recorded. */
export interface StepExecutedEvent {
  invocation: number;
  name: string;
  stepId: number;
  type: StepType;
  result: unknown;
  out: string | undefined;
  /** Thrown by the step function or by serialization, if any. */
  error?: unknown;
  /** A Run step's function (the lost-step-state detector reads its source). */
  fn?: Function;
  /** The step call's captured site; `location` resolves it on first read. */
  site?: CapturedSite;
  readonly location?: SourceLocation;
}

export interface DeliveryStartEvent {
  invocation: number;
  kind: "step" | "callback" | "failure-callback";
  retried: number;
  bodySteps: number;
  rawPayload: string | undefined;
}

export interface DeliveryEndEvent {
  invocation: number;
  /** The payload object the route saw (the same object in the dry run and the real run). */
  payload: unknown;
  rawPayload: string | undefined;
  status: number;
  outcome: string;
  /** A WorkflowAbort (or cancel) was thrown to user code in this delivery. */
  abortThrown?: { stepName: string };
  /** The route function returned normally (after an abort: the abort was swallowed). */
  routeReturned: boolean;
  /** The auth dry run's abort was caught: the route returned without reaching a step (the SDK answers 400). */
  dryRunAbortCaught?: { stepName: string; error: Error };
  /** What the route function returned (raw, before JSON), when it returned after its real run. */
  returned?: { value: unknown };
  /** Parses the raw payload again with the delivery's parser: the payload as it was before user code ran. */
  reparse?: () => unknown;
  /** Handles of the steps at or beyond the history frontier issued in this delivery, in order (see StepIssuedEvent.handle). */
  issued: Array<{ name: string; position: number; handle: { awaited: boolean } }>;
}

export interface RequestSeenEvent {
  frame: ScopeFrame;
  method: string;
  url: string;
  body?: string;
  /** The request's headers (idempotency keys are read from them). */
  headers?: Headers;
  location(): SourceLocation | undefined;
}

export interface EffectSeenEvent {
  frame: ScopeFrame;
  target: string;
  /** The idempotency key the tracked call carries, if the user's trackEffects options name one. */
  idempotencyKey?: string;
  location(): SourceLocation | undefined;
}

export interface ReadSeenEvent {
  frame: ScopeFrame;
  source: NondeterministicSource;
  location(): SourceLocation | undefined;
}

/** What the engine tells the detectors. Every hook is optional and called synchronously. */
export interface ReplayObserver {
  /**
   * Skip `stepIssued` and `groupFormed` for memoized visits that faithfully replay a recorded Run step
   * (same name and type at the same position, alone in its window). Every step is still seen at least
   * once — at the frontier, where it executes — and every visit that differs from history is seen.
   */
  skipConsistentVisits?: boolean;
  deliveryStart?(event: DeliveryStartEvent): void;
  deliveryEnd?(event: DeliveryEndEvent): void;
  stepIssued?(event: StepIssuedEvent): void;
  groupFormed?(event: GroupFormedEvent): void;
  stepExecuted?(event: StepExecutedEvent): void;
  requestSeen?(event: RequestSeenEvent): void;
  effectSeen?(event: EffectSeenEvent): void;
  readSeen?(event: ReadSeenEvent): void;
}
