import type { DetectorFactory } from "./detector.js";
import { nonIdempotentStep } from "./non-idempotent-step.js";

/** Every detector, one module per finding kind. */
export const FACTORIES: DetectorFactory[] = [
  nonIdempotentStep,
];
