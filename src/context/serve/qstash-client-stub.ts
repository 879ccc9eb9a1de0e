import type { WorkflowContext } from "@upstash/workflow";
import { QSTASH_BASE_URL, SIMULATOR_TOKEN } from "../../engine/constants.js";

/** `context.qstashClient` in replay(): enough for the SDK-shaped fields, and a clear error for anything else. */
export function qstashClientStub(): WorkflowContext["qstashClient"] {
  const fail = (what: string) => () => {
    throw new Error(
      `[workflow-replay] Failed to call context.qstashClient.${what}(): replay() runs without a QStash client. Use the step methods of the context, or replayHandler() to run the real SDK against the QStash simulator.`,
    );
  };
  return {
    batch: fail("batch"),
    batchJSON: fail("batchJSON"),
    publish: fail("publish"),
    publishJSON: fail("publishJSON"),
    // `headers` built on first read: a Headers object costs about 10 µs, once per replay, and routes rarely read it
    http: {
      request: fail("http.request"),
      get headers(): Headers {
        const headers = new Headers();
        Object.defineProperty(this, "headers", { value: headers, writable: true, enumerable: true, configurable: true });
        return headers;
      },
      baseUrl: QSTASH_BASE_URL,
    },
    token: SIMULATOR_TOKEN,
  } as unknown as WorkflowContext["qstashClient"];
}
