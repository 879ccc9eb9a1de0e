/** ANSI styling for reports: a no-op when colour is off, so plain output stays byte-for-byte stable. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const COLORED: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  magenta: wrap(35, 39),
};

const identity = (text: string) => text;
const PLAIN: Style = { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity, magenta: identity };

export function createStyle(color: boolean): Style {
  return color ? COLORED : PLAIN;
}

/**
 * Whether to colour by default: never when `NO_COLOR` is set (https://no-color.org), always when
 * `FORCE_COLOR` is set to something other than 0/false, else only when stdout is a terminal (or
 * `FORCE_TTY` says it is one, as in vitest's workers).
 */
export function defaultColor(env: Record<string, string | undefined> = process.env, isTTY = Boolean(process.stdout?.isTTY)): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  // vitest's workers write to a pipe but set FORCE_TTY when vitest itself runs on a terminal.
  if (env.FORCE_TTY === "true" || env.FORCE_TTY === "1") return true;
  return isTTY;
}

/** Removes ANSI escape sequences (for width computations and plain copies). */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}
