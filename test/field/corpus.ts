// The field corpus: real public Upstash workflows (provenance and the reviewer's verdict in each).
import type { FieldWorkflow } from "./field-workflow.js";
import { bookwiseLeos, bookwiseMinimal, bookwiseMovies, wfRegistration } from "./workflows/bookwise-onboarding.js";
import { agentsetReceiver, bunHono, docsWaitForEvent, goFailing, goSleepTenDays, goWaitForEvent, qstashNative, youtubeQuickstart } from "./workflows/small-apps.js";
import { stripeOnboarding } from "./workflows/stripe-onboarding.js";
import {
  docsClosureResult,
  docsDummyStep,
  docsNested,
  docsNoStep,
  docsRandomBranch,
  docsRethrowAbort,
  docsReturnedResult,
  docsTimeBranch,
} from "./workflows/upstash-docs.js";
import { realtimeBasic, realtimeHumanInLoop, sleepUntilNow } from "./workflows/upstash-realtime.js";
import { emailAnalyzer, imageGen, northStar, sleepWithoutAwait } from "./workflows/upstash-examples.js";

export const field: FieldWorkflow[] = [
  stripeOnboarding,
  northStar,
  sleepWithoutAwait,
  imageGen,
  emailAnalyzer,
  goWaitForEvent,
  goSleepTenDays,
  goFailing,
  youtubeQuickstart,
  agentsetReceiver,
  bunHono,
  qstashNative,
  docsWaitForEvent,
  bookwiseMinimal,
  bookwiseLeos,
  bookwiseMovies,
  wfRegistration,
  realtimeHumanInLoop,
  realtimeBasic,
  sleepUntilNow,
  docsClosureResult,
  docsReturnedResult,
  docsNoStep,
  docsDummyStep,
  docsTimeBranch,
  docsRandomBranch,
  docsNested,
  docsRethrowAbort,
];
