// workflow-replay/fast-check: property-based testing of workflows (fast-check is an optional peer dependency).

// Properties
export { replayProperty, ReplayPropertyError, caseLiteral } from "./replay-property.js";
export { assertReplayProperty } from "./assert-property.js";

// Arbitraries
export { pipeline } from "./pipeline.js";
export { faults } from "./faults.js";
export { zodPayload, SUPPORTED_ZOD_TYPES } from "./zod-payload.js";

// Types
export type { ReplayPredicate, ReplayProperty, ReplayPropertyOptions } from "./replay-property.js";
export type { FaultEvent, FaultSchedule, FaultsOptions } from "./faults.js";
export type { PipelineOptions } from "./pipeline.js";
export type { ZodSchemaLike } from "./zod-payload.js";
