import type { DetectorFactory } from "./detector.js";

/** Every detector, one module per finding kind. */
export const FACTORIES: DetectorFactory[] = [];
