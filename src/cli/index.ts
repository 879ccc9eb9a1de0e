#!/usr/bin/env node
// The workflow-replay command. See ./help.ts for what it does.
import { readFileSync } from "node:fs";
import { parseArgs } from "./args.js";
import { runCheck } from "./check.js";
import { HELP } from "./help.js";
import { UsageError } from "./usage-error.js";

function version(): string {
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "workflow-replay" && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "unknown";
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const args = parseArgs(argv);
    if (args.command === "help") {
      out(HELP);
      return 0;
    }
    if (args.command === "version") {
      out(version());
      return 0;
    }
    return await runCheck(args, { cwd: process.cwd(), env: process.env, out, now: () => performance.now() });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(
      `[workflow-replay] Failed to run: an unexpected error in workflow-replay itself. Please report it with this output.\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
