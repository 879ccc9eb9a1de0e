// upstash/workflow-js examples (commit 711837a4d4803c6a1dd856261d4c62d3df96160a).
import { http, HttpResponse } from "msw";
import type { FieldWorkflow } from "../field-workflow.js";

const COMMIT = "711837a4d4803c6a1dd856261d4c62d3df96160a";

type Invoice = { date: number; email: string; amount: number };
type Charge = { invoice: Invoice; success: boolean };

/** examples/nextjs/app/northStar/route.ts: a charge retried by a module-level counter. */
export const northStar: FieldWorkflow = {
  title: "north star: retried charge, then a parallel receipt",
  source: { repo: "upstash/workflow-js", path: "examples/nextjs/app/northStar/route.ts", commit: COMMIT },
  route: () => {
    let counter = 0;
    const attemptCharge = (_invoice: Invoice) => {
      counter += 1;
      if (counter === 3) {
        counter = 0;
        return true;
      }
      return false;
    };
    return async (context) => {
      const x = Math.random();
      const invoice = context.requestPayload as Invoice;
      for (let index = 0; index < 3; index++) {
        const charge = await context.run("attemptCharge", async () => {
          const success = attemptCharge(invoice);
          const charge: Charge = { invoice, success };
          return charge;
        });
        if (charge.success) {
          const [updateDb, receipt] = await Promise.all([
            context.run("updateDb", async () => {
              void x;
              return charge.invoice.amount;
            }),
            context.run("sendReceipt", async () => charge.invoice.email),
          ]);
          void updateDb;
          void receipt;
          return;
        }
        await context.sleep("retrySleep", 2);
      }
      await context.run("paymentFailed", async () => true);
    };
  },
  options: { payload: { date: 1, email: "a@b.test", amount: 42 } },
  bugs: [],
  notes: "attemptCharge and retrySleep repeat at stable positions (works in SDK 1.3.3: warning); Math.random() outside a step only reaches console.log inside steps (warning).",
};

/** examples/nextjs/app/sleepWithoutAwait/route.ts: a sleep inside the parallel group. */
export const sleepWithoutAwait: FieldWorkflow = {
  title: "sleep without await: a sleep as a parallel branch",
  source: { repo: "upstash/workflow-js", path: "examples/nextjs/app/sleepWithoutAwait/route.ts", commit: COMMIT },
  route: () => {
    let counter = 0;
    const attemptCharge = () => {
      counter += 1;
      if (counter === 3) {
        counter = 0;
        return true;
      }
      return false;
    };
    return async (context) => {
      const x = Math.random();
      const invoice = context.requestPayload as Invoice;
      for (let index = 0; index < 3; index++) {
        const charge = await context.run("attemptCharge", async () => ({ invoice, success: attemptCharge() }) as Charge);
        if (charge.success) {
          const [updateDb, receipt, wait] = await Promise.all([
            context.run("updateDb", async () => (void x, 5)),
            context.run("sendReceipt", async () => 10),
            context.sleep("sleep", 5),
          ]);
          void [updateDb, receipt, wait];
          return;
        }
        await context.sleep("retrySleep", 2);
      }
      await context.run("paymentFailed", async () => true);
    };
  },
  options: { payload: { date: 1, email: "a@b.test", amount: 42 } },
  bugs: [],
  notes: "The same stable duplicates as north star (warnings).",
};

const ideogram = [http.post("https://api.ideogram.test/generate", () => HttpResponse.json({ data: [{ url: "https://img.test/1.png" }] }))];

/** examples/image-gen-with-workflow/app/api/workflow/route.ts: context.call, then save in redis. */
export const imageGen: FieldWorkflow = {
  title: "image generation: context.call then a redis write",
  source: { repo: "upstash/workflow-js", path: "examples/image-gen-with-workflow/app/api/workflow/route.ts", commit: COMMIT },
  route: () => {
    const store = new Map<string, unknown>();
    const redis = { get: async (k: string) => store.get(k) ?? null, set: async (k: string, v: unknown) => void store.set(k, v) };
    const PROMPTS = ["a cat", "a dog"];
    const getFetchParameters = (prompt: string) => ({
      url: "https://api.ideogram.test/generate",
      method: "POST" as const,
      body: JSON.stringify({ image_request: { prompt } }),
      headers: { "Content-Type": "application/json" },
    });
    return async (context) => {
      const payload = context.requestPayload as { promptIndex: number };
      const prompt = PROMPTS[payload.promptIndex]!;
      const parameters = getFetchParameters(prompt);
      const { body } = await context.call<{ data: Array<{ url: string }> }>("call image generation API", parameters);
      await context.run("save results in redis", async () => {
        const callKey = context.headers.get("callKey");
        if (!callKey) return;
        await redis.set(callKey, { time: (await redis.get(`time-${callKey}`)) ?? 0, url: body.data[0]!.url });
      });
    };
  },
  options: { payload: { promptIndex: 1 }, headers: { callKey: "k1" }, handlers: ideogram },
  bugs: [],
  notes: "No finding expected.",
};

const llm = [
  http.get("https://files.test/a.pdf", () => new HttpResponse("PDF-BYTES")),
  http.post("https://api.openai.com/v1/chat/completions", () => HttpResponse.json({ choices: [{ message: { content: "Dear ..." } }] })),
  http.post("https://api.resend.com/emails", () => HttpResponse.json({ id: "em_1" })),
];

/** examples/email-analyzer-o1/app/api/analyze/route.ts: a PDF step, context.api.openai, context.api.resend. */
export const emailAnalyzer: FieldWorkflow = {
  title: "email analyzer: PDF step, OpenAI and Resend through context.api",
  source: { repo: "upstash/workflow-js", path: "examples/email-analyzer-o1/app/api/analyze/route.ts", commit: COMMIT },
  route: () => {
    const pdf = async (buffer: Buffer) => ({ text: buffer.toString("utf8") });
    return async (context) => {
      const { message, subject, to, attachment } = context.requestPayload as { message: string; subject: string; to: string; attachment?: string };
      const pdfContent = await context.run("Process PDF Attachment", async () => {
        if (!attachment) return "";
        const response = await fetch(attachment);
        const buffer = Buffer.from(await response.arrayBuffer());
        try {
          return (await pdf(buffer)).text;
        } catch {
          return "Unable to extract PDF content";
        }
      });
      const aiResponse = await context.api.openai.call("get ai response", {
        token: "sk-test",
        operation: "chat.completions.create",
        body: { model: "o1", messages: [{ role: "user", content: `${message}\n${pdfContent}` }] },
      });
      await context.api.resend.call("Send LLM Proposal", {
        token: "re-test",
        body: { from: "Acme <onboarding@resend.dev>", to, subject, text: (aiResponse.body as any).choices[0].message.content },
      });
    };
  },
  options: { payload: { message: "hi", subject: "Re: hi", to: "x@y.test", attachment: "https://files.test/a.pdf" }, handlers: llm },
  bugs: [],
  notes: "No finding expected: the fetch is inside its step, the LLM and email calls go through context.api.",
};
