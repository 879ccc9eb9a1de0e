const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Seconds in an Upstash duration: a number of seconds or a string like "10s", "5m", "2h", "7d".
 * Returns undefined when the value is not a duration.
 */
export function durationToSeconds(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)([smhd])?$/.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2] ?? "s";
  return Number(match[1]) * (UNIT_SECONDS[unit] ?? 1);
}
