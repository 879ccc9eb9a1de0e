import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replay } from "../replay.js";
import type { RecordedHistory } from "../types.js";
import { loadHistory, parseHistory, saveHistory, serializeHistory } from "./format.js";

async function sample(): Promise<RecordedHistory> {
  const result = await replay(
    async (context) => {
      const a = await context.run("one", () => ({ n: 1 }));
      await Promise.all([context.run("left", () => a.n + 1), context.sleep("pause", "5s")]);
      return await context.run("two", () => "done");
    },
    { payload: { id: 7 }, headers: { "x-b": "2", "x-a": "1" }, workflowRunId: "fmt", perturb: false },
  );
  return result.history;
}

const valid = (): RecordedHistory => ({
  format: "workflow-replay/history@1",
  workflowRunId: "wfr_x",
  workflowUrl: "https://example.com/api/flow",
  createdAt: 0,
  payload: null,
  headers: {},
  steps: [
    { stepId: 0, stepName: "init", stepType: "Initial", out: "", concurrent: 1 },
    { stepId: 1, stepName: "one", stepType: "Run", out: "1", concurrent: 1 },
  ] as RecordedHistory["steps"],
});

describe("history file format", () => {
  it("writes one step per line, fields in a fixed order, headers sorted, and reads back an equal history", async () => {
    const history = await sample();
    const text = serializeHistory(history);
    expect(parseHistory(text)).toEqual(history);
    const lines = text.split("\n");
    const stepLines = lines.filter((l) => l.startsWith(`    {"stepId"`));
    expect(stepLines).toHaveLength(history.steps.length);
    expect(lines.slice(0, 4)).toEqual([
      "{",
      `  "format": "workflow-replay/history@1",`,
      `  "workflowRunId": "wfr_fmt",`,
      `  "workflowUrl": "https://workflow-replay.test/api/workflow",`,
    ]);
    expect(text).toContain(`  "headers": {\n    "x-a": "1",\n    "x-b": "2"\n  },`);
    expect(stepLines[2]).toBe(`    {"stepId":0,"stepName":"left","stepType":"Run","concurrent":2,"targetStep":2},`);
    // a re-serialization is byte-identical (stable for diffs)
    expect(serializeHistory(parseHistory(text))).toBe(text);
  });

  it("saves to a new folder and loads back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wr-format-"));
    const history = await sample();
    await saveHistory(join(dir, "nested", "run.json"), history);
    expect(await loadHistory(join(dir, "nested", "run.json"))).toEqual(history);
  });

  it("names the file and the broken field when loading", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wr-format-"));
    const path = join(dir, "x.json");
    const text = serializeHistory(await sample()).replace(`"stepName":"left","stepType":"Run"`, `"stepName":"left","stepType":"Runn"`);
    await writeFile(path, text);
    await expect(loadHistory(path)).rejects.toThrow(
      `[workflow-replay] Failed to load history ${path}: steps[2].stepType must be one of Initial, Run, SleepFor, SleepUntil, Call, Wait, Notify, Invoke, CreateWebhook, WaitForWebhook, got "Runn". Fix the field or record the history again.`,
    );
    await expect(loadHistory(join(dir, "missing.json"))).rejects.toThrow("the file does not exist. Check the path.");
    await writeFile(path, "{ not json");
    await expect(loadHistory(path)).rejects.toThrow(/it is not valid JSON/);
    expect(await readFile(path, "utf8")).toBe("{ not json");
  });

  it.each<[string, (h: Record<string, any>) => void, string]>([
    ["a newer format", (h) => (h.format = "workflow-replay/history@2"), `format is "workflow-replay/history@2", which this version of workflow-replay cannot read (it reads "workflow-replay/history@1"); upgrade workflow-replay`],
    ["another format", (h) => (h.format = "temporal"), `format must be "workflow-replay/history@1", got "temporal"`],
    ["an unknown field", (h) => (h.paylod = "x"), "paylod is not a field of workflow-replay/history@1 (known: format, source, recordedAt, workflowRunId, workflowUrl, createdAt, labels, status, output, payload, headers, steps, pending)"],
    ["an empty run id", (h) => (h.workflowRunId = ""), "workflowRunId must not be empty"],
    ["a relative url", (h) => (h.workflowUrl = "/api"), `workflowUrl must start with http:// or https://, got "/api"`],
    ["a payload object", (h) => (h.payload = { id: 1 }), "payload must be the raw request body as a string, or null, got an object"],
    ["a numeric header", (h) => (h.headers = { "x-n": 1 }), `headers["x-n"] must be a string, got 1`],
    ["no Initial step", (h) => h.steps.shift(), `steps[0].stepType must be "Initial" (the trigger payload), got "Run"`],
    ["a step without concurrent", (h) => delete h.steps[1].concurrent, "steps[1].concurrent must be a whole number >= 1, got undefined"],
    ["a plan step without target", (h) => (h.steps[1].stepId = 0), "steps[1].targetStep is required on a plan step (stepId 0)"],
    ["an object out", (h) => (h.steps[1].out = { n: 1 }), "steps[1].out must be a string (the SDK's encoded step output) or absent, got an object"],
    ["a bad status", (h) => (h.status = "done"), "status must be one of completed, failed, cancelled, waiting, got \"done\""],
  ])("rejects %s", (_, edit, message) => {
    const history = structuredClone(valid()) as unknown as Record<string, any>;
    edit(history);
    expect(() => parseHistory(JSON.stringify(history), "test.json")).toThrow(`[workflow-replay] Failed to parse history test.json: ${message}. Fix the field or record the history again.`);
  });
});
