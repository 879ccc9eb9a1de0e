// The CLI in-process: main(argv, io) with captured streams (the binary itself, started as a real
// process, is cli-binary.test.ts). Every behaviour of the command is pinned here.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseXml, type XmlElement } from "./xml.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process, from the repository root, with its own streams and environment. */
async function run(args: string[], env: Record<string, string> = {}, cwd = root): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd,
    env: { ...process.env, GITHUB_ACTIONS: "", ...env },
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    now: () => performance.now(),
  });
  return { code, stdout, stderr };
}

/** The table rows of the output: mark, file, verdict. */
function rows(stdout: string): Array<[string, string, string]> {
  return stdout
    .split("\n")
    .map((line) => /^ {2}([✓!✗]) (\S+)\s+(?:\S+, \d+ steps|-)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, mark, file, verdict]) => [mark!, file!, verdict!]);
}

const find = (el: XmlElement, name: string): XmlElement[] => [
  ...(el.name === name ? [el] : []),
  ...el.children.flatMap((c) => find(c, name)),
];

describe("workflow-replay CLI", () => {
  it("--help documents the command, every option and the exit codes", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    for (const text of ["workflow-replay check <module>#<export>", "--junit <file>", "--host <host>", "--plan <plan>", "--strict", "--github", "--no-github", "--quiet", "--version", "Exit codes", "tsx"]) {
      expect(result.stdout).toContain(text);
    }
  });

  it("--host and --plan print each history's usage and the limits it crosses", async () => {
    const result = await run(["check", "fixtures/workflows.ts#order", "fixtures/histories/order-at-sleep.json", "--host", "vercel-hobby", "--plan=free"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/usage {3}replayed deliveries: \d+ billed steps, \$0 on Upstash Free; longest delivery 0s \(limit 5m\); largest body \d+ bytes/);
    const plain = await run(["check", "fixtures/workflows.ts#order", "fixtures/histories/order-at-sleep.json"]);
    expect(plain.stdout).not.toContain("usage");
    expect((await run(["check", "fixtures/workflows.ts#order", "fixtures/histories/order-at-sleep.json", "--plan", "gold"])).code).not.toBe(0);
  });

  it("passes the recorded histories against the code they were recorded from (TypeScript, globs)", async () => {
    const result = await run(["check", "fixtures/workflows.ts#order", "fixtures/histories/order-*.json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(rows(result.stdout)).toEqual([
      ["✓", "fixtures/histories/order-at-sleep.json", "compatible"],
      ["✓", "fixtures/histories/order-completed.json", "compatible"],
    ]);
    expect(result.stdout).toContain("2 histories compatible with today's code");
  });

  it("passes the parallel and the waiting histories of the other workflows", async () => {
    const fan = await run(["check", "fixtures/workflows.ts#fanOut", "fixtures/histories/fan-out-completed.json"]);
    expect(fan.code).toBe(0);
    const approval = await run(["check", "fixtures/workflows.ts#approval", "fixtures/histories/approval-{completed,waiting}.json"]);
    expect(approval.code).toBe(0);
    expect(rows(approval.stdout).map((r) => r[0])).toEqual(["✓", "✓"]);
  });

  it("fails a rename with exit code 1, the table, the SDK's error, and a valid JUnit report", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wr-cli-"));
    const junit = join(dir, "reports", "histories.xml");
    const result = await run(["check", "fixtures/edited-workflows.ts#orderRenamed", "fixtures/histories/**/order-*.json", "--junit", junit]);
    expect(result.code).toBe(1);
    expect(rows(result.stdout)).toEqual([
      ["✗", "fixtures/histories/order-at-sleep.json", "incompatible: step 2 renamed 'charge' → 'charge-card'"],
      ["✗", "fixtures/histories/order-completed.json", "incompatible: step 2 renamed 'charge' → 'charge-card'"],
    ]);
    expect(result.stdout).toContain(`the SDK answers 500 "Incompatible step name. Expected 'charge-card', got 'charge' from the request"`);
    expect(result.stdout).toContain("2 of 2 histories incompatible with today's code");

    const xml = parseXml(await readFile(junit, "utf8"));
    expect(xml.name).toBe("testsuites");
    expect(xml.attributes).toMatchObject({ tests: "2", failures: "2", errors: "0" });
    const cases = find(xml, "testcase");
    expect(cases.map((c) => c.attributes.name)).toEqual(["fixtures/histories/order-at-sleep.json", "fixtures/histories/order-completed.json"]);
    for (const testcase of cases) {
      const [failure] = find(testcase, "failure");
      expect(failure!.attributes.message).toBe("incompatible: step 2 renamed 'charge' → 'charge-card'");
      expect(failure!.text).toContain("Incompatible step name. Expected 'charge-card', got 'charge' from the request");
    }
  });

  it("passes an append at the end and writes a JUnit report without failures", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wr-cli-"));
    const junit = join(dir, "ok.xml");
    const result = await run(["check", "fixtures/edited-workflows.ts#orderAppended", "fixtures/histories/order-completed.json", `--junit=${junit}`]);
    expect(result.code).toBe(0);
    expect(rows(result.stdout)).toEqual([["✓", "fixtures/histories/order-completed.json", "compatible: 'notify-customer' appended"]]);
    const xml = parseXml(await readFile(junit, "utf8"));
    expect(xml.attributes).toMatchObject({ tests: "1", failures: "0", errors: "0" });
    expect(find(xml, "failure")).toEqual([]);
  });

  it("a changed sleep duration warns and passes, and fails with --strict", async () => {
    const args = ["check", "fixtures/edited-workflows.ts#orderShorterSleep", "fixtures/histories/order-completed.json"];
    const lenient = await run(args);
    expect(lenient.code).toBe(0);
    expect(rows(lenient.stdout)[0]!.slice(0, 1)).toEqual(["!"]);
    const strict = await run([...args, "--strict"]);
    expect(strict.code).toBe(1);
    expect(rows(strict.stdout)[0]![2]).toBe("incompatible: step 3 'cool-off' inputs changed");
  });

  it("prints GitHub annotations pointing at the history line of the step when GITHUB_ACTIONS is set", async () => {
    const result = await run(["check", "fixtures/edited-workflows.ts#orderRenamed", "fixtures/histories/order-completed.json"], { GITHUB_ACTIONS: "true" });
    expect(result.code).toBe(1);
    const annotations = result.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(annotations).toHaveLength(1);
    const [, file, line] = /^::error file=([^,]+),line=(\d+),title=[^:]+::(.*)$/.exec(annotations[0]!) ?? [];
    expect(file).toBe("fixtures/histories/order-completed.json");
    const text = await readFile(join(root, file!), "utf8");
    expect(text.split("\n")[Number(line) - 1]).toContain(`"stepId":2,"stepName":"charge"`);
    expect(annotations[0]).toContain("Incompatible step name. Expected 'charge-card', got 'charge' from the request");
    const off = await run(["check", "fixtures/edited-workflows.ts#orderRenamed", "fixtures/histories/order-completed.json", "--no-github"], { GITHUB_ACTIONS: "true" });
    expect(off.stdout).not.toContain("::error");
  });

  it("loads a JavaScript module without tsx, and createWorkflow()'s { routeFunction }", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wr-cli-"));
    await writeFile(
      join(dir, "flow.mjs"),
      `export const order = { routeFunction: async (context) => {
        await context.run("validate", () => 1);
        await context.run("charge", () => 2);
        await context.sleep("cool-off", "1d");
        return await context.run("ship", () => 3);
      } };\n`,
    );
    const result = await run(["check", join(dir, "flow.mjs#order"), join(root, "fixtures/histories/order-completed.json")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("reports an invalid history file by name and field, with exit code 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wr-cli-"));
    const text = await readFile(join(root, "fixtures/histories/order-completed.json"), "utf8");
    await writeFile(join(dir, "broken.json"), text.replace(`"stepName":"charge","stepType":"Run"`, `"stepName":"charge","stepType":"Runn"`));
    const result = await run(["check", join(root, "fixtures/workflows.ts#order"), "broken.json"], {}, dir);
    expect(result.code).toBe(1);
    expect(rows(result.stdout)).toEqual([["✗", "broken.json", "error: HistoryError"]]);
    expect(result.stdout).toContain(
      `Failed to load history broken.json: steps[2].stepType must be one of Initial, Run, SleepFor, SleepUntil, Call, Wait, Notify, Invoke, CreateWebhook, WaitForWebhook, got "Runn".`,
    );
  });

  it.each([
    [[], "Failed to run: no command given."],
    [["replay"], `Failed to run: unknown command "replay"; the only command is "check".`],
    [["check"], "Failed to run check: name the workflow as <module>#<export>"],
    [["check", "fixtures/workflows.ts#order"], "Failed to run check: give at least one history file or glob"],
    [["check", "fixtures/histories/order-completed.json", "fixtures/workflows.ts#order"], `Failed to run check: the first argument must be the workflow (<module>#<export>), got the history file "fixtures/histories/order-completed.json".`],
    [["check", "fixtures/workflows.ts#order", "x.json", "--frobnicate"], `Failed to run: unknown option "--frobnicate".`],
    [["check", "fixtures/workflows.ts#order", "x.json", "--junit"], "Failed to run: --junit needs a file path"],
    [["check", "fixtures/nope.ts#order", "fixtures/histories/order-completed.json"], "Failed to load the workflow module fixtures/nope.ts: the file does not exist"],
    [["check", "fixtures/workflows.ts#orderz", "fixtures/histories/order-completed.json"], `Failed to find export "orderz" in fixtures/workflows.ts. It exports: approval, fanOut, order.`],
    [["check", "fixtures/edited-workflows.ts#notARoute", "fixtures/histories/order-completed.json"], "Failed to use fixtures/edited-workflows.ts#notARoute: it is an object, not a route function."],
    [["check", "fixtures/workflows.ts#order", "fixtures/histories/nothing-*.json"], `Failed to find histories: no file matches "fixtures/histories/nothing-*.json"`],
    [["check", "fixtures/workflows.ts#order", "fixtures/histories/missing.json"], "Failed to find history fixtures/histories/missing.json: the file does not exist"],
  ])("rejects bad arguments %j with exit code 2 and a clear message", async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`[workflow-replay] ${message}`);
    expect(result.stdout).toBe("");
  });
});
