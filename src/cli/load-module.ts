import { existsSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { RouteFunction } from "@upstash/workflow";
import { UsageError } from "./usage-error.js";

const TS_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx"]);

let tsxRegistered = false;

/** bun reads TypeScript (and CommonJS next to ESM) itself. */
const isBun = typeof (process.versions as { bun?: string }).bun === "string";

/** Node 22.18+ and 24 strip types in `import()` themselves (`process.features.typescript`: "strip" or "transform"). */
function nodeStripsTypes(): boolean {
  return Boolean((process.features as { typescript?: string | false }).typescript);
}

/**
 * Makes `import()` read TypeScript in this process: nothing to do under bun; else tsx (an optional
 * peer), registered for both module systems, so a `.ts` module in a `"type": "commonjs"` project
 * (compiled to CommonJS by tsx) and whatever it `require`s load through tsx too; without tsx, Node's
 * own type stripping where the Node has it (decision 1404).
 */
async function registerTypeScript(file: string): Promise<void> {
  if (isBun || tsxRegistered) return;
  let esm: { register: () => unknown };
  let cjs: { register: () => unknown } | undefined;
  try {
    esm = (await import("tsx/esm/api")) as unknown as { register: () => unknown };
    cjs = (await import("tsx/cjs/api")) as unknown as { register: () => unknown };
  } catch {
    if (nodeStripsTypes()) return;
    throw new UsageError(
      `Failed to load ${file}: it is TypeScript, and reading TypeScript on Node ${process.versions.node} needs tsx, which is not installed. Install it (npm i -D tsx), run on Node 22.18 or later (it strips types itself), or point the CLI at compiled JavaScript.`,
    );
  }
  cjs.register();
  esm.register();
  tsxRegistered = true;
}

/** `path/to/module.ts#exportName` → its parts (export "default" when no `#`). */
export function parseTarget(target: string): { file: string; exportName: string } {
  const hash = target.lastIndexOf("#");
  const file = hash >= 0 ? target.slice(0, hash) : target;
  const exportName = hash >= 0 ? target.slice(hash + 1) : "default";
  if (!file) throw new UsageError(`Failed to read the workflow "${target}": the module path is empty. Write it as <module>#<export>, e.g. src/workflows/order.ts#orderWorkflow.`);
  if (!exportName) throw new UsageError(`Failed to read the workflow "${target}": the export name after "#" is empty. Write it as <module>#<export>, e.g. src/workflows/order.ts#orderWorkflow.`);
  return { file, exportName };
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

/**
 * Imports a workflow module (TypeScript through tsx, bun or Node's type stripping; JavaScript natively) and returns the route
 * function it exports. Accepts the route function itself or `createWorkflow(route)`'s
 * `{ routeFunction }`.
 */
export async function loadRoute(target: string, cwd: string): Promise<RouteFunction<unknown, unknown>> {
  const { file, exportName } = parseTarget(target);
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new UsageError(`Failed to load the workflow module ${file}: the file does not exist (looked in ${path}).`);
  if (TS_EXTENSIONS.has(extname(path))) await registerTypeScript(file);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`Failed to load the workflow module ${file}: ${(error as Error)?.stack ?? String(error)}`);
  }
  // A CommonJS module whose exports Node's import() could not list (tsx's CommonJS output on Node 20):
  // its named exports are properties of module.exports, the namespace's default.
  const cjsExports = module.default;
  if (!(exportName in module) && typeof cjsExports === "object" && cjsExports !== null && exportName in cjsExports) {
    module = cjsExports as Record<string, unknown>;
  }
  if (!(exportName in module)) {
    const names = Object.keys(module).filter((k) => k !== "__esModule").sort();
    throw new UsageError(
      `Failed to find export "${exportName}" in ${file}. It exports: ${names.length ? names.join(", ") : "nothing"}. Write the target as ${file}#<one of those>.`,
    );
  }
  let value = module[exportName];
  if (typeof value === "object" && value !== null && typeof (value as { routeFunction?: unknown }).routeFunction === "function") {
    value = (value as { routeFunction: unknown }).routeFunction;
  }
  if (typeof value !== "function") {
    throw new UsageError(
      `Failed to use ${file}#${exportName}: it is ${describeValue(value)}, not a route function. Export the function you pass to serve() (or createWorkflow()), not the handler serve() returns.`,
    );
  }
  return value as RouteFunction<unknown, unknown>;
}
