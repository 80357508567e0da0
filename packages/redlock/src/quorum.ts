import type { NodeVote } from '@redis-locks/core';

/** What one node finally answered (no timeout applied): a reply or an error. */
export type NodeOutcome<R> =
  | { readonly ok: true; readonly reply: R }
  | { readonly ok: false; readonly error: unknown };

/** One node's vote at the moment a quorum round settled. */
export interface RoundVote<R> extends NodeVote {
  /** The node's reply, when it answered in time. */
  readonly reply?: R;
}

/** The tally a round's stop condition reads. */
export interface Tally {
  readonly for: number;
  readonly against: number;
  readonly failed: number;
  readonly pending: number;
}

/** What a quorum round found. */
export interface Round<R> {
  /** Per-node votes at settle time; nodes that had not answered yet are recorded as 'timeout'. */
  readonly votes: RoundVote<R>[];
  /** Counts of `votes`. */
  readonly tally: Tally;
  /** Each node's eventual answer (never rejects), also for nodes that answered after the round settled. */
  readonly outcomes: readonly Promise<NodeOutcome<R>>[];
  /** Votes as known now: like `votes`, with answers that arrived after the round settled filled in. */
  current(): RoundVote<R>[];
  /** Nodes that had not answered when the round settled early (their timeout had not run out yet). */
  readonly unanswered: readonly number[];
}

/** Options of {@link runRound}. */
export interface RoundOptions<R> {
  /** Sends the request to node `index`. */
  readonly request: (index: number) => Promise<R>;
  /** Number of nodes. */
  readonly size: number;
  /** Classifies a reply; throwing counts the node as 'error'. */
  readonly classify: (reply: R) => 'for' | 'against';
  /** Per-node timeout in ms: a node that has not answered by then votes 'timeout'. */
  readonly timeout: number;
  /** Settles the round early when it returns true; otherwise the round waits for every node (or its timeout). */
  readonly done?: (tally: Tally) => boolean;
  /** Called once per node whose request failed or timed out (also when that happens after the round settled). */
  readonly onNodeError?: (node: number, error: unknown) => void;
}

/** A node that did not answer within the per-node timeout. */
export class NodeTimeoutError extends Error {
  /** The per-node timeout, in ms. */
  readonly timeout: number;
  constructor(node: number, timeout: number) {
    super(`node ${node} did not answer within ${timeout} ms`);
    this.name = 'NodeTimeoutError';
    this.timeout = timeout;
  }
}

/**
 * Sends one request to every node in parallel and settles as soon as `done(tally)` holds, or when every
 * node has answered or timed out. A hung node never stalls a round: it votes 'timeout' after `timeout`.
 */
export function runRound<R>(options: RoundOptions<R>): Promise<Round<R>> {
  const { size, timeout } = options;
  const votes: (RoundVote<R> | undefined)[] = new Array(size).fill(undefined);
  const latest: (RoundVote<R> | undefined)[] = new Array(size).fill(undefined);
  // Built lazily: a round that settles at a quorum records the late nodes as 'timeout', and capturing an
  // error's stack for each of them on every successful operation is most of a round's CPU.
  const timedOut = (node: number): RoundVote<R> => {
    let error: NodeTimeoutError | undefined;
    return {
      node,
      vote: 'timeout',
      get error() {
        error ??= new NodeTimeoutError(node, timeout);
        return error;
      },
    };
  };
  const tally = { for: 0, against: 0, failed: 0, pending: size };
  const outcomes: Promise<NodeOutcome<R>>[] = [];

  return new Promise<Round<R>>((resolve) => {
    let settled = false;
    // One timer for the round: every request went out at the same moment, so they all time out together.
    let timer: NodeJS.Timeout | undefined;
    const snapshot = (): Round<R> => ({
      votes: votes.map((vote, node) => vote ?? timedOut(node)),
      tally: { ...tally },
      outcomes,
      current: () => latest.map((vote, node) => vote ?? votes[node] ?? timedOut(node)),
      unanswered: votes.flatMap((vote, node) => (vote === undefined ? [node] : [])),
    });
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(snapshot());
    };
    const check = () => {
      if (settled) return;
      if (tally.pending === 0 || options.done?.(tally)) settle();
    };
    const reported: boolean[] = new Array(size).fill(false);
    const answered: boolean[] = new Array(size).fill(false);
    const record = (node: number, vote: RoundVote<R>) => {
      if (vote.vote !== 'timeout') latest[node] = vote;
      if ((vote.vote === 'error' || vote.vote === 'timeout') && !reported[node]) {
        reported[node] = true;
        options.onNodeError?.(node, vote.error);
      }
      if (settled || votes[node] !== undefined) return;
      votes[node] = vote;
      tally.pending--;
      if (vote.vote === 'for') tally.for++;
      else if (vote.vote === 'against') tally.against++;
      else tally.failed++;
      check();
    };

    for (let node = 0; node < size; node++) {
      let sent: Promise<R>;
      try {
        sent = Promise.resolve(options.request(node));
      } catch (error) {
        sent = Promise.reject(error);
      }
      const outcome = sent.then(
        (reply): NodeOutcome<R> => ({ ok: true, reply }),
        (error: unknown): NodeOutcome<R> => ({ ok: false, error }),
      );
      outcomes.push(outcome);
      void outcome.then((result) => {
        answered[node] = true;
        if (!result.ok) return record(node, { node, vote: 'error', error: result.error });
        let vote: 'for' | 'against';
        try {
          vote = options.classify(result.reply);
        } catch (error) {
          return record(node, { node, vote: 'error', error });
        }
        record(node, { node, vote, reply: result.reply });
      });
    }
    timer = setTimeout(() => {
      for (let node = 0; node < size; node++) if (!answered[node]) record(node, timedOut(node));
    }, timeout);
    check();
  });
}

/**
 * Resolves true once `needed` of `checks` resolved true, false once that became impossible or `timeout`
 * ms passed. Checks that reject count as false.
 */
export function atLeast(
  checks: readonly Promise<boolean>[],
  needed: number,
  timeout: number,
): Promise<boolean> {
  if (needed <= 0) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    let yes = 0;
    let open = checks.length;
    let settled = false;
    const finish = (value: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => finish(false), timeout);
    if (yes + open < needed) finish(false);
    for (const check of checks) {
      check.then(
        (ok) => {
          open--;
          if (ok) yes++;
          if (yes >= needed) finish(true);
          else if (yes + open < needed) finish(false);
        },
        () => {
          open--;
          if (yes + open < needed) finish(false);
        },
      );
    }
  });
}

/** The strict-majority quorum of `n` nodes: floor(n / 2) + 1. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}
