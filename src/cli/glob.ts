import { readdir, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";

const MAGIC = /[*?[\]{}]/;

/** Whether a path argument is a glob pattern (has `*`, `?`, `[...]` or `{a,b}`). */
export function isGlob(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/** Expands `{a,b}` alternatives (nested too) into separate patterns. */
function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf("{");
  if (open < 0) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === "{") depth++;
    else if (pattern[i] === "}" && --depth === 0) {
      const parts: string[] = [];
      let level = 0;
      let start = open + 1;
      for (let j = open + 1; j < i; j++) {
        if (pattern[j] === "{") level++;
        else if (pattern[j] === "}") level--;
        else if (pattern[j] === "," && level === 0) {
          parts.push(pattern.slice(start, j));
          start = j + 1;
        }
      }
      parts.push(pattern.slice(start, i));
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return parts.flatMap((part) => expandBraces(head + part + tail));
    }
  }
  return [pattern];
}

/** One path segment pattern (no `/`) as a RegExp: `*`, `?` and `[...]` classes. */
function segmentRegExp(segment: string): RegExp {
  let source = "";
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else if (ch === "[") {
      const close = segment.indexOf("]", i + 1);
      if (close < 0) {
        source += "\\[";
      } else {
        let body = segment.slice(i + 1, close);
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        source += `[${body.replace(/\\/g, "\\\\")}]`;
        i = close;
      }
    } else source += ch.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Matches `segments` (pattern parts) below `dir`; `**` matches any number of folders. */
async function walk(dir: string, segments: string[], out: Set<string>): Promise<void> {
  if (segments.length === 0) return;
  const [head, ...rest] = segments as [string, ...string[]];
  let entries: Array<{ name: string; dir: boolean }>;
  try {
    entries = (await readdir(dir, { withFileTypes: true })).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return;
  }
  if (head === "**") {
    await walk(dir, rest, out);
    for (const entry of entries) {
      if (entry.dir && !entry.name.startsWith(".") && entry.name !== "node_modules") await walk(join(dir, entry.name), segments, out);
    }
    return;
  }
  if (!isGlob(head)) {
    const next = join(dir, head);
    if (rest.length === 0) {
      if (entries.some((e) => e.name === head && !e.dir)) out.add(next);
    } else if (await isDirectory(next)) {
      await walk(next, rest, out);
    }
    return;
  }
  const re = segmentRegExp(head);
  for (const entry of entries) {
    if (entry.name.startsWith(".") && !head.startsWith(".")) continue;
    if (!re.test(entry.name)) continue;
    const next = join(dir, entry.name);
    if (rest.length === 0) {
      if (!entry.dir) out.add(next);
    } else if (entry.dir) {
      await walk(next, rest, out);
    }
  }
}

/**
 * Files matching a glob (`*`, `**`, `?`, `[abc]`, `{a,b}`), relative to `cwd`, sorted. Hidden
 * entries match only when the pattern names them; `**` does not enter node_modules. Written here
 * because `fs.glob` needs Node 22 and the package supports Node 20.
 */
export async function glob(pattern: string, cwd: string): Promise<string[]> {
  const out = new Set<string>();
  for (const alternative of expandBraces(pattern.split(sep).join("/"))) {
    const rooted = alternative.startsWith("/");
    const segments = alternative.split("/").filter((s) => s !== "" && s !== ".");
    const base = rooted ? "/" : cwd;
    // leading "../" segments are plain folders
    let start = base;
    while (segments[0] === "..") {
      start = resolve(start, "..");
      segments.shift();
    }
    await walk(start, segments, out);
  }
  const rooted = pattern.startsWith("/");
  return [...out].map((file) => (rooted ? file : relative(cwd, file) || file)).sort();
}
