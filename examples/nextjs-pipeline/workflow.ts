import type { RouteFunction } from "@upstash/workflow";

/** One stage of the pipeline; the caller picks which ones run, in which order. */
export type Stage = "fetch" | "summarize" | "email";

export interface PipelinePayload {
  documentId: string;
  stages: Stage[];
  to?: string;
}

/** What each stage does with the previous stage's result. Each runs inside its own step. */
const STAGES: Record<Stage, (input: string, ctx: { runId: string; position: number; to: string }) => Promise<string>> = {
  async fetch(documentId) {
    const response = await fetch(`https://docs.example.com/documents/${encodeURIComponent(documentId)}`);
    if (!response.ok) throw new Error(`docs.example.com answered ${response.status}`);
    return response.text();
  },
  async summarize(text) {
    const sentences = text.split(/(?<=\.)\s+/).filter(Boolean);
    return sentences.slice(0, 2).join(" ");
  },
  async email(text, { runId, position, to }) {
    const response = await fetch("https://mail.example.com/send", {
      method: "POST",
      // The same key on every retry of this step: the mail API sends the email once.
      headers: { "content-type": "application/json", "idempotency-key": `${runId}:${position}` },
      body: JSON.stringify({ to, text }),
    });
    if (!response.ok) throw new Error(`mail.example.com answered ${response.status}`);
    return `sent to ${to}`;
  },
};

/**
 * A dynamic pipeline: the payload lists the stages. Step names carry the stage's position
 * (`fetch-0`, `summarize-1`, `email-2`), so a pipeline that repeats a stage still has unique,
 * stable step names, the same on every delivery.
 */
export const pipeline: RouteFunction<PipelinePayload, string> = async (context) => {
  const { documentId, stages, to = "team@example.com" } = context.requestPayload;
  let value = documentId;
  for (const [position, stage] of stages.entries()) {
    value = await context.run(`${stage}-${position}`, () => STAGES[stage](value, { runId: context.workflowRunId, position, to }));
  }
  return value;
};
