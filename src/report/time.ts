/** Virtual-time formatting for the timeline. */

/** A duration in ms as "+1d 2h", "+10m 0.5s", "+0.1s". */
export function formatOffset(ms: number): string {
  return `+${formatDuration(ms)}`;
}

/** A duration in ms, largest units first, at most three units: "2d 3h 4m", "10m 0.5s", "0.1s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const totalSeconds = Math.round(ms) / 1000;
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Math.round((totalSeconds % 60) * 10) / 10;
  const parts: string[] = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes) parts.push(`${minutes}m`);
  if (seconds || parts.length === 0) parts.push(`${seconds}s`);
  return parts.slice(0, 3).join(" ");
}

/** ISO 8601 of a virtual instant, or "invalid time". */
export function formatInstant(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? "invalid time" : date.toISOString();
}
