import { readFileSync } from "node:fs";
import { parseArgs } from "./args.js";
import { runCheck } from "./check.js";
import { HELP } from "./help.js";
import { UsageError } from "./usage-error.js";

/** Where the CLI reads and writes: the process's in the binary, a test's own in-process. */
export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Writes text to standard output (the caller adds nothing). */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A monotonic clock in ms (the run's duration in the JUnit report). */
  now: () => number;
}

function version(): string {
  for (const candidate of ["../package.json", "../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "workflow-replay" && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "unknown";
}

/**
 * Runs the workflow-replay command with `argv` (without node and the script) against `io`;
 * resolves to the exit code. The binary (./index.ts) calls it with the process's streams.
 *
 * @example
 * const code = await main(["check", "src/flow.ts#order", "histories/*.json"], { cwd, env, stdout, stderr, now });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const out = (line: string) => io.stdout(`${line}\n`);
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
    return await runCheck(args, { cwd: io.cwd, env: io.env, out, now: io.now });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    io.stderr(
      `[workflow-replay] Failed to run: an unexpected error in workflow-replay itself. Please report it with this output.\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    return 2;
  }
}
