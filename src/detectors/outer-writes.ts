const IDENT = "[A-Za-z_$][\\w$]*";
// quoted strings only: a template literal's \${…} parts are code (a few false candidates are harmless)
const STRINGS = /(["'])(?:\\[\s\S]|(?!\1)[^\\\n])*\1/g;
const COMMENTS = /\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
const DECLARED = new RegExp(`\\b(?:let|const|var|function|class)\\s+(${IDENT})`, "g");
const DESTRUCTURED = /\b(?:let|const|var)\s*[{[]([^=;]*)[}\]]\s*=/g;
const PARAMS = /(?:\bfunction\b\s*[\w$]*\s*|\bcatch\s*)\(([^()]*)\)|\(([^()]*)\)\s*=>|([A-Za-z_$][\w$]*)\s*=>/g;
const ASSIGN = new RegExp(`(?<![.\\w$])(${IDENT})\\s*(?:\\*\\*|<<|>>>?|&&|\\|\\||\\?\\?|[-+*/%&|^])?=(?![=>])`, "g");
const UPDATE = new RegExp(`(?<![.\\w$])(${IDENT})\\s*(?:\\+\\+|--)|(?:\\+\\+|--)\\s*(${IDENT})`, "g");
const MEMBER_WRITE = new RegExp(`(?<![.\\w$])(${IDENT})(?:\\??\\.[\\w$]+|\\[[^\\]]*\\])+\\s*(?:&&|\\|\\||\\?\\?|[-+*/%&|^])?=(?![=>])`, "g");
const MUTATING_CALL = new RegExp(
  `(?<![.\\w$])(${IDENT})(?:\\.[\\w$]+)*\\.(?:push|pop|shift|unshift|splice|set|add|delete|clear|sort|reverse|fill|assign)\\(|\\bObject\\.assign\\(\\s*(${IDENT})`,
  "g",
);
const KEYWORDS = new Set(["if", "for", "while", "return", "await", "typeof", "new", "in", "of", "case", "void", "yield", "Object", "JSON", "console", "Math"]);

const cache = new Map<string, string[]>();

/** The identifiers a piece of code declares (variables, functions, parameters, catch bindings). */
function declared(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(DECLARED)) names.add(m[1]!);
  for (const m of code.matchAll(DESTRUCTURED)) for (const id of m[1]!.matchAll(new RegExp(IDENT, "g"))) names.add(id[0]);
  for (const m of code.matchAll(PARAMS)) {
    const list = m[1] ?? m[2] ?? m[3] ?? "";
    // parameter names, defaults and destructuring alike: every identifier not after a `.` or `=`
    for (const id of list.replace(/=[^,]*/g, "").matchAll(new RegExp(`(?<![.\\w$])${IDENT}`, "g"))) names.add(id[0]);
  }
  return names;
}

/**
 * The names of variables a function assigns, updates or mutates without declaring them itself: the
 * state a step function hands to the code after it through a closure (`total = sum`, `items.push(x)`,
 * `state.user = u`). Read from the function's source, so a write made by a helper it calls is not
 * seen; a name it lists is only a candidate (the straight-through pass decides whether it matters).
 *
 * @example
 * ```ts
 * outerWrites(() => { total = 3; }); // ["total"]
 * outerWrites(() => { const t = 3; return t; }); // []
 * ```
 */
export function outerWrites(fn: Function): string[] {
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return [];
  }
  const known = cache.get(source);
  if (known) return known;
  const code = source.replace(STRINGS, '""').replace(COMMENTS, " ");
  const local = declared(code);
  const written = new Set<string>();
  const note = (name: string | undefined) => {
    if (name && !local.has(name) && !KEYWORDS.has(name)) written.add(name);
  };
  for (const m of code.matchAll(ASSIGN)) {
    // `let x = …` declares; a `=` in a parameter list is a default
    const before = code.slice(Math.max(0, m.index! - 6), m.index!);
    if (!/\b(?:let|const|var)\s*$/.test(before)) note(m[1]);
  }
  for (const m of code.matchAll(UPDATE)) note(m[1] ?? m[2]);
  for (const m of code.matchAll(MEMBER_WRITE)) note(m[1]);
  for (const m of code.matchAll(MUTATING_CALL)) note(m[1] ?? m[2]);
  const result = [...written];
  if (cache.size > 500) cache.clear();
  cache.set(source, result);
  return result;
}

/**
 * Whether a function's source mentions any of `names` as an identifier (not as a property name):
 * a step function that may read state another step wrote.
 *
 * @example
 * ```ts
 * mentionsAny(() => total * 100, ["total"]); // true
 * mentionsAny(() => order.total, ["total"]); // false
 * ```
 */
export function mentionsAny(fn: Function, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  let source: string;
  try {
    source = Function.prototype.toString.call(fn).replace(STRINGS, '""').replace(COMMENTS, " ");
  } catch {
    return false;
  }
  return names.some((name) => new RegExp(`(?<![.\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`).test(source));
}

/** Source text with quoted strings and comments blanked (a few false identifiers are harmless). */
function code(fn: Function): string {
  try {
    return Function.prototype.toString.call(fn).replace(STRINGS, '""').replace(COMMENTS, " ");
  } catch {
    return "";
  }
}

function occurrences(text: string, name: string): number {
  return text.match(new RegExp(`(?<![.\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$:])`, "g"))?.length ?? 0;
}

/**
 * The names a step function writes that belong to one run of the route — declared inside the route
 * function's own source, so every delivery starts them afresh — and that the route uses outside the
 * step function too. Undefined when the function writes anything else (a variable of the test or
 * the module: running the function again would change it for the caller), or nothing.
 *
 * @example
 * ```ts
 * const route = async (context) => { let total; await context.run("sum", step); return total; };
 * routeLocalWrites(step, route); // ["total"] for step = () => { total = 6; }
 * ```
 */
export function routeLocalWrites(fn: Function, route: Function): string[] | undefined {
  const names = outerWrites(fn);
  if (names.length === 0) return undefined;
  const routeCode = code(route);
  const own = code(fn);
  for (const name of names) {
    if (!new RegExp(`\\b(?:let|const|var)\\s+(?:[^=;]*[,{[]\\s*)?${name.replace(/\$/g, "\\$")}\\b`).test(routeCode)) return undefined;
  }
  const used = names.filter((name) => occurrences(routeCode, name) > occurrences(own, name) + 1);
  return used.length > 0 ? used : undefined;
}
