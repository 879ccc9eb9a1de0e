/** GitHub Actions workflow commands (`::error file=...,line=...::message`). */

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export interface Annotation {
  level: "error" | "warning" | "notice";
  file: string;
  line?: number;
  title: string;
  message: string;
}

/** One annotation line. */
export function annotation(a: Annotation): string {
  const props = [`file=${escapeProperty(a.file)}`, ...(a.line ? [`line=${a.line}`] : []), `title=${escapeProperty(a.title)}`];
  return `::${a.level} ${props.join(",")}::${escapeData(a.message)}`;
}

/**
 * The 1-based line of a history file on which the step at `position` is written (one step per
 * line): its result step, else its plan step, else its pending entry; undefined when not found.
 */
export function stepLine(text: string, position: number): number | undefined {
  const lines = text.split("\n");
  const patterns = [new RegExp(`^\\s*\\{"stepId":${position},`), new RegExp(`^\\s*\\{"stepId":0,.*"targetStep":${position}[,}]`)];
  for (const pattern of patterns) {
    const index = lines.findIndex((line) => pattern.test(line));
    if (index >= 0) return index + 1;
  }
  return undefined;
}
