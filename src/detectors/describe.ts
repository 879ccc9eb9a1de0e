import type { StepType } from "@upstash/workflow";
import { formatLocation } from "../sandbox/location.js";
import type { SourceLocation } from "../types.js";

/** ` at file:line:column`, or nothing when the location is unknown. */
export function at(location: SourceLocation | undefined): string {
  return location ? ` at ${formatLocation(location)}` : "";
}

/** ` (file:line:column)`, or nothing when the location is unknown. */
export function inParens(location: SourceLocation | undefined): string {
  return location ? ` (${formatLocation(location)})` : "";
}

/** "delivery 3" or "the auth dry run of delivery 3". */
export function deliveryName(frame: { invocation: number; dryRun: boolean }): string {
  return frame.dryRun ? `the auth dry run of delivery ${frame.invocation}` : `delivery ${frame.invocation}`;
}

const METHOD: Record<StepType, string> = {
  Initial: "the initial step",
  Run: "context.run",
  SleepFor: "context.sleep",
  SleepUntil: "context.sleepUntil",
  Call: "context.call",
  Wait: "context.waitForEvent",
  Notify: "context.notify",
  Invoke: "context.invoke",
  CreateWebhook: "context.createWebhook",
  WaitForWebhook: "context.waitForWebhook",
};

/** `context.run("name")`. */
export function stepCall(type: StepType, name: string): string {
  const method = METHOD[type] ?? `a ${type} step`;
  return `${method}(${JSON.stringify(name)})`;
}

/** A short, single-line rendering of a value for messages (JSON where it has one). */
export function preview(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) text = "undefined";
  else if (typeof value === "bigint") text = `${value}n`;
  else if (typeof value === "function") text = `a function`;
  else if (typeof value === "symbol") text = value.toString();
  else if (typeof value === "number" && !Number.isFinite(value)) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `$.user.createdAt`, `$.items[2]`, `$["a-b"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** JSON with sorted keys: a stable fingerprint for comparing step inputs. */
export function stableJson(value: unknown): string {
  const seen = new WeakSet<object>();
  const norm = (v: unknown): unknown => {
    if (typeof v === "bigint") return `${v}n`;
    if (typeof v === "function" || typeof v === "symbol") return String(v);
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) return "[cycle]";
    seen.add(v);
    if (v instanceof Date) return `Date(${v.getTime()})`;
    if (Array.isArray(v)) return v.map(norm);
    if (v instanceof Headers) return Object.fromEntries([...v.entries()].sort());
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) out[key] = norm((v as Record<string, unknown>)[key]);
    return out;
  };
  return JSON.stringify(norm(value)) ?? "undefined";
}

const locations = new WeakMap<object, SourceLocation | undefined>();

/** An event's user location, taken once per event however many detectors ask (call it inside the hook). */
export function locationOf(event: { location(): SourceLocation | undefined }): SourceLocation | undefined {
  if (locations.has(event)) return locations.get(event);
  const location = event.location();
  locations.set(event, location);
  return location;
}
