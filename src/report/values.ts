/** One-line previews of values for the timeline: compact JSON, cut at `max` characters. */

/** Cuts a single-line text at `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const line = text.replace(/\s*\n\s*/g, " ");
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1))}…`;
}

/** Compact JSON of a value (`undefined` and functions spelled out), cut at `max`. */
export function preview(value: unknown, max: number): string {
  return truncate(stringify(value), max);
}

/** Previews a JSON text (a step's `out`) as its value, or the raw text when it is not JSON. */
export function previewJson(text: unknown, max: number): string {
  if (typeof text !== "string") return preview(text, max);
  try {
    return preview(JSON.parse(text) as unknown, max);
  } catch {
    return truncate(text, max);
  }
}

/** JSON for values that have it; a readable spelling for those that do not. */
export function stringify(value: unknown, indent?: number): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return `[Function ${value.name || "anonymous"}]`;
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    const seen = new WeakSet<object>();
    const text = JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v === "bigint") return `${v}n`;
        if (typeof v === "function") return `[Function ${v.name || "anonymous"}]`;
        if (v instanceof Map) return { "[Map]": [...v.entries()] };
        if (v instanceof Set) return { "[Set]": [...v.values()] };
        if (typeof v === "object" && v !== null) {
          if (seen.has(v)) return "[Circular]";
          seen.add(v);
        }
        return v;
      },
      indent,
    );
    return text ?? String(value);
  } catch {
    return String(value);
  }
}

/** Wraps a paragraph at word boundaries to lines of at most `width` characters (long words stay whole). */
export function wrap(text: string, width: number): string[] {
  if (width <= 0) return text.split("\n");
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
  }
  return out;
}
