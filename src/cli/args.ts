import { UsageError } from "./usage-error.js";

/** `workflow-replay check <module>#<export> <histories...>` and its options. */
export interface CheckArgs {
  command: "check";
  target: string;
  patterns: string[];
  junit?: string;
  strict: boolean;
  /** Force GitHub annotations on or off; default: on when GITHUB_ACTIONS is "true". */
  github?: boolean;
  quiet: boolean;
  /** `--host`: a preset ("vercel-hobby") or a maxDuration ("15m", 300). */
  host?: string;
  /** `--plan`: an Upstash plan ("free", "pay-as-you-go", "fixed-1m", "fixed-10m"). */
  plan?: string;
}

export type ParsedArgs = { command: "help" } | { command: "version" } | CheckArgs;

const HINT = "Run workflow-replay --help for usage.";

/** Parses the command line (without `node` and the script). Throws a UsageError for bad arguments. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0) throw new UsageError(`Failed to run: no command given. ${HINT}`);
  if (argv.includes("--help") || argv.includes("-h") || argv[0] === "help") return { command: "help" };
  if (argv[0] === "--version" || argv[0] === "-v") return { command: "version" };
  const [command, ...rest] = argv as [string, ...string[]];
  if (command !== "check") {
    throw new UsageError(
      command.startsWith("-")
        ? `Failed to run: expected a command before options, got "${command}". ${HINT}`
        : `Failed to run: unknown command "${command}"; the only command is "check". ${HINT}`,
    );
  }
  const positional: string[] = [];
  const parsed: CheckArgs = { command: "check", target: "", patterns: [], strict: false, quiet: false };
  let onlyPositional = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (onlyPositional || !arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyPositional = true;
      continue;
    }
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    switch (flag) {
      case "--junit": {
        const value = inline ?? rest[++i];
        if (!value || (inline === undefined && value.startsWith("-"))) throw new UsageError(`Failed to run: --junit needs a file path, e.g. --junit reports/histories.xml. ${HINT}`);
        parsed.junit = value;
        break;
      }
      case "--host":
      case "--plan": {
        const value = inline ?? rest[++i];
        const example = flag === "--host" ? "--host vercel-hobby or --host 15m" : "--plan free";
        if (!value || (inline === undefined && value.startsWith("-"))) throw new UsageError(`Failed to run: ${flag} needs a value, e.g. ${example}. ${HINT}`);
        parsed[flag === "--host" ? "host" : "plan"] = value;
        break;
      }
      case "--strict":
        parsed.strict = true;
        break;
      case "--github":
        parsed.github = true;
        break;
      case "--no-github":
        parsed.github = false;
        break;
      case "--quiet":
      case "-q":
        parsed.quiet = true;
        break;
      default:
        throw new UsageError(`Failed to run: unknown option "${flag}". ${HINT}`);
    }
    if (inline !== undefined && flag !== "--junit" && flag !== "--host" && flag !== "--plan") throw new UsageError(`Failed to run: ${flag} takes no value, got "${arg}". ${HINT}`);
  }
  const [target, ...patterns] = positional;
  if (!target) throw new UsageError(`Failed to run check: name the workflow as <module>#<export>, e.g. src/workflows/order.ts#orderWorkflow. ${HINT}`);
  if (/\.json$/i.test(target)) {
    throw new UsageError(`Failed to run check: the first argument must be the workflow (<module>#<export>), got the history file "${target}". ${HINT}`);
  }
  if (patterns.length === 0) throw new UsageError(`Failed to run check: give at least one history file or glob after the workflow, e.g. "fixtures/**/*.json". ${HINT}`);
  parsed.target = target;
  parsed.patterns = patterns;
  return parsed;
}
