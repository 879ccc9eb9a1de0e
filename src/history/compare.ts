import type { StepType } from "@upstash/workflow";
import { durationToSeconds } from "../util/duration.js";
import type { RecordedPosition } from "./recorded.js";
import type { CodeStep, WalkOutcome } from "./walk.js";

/** What changed at one recorded position between the recorded run and today's code. */
export type HistoryChangeKind =
  | "renamed"
  | "replaced"
  | "removed"
  | "reordered"
  | "inserted"
  | "type-changed"
  | "width-changed"
  | "inputs-changed"
  | "appended";

/** One step as the history recorded it or as today's code issues it. */
export interface StepShape {
  /** 1-based position (the SDK's stepId). */
  position: number;
  name: string;
  type: StepType;
  /** The inputs a history records: sleepFor, sleepUntil, waitEventId, timeout (only those present). */
  inputs?: Record<string, unknown>;
  /** Width of its parallel group (1: sequential). */
  width: number;
}

/** One difference between a recorded run and today's code. */
export interface HistoryChange {
  kind: HistoryChangeKind;
  /** The recorded position it concerns (for inserted and appended steps: today's position). */
  position: number;
  recorded?: StepShape;
  current?: StepShape;
  /** Whether the SDK itself fails the in-flight run on it (it only compares names, types and parallel widths). */
  sdkDetects: boolean;
  /** error: in-flight runs break; warning: they silently keep the recorded behaviour; info: safe. */
  severity: "error" | "warning" | "info";
  /** The recorded step is still pending (a wait or call QStash has not appended yet). */
  pending?: boolean;
}

function recordedShape(r: RecordedPosition): StepShape {
  return { position: r.position, name: r.name, type: r.type, ...(Object.keys(r.inputs).length ? { inputs: r.inputs } : {}), width: r.group.width };
}

function codeShape(c: CodeStep, keys?: string[]): StepShape {
  const inputs: Record<string, unknown> = {};
  for (const key of keys ?? Object.keys(c.inputs)) if (c.inputs[key] !== undefined) inputs[key] = c.inputs[key];
  return { position: c.position, name: c.name, type: c.type, ...(Object.keys(inputs).length ? { inputs } : {}), width: c.width };
}

/** Equal inputs: durations compared in seconds ("60s" equals 60 and "1m"). */
function sameInput(key: string, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((key === "sleepFor" || key === "timeout") && (typeof a === "number" || typeof a === "string") && (typeof b === "number" || typeof b === "string")) {
    const x = durationToSeconds(a);
    return x !== undefined && x === durationToSeconds(b);
  }
  return false;
}

/** Indices (into `seq`) of one longest increasing subsequence. */
function longestIncreasing(seq: number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  let k = tails.length ? tails[tails.length - 1]! : -1;
  while (k >= 0) {
    keep.add(k);
    k = prev[k]!;
  }
  return keep;
}

/**
 * Classifies every difference between the recorded positions and the steps today's code issued
 * in the walk. `strict` turns the silent divergences (changed inputs, removed trailing steps) into errors.
 */
export function compareWalk(recorded: RecordedPosition[], walk: WalkOutcome, strict: boolean): HistoryChange[] {
  const changes: HistoryChange[] = [];
  const silent = strict ? "error" : "warning";
  const code = walk.steps;
  const claimOf = new Map<number, CodeStep>();
  for (const c of code) if (c.claim) claimOf.set(c.claim.recorded.position, c);
  const coveredCode = new Set<CodeStep>();
  const coveredRecorded = new Set<number>();

  // Parallel width: a group of today's code that took steps from a recorded group of another width.
  const units = new Map<number, CodeStep[]>();
  for (const c of code) (units.get(c.unit) ?? units.set(c.unit, []).get(c.unit)!).push(c);
  const reportedGroups = new Set<number>();
  for (const members of units.values()) {
    const width = members.length;
    const groups = new Map<number, { start: number; width: number }>();
    for (const member of members) {
      const group = member.claim?.recorded.group;
      if (group && group.width !== width && !reportedGroups.has(group.start)) groups.set(group.start, group);
    }
    if (groups.size === 0) continue;
    const recordedMembers = recorded.filter((r) => [...groups.values()].some((g) => r.position >= g.start && r.position < g.start + g.width));
    for (const g of groups.values()) reportedGroups.add(g.start);
    for (const m of members) coveredCode.add(m);
    for (const r of recordedMembers) coveredRecorded.add(r.position);
    const first = recordedMembers[0]!;
    changes.push({
      kind: "width-changed",
      position: first.position,
      recorded: { ...recordedShape(first), name: recordedMembers.map((r) => r.name).join(", ") },
      current: { ...codeShape(members[0]!), name: members.map((m) => m.name).join(", ") },
      sdkDetects: true,
      severity: "error",
    });
  }

  // Order: steps matched by name that are out of the recorded order.
  const named = code.filter((c) => c.claim?.how === "name" && !coveredCode.has(c));
  const keep = longestIncreasing(named.map((c) => c.claim!.recorded.position));
  named.forEach((c, i) => {
    if (keep.has(i)) return;
    const r = c.claim!.recorded;
    coveredRecorded.add(r.position);
    changes.push({ kind: "reordered", position: r.position, recorded: recordedShape(r), current: codeShape(c), sdkDetects: true, severity: "error" });
  });

  const maxClaimed = Math.max(0, ...code.filter((c) => c.claim).map((c) => c.claim!.recorded.position));
  const unclaimedCode = code.filter((c) => !c.claim && !coveredCode.has(c));
  const pairedCode = new Set<CodeStep>();

  for (const r of recorded) {
    if (coveredRecorded.has(r.position)) continue;
    const c = claimOf.get(r.position);
    const pending = r.pending ? { pending: true } : {};
    if (c && c.claim!.how === "position") {
      changes.push({ kind: "renamed", position: r.position, recorded: recordedShape(r), current: codeShape(c), sdkDetects: true, severity: "error", ...pending });
      continue;
    }
    if (c) {
      if (c.type !== r.type) {
        changes.push({ kind: "type-changed", position: r.position, recorded: recordedShape(r), current: codeShape(c), sdkDetects: true, severity: "error", ...pending });
        continue;
      }
      const differing = Object.keys(r.inputs).filter((key) => key in c.inputs && !sameInput(key, r.inputs[key], c.inputs[key]));
      if (differing.length > 0) {
        changes.push({
          kind: "inputs-changed",
          position: r.position,
          recorded: { ...recordedShape(r), inputs: Object.fromEntries(differing.map((k) => [k, r.inputs[k]])) },
          current: codeShape(c, differing),
          sdkDetects: false,
          severity: silent,
          ...pending,
        });
      }
      continue;
    }
    // Unmatched recorded step: replaced in place, removed, or beyond where the walk got.
    const inPlace = unclaimedCode.find((u) => u.position === r.position && !pairedCode.has(u));
    if (inPlace) {
      pairedCode.add(inPlace);
      changes.push({ kind: "replaced", position: r.position, recorded: recordedShape(r), current: codeShape(inPlace), sdkDetects: true, severity: "error", ...pending });
      continue;
    }
    const trailing = r.position > maxClaimed;
    if (trailing && walk.ended !== "returned") continue; // not reached: the walk cannot tell
    changes.push({
      kind: "removed",
      position: r.position,
      recorded: recordedShape(r),
      sdkDetects: !trailing,
      severity: trailing ? silent : "error",
      ...pending,
    });
  }

  for (const c of unclaimedCode) {
    if (pairedCode.has(c)) continue;
    const laterMatch = code.some((o) => o.position > c.position && o.claim);
    const recordedAhead = recorded.some((r) => r.position >= c.position && !claimOf.has(r.position) && !coveredRecorded.has(r.position));
    if (laterMatch || recordedAhead) {
      changes.push({ kind: "inserted", position: c.position, current: codeShape(c), sdkDetects: true, severity: "error" });
    } else {
      changes.push({ kind: "appended", position: c.position, current: codeShape(c), sdkDetects: false, severity: "info" });
    }
  }
  const rank: Record<HistoryChange["severity"], number> = { error: 0, warning: 1, info: 2 };
  return changes.sort((a, b) => a.position - b.position || rank[a.severity] - rank[b.severity]);
}
