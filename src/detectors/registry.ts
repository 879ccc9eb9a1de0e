import type { DetectorFactory } from "./detector.js";
import { callbackDryRun } from "./callback-dry-run.js";
import { caughtStepError } from "./caught-step-error.js";
import { duplicateStepName } from "./duplicate-step-name.js";
import { earlyReturn } from "./early-return.js";
import { lostStepState } from "./lost-step-state.js";
import { limitExceeded } from "./limit-exceeded.js";
import { nestedStep } from "./nested-step.js";
import { nondeterminism } from "./nondeterminism.js";
import { nondeterministicSource } from "./nondeterministic-source.js";
import { nonIdempotentStep } from "./non-idempotent-step.js";
import { nonSerializableResult } from "./non-serializable-result.js";
import { payloadMutation } from "./payload-mutation.js";
import { sideEffectOutsideStep } from "./side-effect-outside-step.js";
import { swallowedAbort } from "./swallowed-abort.js";
import { unawaitedStep } from "./unawaited-step.js";

/** Every detector, one module per finding kind. */
export const FACTORIES: DetectorFactory[] = [
  nondeterminism,
  nondeterministicSource,
  sideEffectOutsideStep,
  duplicateStepName,
  nonSerializableResult,
  nestedStep,
  swallowedAbort,
  unawaitedStep,
  payloadMutation,
  limitExceeded,
  nonIdempotentStep,
  earlyReturn,
  caughtStepError,
  callbackDryRun,
  lostStepState,
];
