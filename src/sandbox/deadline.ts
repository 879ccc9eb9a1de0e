import { originals } from "./globals.js";

/** A deadline waiting on the shared timer: its real expiry (seconds of `process.uptime()`) and what it does then. */
interface Alarm {
  at: number;
  fire: () => void;
}

/**
 * Every deadline of the harness shares one real timer (decision 1304): a delivery used to create a
 * `Timeout` and clear it again, an async resource and a timer-list insertion each time. Now a
 * deadline is an entry in {@link alarms}; the timer is set for the earliest one, kept referenced
 * only while any is waiting (so it holds the process exactly as a deadline's own timer would), and,
 * when it fires early for deadlines cleared meanwhile, it is set again for the earliest left.
 * Deadlines are real time: `process.uptime()` and the timers captured from `node:timers`, which no
 * fake-timer library touches (decision 1301).
 */
const alarms = new Set<Alarm>();
let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt = Number.POSITIVE_INFINITY;

function setAlarm(ms: number, fire: () => void): Alarm {
  const alarm: Alarm = { at: process.uptime() + ms / 1000, fire };
  alarms.add(alarm);
  if (alarm.at < timerAt) arm(alarm.at);
  else timer?.ref();
  return alarm;
}

function clearAlarm(alarm: Alarm): void {
  if (alarms.delete(alarm) && alarms.size === 0) timer?.unref();
}

function arm(at: number): void {
  if (timer !== undefined) originals.clearTimeout(timer);
  timerAt = at;
  timer = originals.setTimeout(ring, Math.max(1, Math.ceil((at - process.uptime()) * 1000)));
}

function ring(): void {
  timer = undefined;
  timerAt = Number.POSITIVE_INFINITY;
  // a millisecond of slack: libuv's clock and process.uptime() do not tick together
  const now = process.uptime() + 0.001;
  let next = Number.POSITIVE_INFINITY;
  for (const alarm of [...alarms]) {
    if (alarm.at <= now) {
      alarms.delete(alarm);
      try {
        alarm.fire();
      } catch (error) {
        // as from a timer callback of its own, without keeping the other deadlines from firing
        queueMicrotask(() => {
          throw error;
        });
      }
    } else if (alarm.at < next) {
      next = alarm.at;
    }
  }
  // a deadline set by a fired one's handler has armed the timer itself
  if (next < timerAt) arm(next);
}

/**
 * Races `work` against a deadline on the harness's own timer (the one captured at module load, so a
 * user's fake timers cannot stop it). When `ms` pass first, the result is `onTimeout()`'s value, or
 * its exception as the rejection; either way the deadline is cleared when the race ends.
 *
 * @example
 * const outcome = await withDeadline(run(), 5_000, () => "stalled" as const);
 */
export function withDeadline<T, U>(work: Promise<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  let alarm: Alarm | undefined;
  const deadline = new Promise<U>((resolve, reject) => {
    alarm = setAlarm(ms, () => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    });
  });
  return Promise.race([work, deadline]).finally(() => clearAlarm(alarm!));
}

/**
 * One deadline for every phase of one delivery (the auth dry run, then the route): started once,
 * raced by each phase, cleared once. `describe` says, when the deadline passes, which phase hung (it
 * is read then, so it names the phase running at that moment).
 *
 * @example
 * const deadline = new Deadline(5_000, () => new Error("hung"));
 * try { await deadline.race(dryRun()); await deadline.race(route()); } finally { deadline.clear(); }
 */
export class Deadline {
  private readonly alarm: Alarm;
  private readonly expired: Promise<never>;

  constructor(ms: number, onTimeout: () => Error) {
    let fire!: (error: Error) => void;
    this.expired = new Promise<never>((_, reject) => (fire = reject));
    // never raced after the last phase: a late expiry must not surface as an unhandled rejection
    this.expired.catch(() => {});
    this.alarm = setAlarm(ms, () => fire(onTimeout()));
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  clear(): void {
    clearAlarm(this.alarm);
  }
}
