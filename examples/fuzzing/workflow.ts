import type { WorkflowContext } from "@upstash/workflow";
import { z } from "zod";

/** What a user sends: a document and the stages to run on it, in any order, repeats allowed. */
export const schema = z.object({
  documentId: z.string().min(1).max(12),
  pipeline: z.array(z.enum(["fetch", "summarize", "email"])).min(1).max(6),
});
export type Payload = z.infer<typeof schema>;

/** One step per stage, named by stage *and position* so names stay unique; the email is idempotent. */
export const route = async (context: WorkflowContext<Payload>) => {
  const { documentId, pipeline } = context.requestPayload;
  let text = documentId;
  for (const [index, stage] of pipeline.entries()) {
    text = await context.run(`${stage}-${index}`, async () => {
      if (stage === "fetch") return `<${text}>`;
      if (stage === "summarize") return text.slice(0, 8);
      await fetch("https://mail.example.test/send", {
        method: "POST",
        headers: { "Idempotency-Key": `${context.workflowRunId}-${index}` },
        body: JSON.stringify({ text }),
      });
      return text;
    });
  }
  return text;
};
