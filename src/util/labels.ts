/**
 * A `label` option (or the `Upstash-Label` header) as a run's labels: a comma-separated string or a list.
 *
 * @example
 * ```ts
 * parseLabels("a,b"); // ["a", "b"]
 * parseLabels(undefined); // []
 * ```
 */
export function parseLabels(label: string | readonly string[] | undefined): string[] {
  return label === undefined ? [] : typeof label === "string" ? label.split(",") : [...label];
}
