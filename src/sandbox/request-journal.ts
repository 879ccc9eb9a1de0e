import { currentFrame } from "./scope.js";

/** One answer the run's network layer gave a step function: enough to hand the same answer again. */
interface JournalEntry {
  method: string;
  url: string;
  /** The response's parts (read once, when it was given), or the error the request failed with. */
  answer: Promise<{ status: number; statusText: string; headers: Array<[string, string]>; body: ArrayBuffer | null } | Error>;
}

/** What the journal knows about one detector pass that re-runs step functions. */
interface PassState {
  /** How many requests each step function (by step name and id) has made in this pass so far. */
  made: Map<string, number>;
  /** Each request a re-run step function made, in order, as `METHOD URL body`, by step id. */
  sent: Map<number, string[]>;
  /** A request the run's own execution of that step never made: the pass cannot stand for it. */
  tainted: boolean;
}

const stepKey = (name: string, id: number) => `${id}\u0000${name}`;

/**
 * The requests the step functions of one replay made, with their answers, so a detector pass that
 * runs a step function again (the straight-through pass) gets the same answers without reaching the
 * user's handlers, the application's QStash client or anything else a second time: a detector never
 * changes what the user's test observes (decision 1290).
 *
 * The run records (through {@link RequestJournal.record}); a pass registers its frame owner with
 * {@link RequestJournal.pass} and the network layer asks {@link RequestJournal.answer} first.
 *
 * @example
 * ```ts
 * const journal = new RequestJournal(owner);
 * interceptNetwork({ ..., override: (r) => journal.answer(r), answered: (r, a) => journal.record(r, a) });
 * const passOwner = journal.pass(); // frames of this owner are answered from the journal
 * ```
 */
export class RequestJournal {
  /** The run's requests by step (the last execution of a step only: a retried step starts again). */
  private readonly entries = new Map<string, { invocation: number; list: JournalEntry[] }>();
  private readonly passes = new WeakMap<object, PassState>();

  /** @param runOwner the owner of the run's own frames, whose step-function requests are recorded. */
  constructor(private readonly runOwner: object) {}

  /** Records the answer the run's network gave a request made inside one of the run's step functions. */
  record(request: Request, answer: Response | Error): void {
    const frame = currentFrame();
    if (!frame || frame.owner !== this.runOwner || !frame.step || frame.harness) return;
    const key = stepKey(frame.step.name, frame.step.id);
    let slot = this.entries.get(key);
    if (!slot || slot.invocation !== frame.invocation) this.entries.set(key, (slot = { invocation: frame.invocation, list: [] }));
    const copy = answer instanceof Error ? undefined : answer.clone();
    slot.list.push({
      method: request.method,
      url: request.url,
      answer: copy
        ? copy.arrayBuffer().then(
            (body) => ({ status: copy.status, statusText: copy.statusText, headers: [...copy.headers], body: copy.body === null ? null : body }),
            (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
          )
        : Promise.resolve(answer as Error),
    });
  }

  /** A new owner for the frames of one pass: their requests are answered from the journal. */
  pass(): object {
    const owner = {};
    this.passes.set(owner, { made: new Map(), sent: new Map(), tainted: false });
    return owner;
  }

  /** Whether a pass made a request the run never made (its outcome stands for nothing). */
  tainted(owner: object): boolean {
    return this.passes.get(owner)?.tainted ?? false;
  }

  /** The requests a pass's step function made, as `METHOD URL body`, in order. */
  sent(owner: object, stepId: number): readonly string[] {
    return this.passes.get(owner)?.sent.get(stepId) ?? [];
  }

  /**
   * The answer for a request made in a pass's frame: the run's answer to the same request of the same
   * step, or an error (and the pass tainted) when the run made no such request. Undefined, at once,
   * for a request that is not a pass's: the network layer answers it as usual.
   */
  answer(request: Request): Promise<Response | Error> | undefined {
    const frame = currentFrame();
    const state = frame ? this.passes.get(frame.owner) : undefined;
    return frame && state ? this.answerPass(request, frame.step, state) : undefined;
  }

  private async answerPass(request: Request, step: { name: string; id: number } | undefined, state: PassState): Promise<Response | Error> {
    const body = request.body === null ? "" : await request.clone().text();
    const refuse = () => {
      state.tainted = true;
      return new TypeError(
        `[workflow-replay] A detector pass did not send ${request.method} ${request.url}: the run's own execution of this step made no such request, so it has no answer to repeat.`,
      );
    };
    if (!step) return refuse();
    let sent = state.sent.get(step.id);
    if (!sent) state.sent.set(step.id, (sent = []));
    sent.push(`${request.method} ${request.url}${body ? ` ${body}` : ""}`);
    const key = stepKey(step.name, step.id);
    const index = state.made.get(key) ?? 0;
    state.made.set(key, index + 1);
    const entry = this.entries.get(key)?.list[index];
    if (!entry || entry.method !== request.method || entry.url !== request.url) return refuse();
    const answer = await entry.answer;
    if (answer instanceof Error) return answer;
    return new Response(answer.body === null ? null : answer.body.slice(0), { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  }
}
