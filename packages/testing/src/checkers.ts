/** One lock hold: `start` right after acquire resolved, `end` right before release was sent. */
export interface HoldRecord {
  /** What was locked (the lock key or resource name). */
  resource: string;
  /** Who held it (lock token, worker id, ...). */
  owner: string;
  /** `process.hrtime.bigint()` taken right after acquire resolved. */
  start: bigint;
  /** `process.hrtime.bigint()` taken right before release was sent. */
  end: bigint;
}

/** Two holds of the same resource that intersect in time: a definite double grant. */
export interface Overlap {
  /** The resource both held. */
  resource: string;
  /** The hold that started first. */
  a: HoldRecord;
  /** The hold that started while `a` was still held. */
  b: HoldRecord;
}

/** A `HoldRecord` with decimal-string timestamps, for sending histories between processes as JSON. */
export interface SerializedHoldRecord {
  /** See `HoldRecord.resource`. */
  resource: string;
  /** See `HoldRecord.owner`. */
  owner: string;
  /** `start` as a decimal string. */
  start: string;
  /** `end` as a decimal string. */
  end: string;
}

/** Marks a hold that was acquired and never released: treated as held forever. */
const OPEN = 2n ** 127n;

const now = (): bigint => process.hrtime.bigint();
/** `Math.min` for bigints. */
const minBig = (x: bigint, y: bigint): bigint => (y < x ? y : x);

function fmt(t: bigint, origin: bigint): string {
  if (t === OPEN) return 'never released';
  return `${(Number(t - origin) / 1e6).toFixed(3)}ms`;
}

/**
 * Records acquire/release histories (from one or many processes on one machine, `hrtime` is
 * system-wide monotonic) and finds holds of the same resource that intersect in time.
 */
export class OverlapChecker {
  private readonly closed: HoldRecord[] = [];
  private readonly pending = new Map<string, { resource: string; owner: string; starts: bigint[] }>();

  /** Record that `owner` holds `resource` from `at` (default: now; call right after acquire resolved). */
  acquired(resource: string, owner: string, at: bigint = now()): void {
    const id = `${resource}\u0000${owner}`;
    let entry = this.pending.get(id);
    if (!entry) {
      entry = { resource, owner, starts: [] };
      this.pending.set(id, entry);
    }
    entry.starts.push(at);
  }

  /** Record that `owner` stops holding `resource` at `at` (default: now; call right before sending release). */
  released(resource: string, owner: string, at: bigint = now()): void {
    const id = `${resource}\u0000${owner}`;
    const entry = this.pending.get(id);
    const start = entry?.starts.shift();
    if (!entry || start === undefined) {
      throw new Error(`OverlapChecker.released(): ${owner} never acquired ${resource}`);
    }
    if (entry.starts.length === 0) this.pending.delete(id);
    this.add({ resource, owner, start, end: at });
  }

  /** Add a complete hold record (e.g. collected in another process). */
  add(record: HoldRecord): void {
    if (typeof record.start !== 'bigint' || typeof record.end !== 'bigint') {
      throw new TypeError('OverlapChecker.add(): start and end must be bigint (process.hrtime.bigint())');
    }
    if (record.end < record.start) {
      throw new RangeError(
        `OverlapChecker.add(): hold of ${record.resource} by ${record.owner} ends before it starts`,
      );
    }
    this.closed.push({ ...record });
  }

  /** Add records serialized with `toJSON()` in another process, or another checker's records. */
  merge(other: OverlapChecker | { records: SerializedHoldRecord[] }): void {
    if (typeof other.records === 'function') {
      // duck-typed, so checkers from another copy of this package merge too
      const checker = other as OverlapChecker;
      for (const r of checker.records()) this.add(r);
      for (const r of checker.openHolds()) this.acquired(r.resource, r.owner, r.start);
      return;
    }
    for (const r of (other as { records: SerializedHoldRecord[] }).records) {
      this.add({ resource: r.resource, owner: r.owner, start: BigInt(r.start), end: BigInt(r.end) });
    }
  }

  /** Completed holds, sorted by start. */
  records(): HoldRecord[] {
    return this.closed
      .map((r) => ({ ...r }))
      .sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  }

  /** Holds acquired and not (yet) released. */
  openHolds(): Array<{ resource: string; owner: string; start: bigint }> {
    const out: Array<{ resource: string; owner: string; start: bigint }> = [];
    for (const { resource, owner, starts } of this.pending.values()) {
      for (const start of starts) out.push({ resource, owner, start });
    }
    return out;
  }

  /** Completed holds as JSON-safe data (`JSON.stringify(checker)` works); feed to `merge()`. */
  toJSON(): { records: SerializedHoldRecord[] } {
    return {
      records: this.records().map((r) => ({ ...r, start: r.start.toString(), end: r.end.toString() })),
    };
  }

  /**
   * Every pair of holds on the same resource whose intervals intersect (touching ends do not count).
   * Holds still open count as held forever: record the real end (e.g. the crash time) with
   * `released(resource, owner, at)` when a holder dies or its lease is meant to lapse.
   */
  overlaps(): Overlap[] {
    const all: HoldRecord[] = [...this.closed, ...this.openHolds().map((o) => ({ ...o, end: OPEN }))];
    const byResource = new Map<string, HoldRecord[]>();
    for (const r of all) {
      let list = byResource.get(r.resource);
      if (!list) {
        list = [];
        byResource.set(r.resource, list);
      }
      list.push(r);
    }
    const found: Overlap[] = [];
    for (const [resource, list] of byResource) {
      list.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
      let active: HoldRecord[] = [];
      for (const b of list) {
        active = active.filter((a) => a.end > b.start);
        for (const a of active) {
          if (a.start < b.end) found.push({ resource, a: { ...a }, b: { ...b } });
        }
        active.push(b);
      }
    }
    return found.sort((x, y) => (x.b.start < y.b.start ? -1 : x.b.start > y.b.start ? 1 : 0));
  }

  /** Throw an Error listing the first few overlaps, if there are any. */
  assertNoOverlap(): void {
    const found = this.overlaps();
    if (found.length === 0) return;
    const origin = found.reduce((m, o) => minBig(m, o.a.start), found[0]!.a.start);
    const lines = found.slice(0, 5).map(({ resource, a, b }) => {
      const overlapEnd = minBig(a.end, b.end);
      const by = overlapEnd === OPEN ? 'still open' : `${(Number(overlapEnd - b.start) / 1e6).toFixed(3)}ms`;
      return (
        `  ${resource}: ${a.owner} [${fmt(a.start, origin)}, ${fmt(a.end, origin)}] and ` +
        `${b.owner} [${fmt(b.start, origin)}, ${fmt(b.end, origin)}] overlap (${by})`
      );
    });
    const more = found.length > 5 ? `\n  ... and ${found.length - 5} more` : '';
    throw new Error(`${found.length} overlapping hold(s), i.e. double grants:\n${lines.join('\n')}${more}`);
  }
}

/** One write attempt on a `FencedResource`. */
export interface FencedWrite {
  /** The key written. */
  key: string;
  /** The fencing token presented. */
  token: number | bigint;
  /** The value written. */
  value: unknown;
  /** Whether the write was accepted. */
  accepted: boolean;
}

/**
 * A storage that accepts a write for a key only with a fencing token strictly higher than any it has
 * seen for that key, and keeps a log to check itself.
 */
export class FencedResource {
  private readonly highest = new Map<string, number | bigint>();
  private readonly values = new Map<string, unknown>();
  private readonly entries: FencedWrite[] = [];
  private acceptedCount = 0;
  private rejectedCount = 0;

  /** Write `value` under `key` with fencing `token`; `false` means rejected as stale. */
  write(key: string, token: number | bigint, value?: unknown): boolean {
    if (typeof token === 'number' && !Number.isFinite(token)) {
      throw new TypeError(`FencedResource.write(): token must be a finite number or a bigint, got ${token}`);
    }
    if (typeof token !== 'number' && typeof token !== 'bigint') {
      throw new TypeError('FencedResource.write(): token must be a number or a bigint');
    }
    const ok = this.accepts(this.highest.get(key), token);
    if (ok) {
      this.highest.set(key, token);
      this.values.set(key, value);
      this.acceptedCount++;
    } else {
      this.rejectedCount++;
    }
    this.entries.push({ key, token, value, accepted: ok });
    return ok;
  }

  /**
   * The acceptance rule: no token seen yet, or a strictly higher one. Override only to build a broken
   * resource for a negative control (then `staleAcceptedCount()` must become non-zero).
   */
  protected accepts(highest: number | bigint | undefined, token: number | bigint): boolean {
    return highest === undefined || token > highest;
  }

  /** Number of accepted writes. */
  get accepted(): number {
    return this.acceptedCount;
  }

  /** Number of writes rejected as stale. */
  get rejected(): number {
    return this.rejectedCount;
  }

  /** The last accepted value for `key`. */
  read(key: string): unknown {
    return this.values.get(key);
  }

  /** The highest accepted token for `key`. */
  highestToken(key: string): number | bigint | undefined {
    return this.highest.get(key);
  }

  /** Every write attempt, in order. */
  log(): FencedWrite[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /**
   * Accepted writes whose token was not greater than the previously accepted one for the key,
   * recomputed from the log; must be 0.
   */
  staleAcceptedCount(): number {
    const last = new Map<string, number | bigint>();
    let stale = 0;
    for (const e of this.entries) {
      if (!e.accepted) continue;
      const prev = last.get(e.key);
      if (prev !== undefined && !(e.token > prev)) stale++;
      if (prev === undefined || e.token > prev) last.set(e.key, e.token);
    }
    return stale;
  }
}

/** An update of a shared list that the writer saw succeed: it read the list, appended `id`, wrote it back. */
export interface ListUpdate {
  /** The shared list (a Redis key) that was updated. */
  key: string;
  /** Unique id of the update (e.g. `${owner}.${n}`), the element it appended. */
  id: string;
  /** Who wrote it. */
  owner: string;
  /** Length of the list as read before appending (the version the writer based its write on). */
  readLength: number;
}

/** What `LostUpdateChecker.check()` found for one key. */
export interface LostUpdateReport {
  /** The shared list. */
  key: string;
  /** Updates recorded as successful. */
  updates: number;
  /** Ids recorded as written but missing from the final list: overwritten by a concurrent writer. */
  lost: string[];
  /** Pairs of updates that read the same version (same `readLength`): at most one of them can survive. */
  conflicts: number;
  /** Ids present more than once in the final list (a write applied twice). */
  duplicated: string[];
}

/**
 * Lost-update checker for a read-modify-write of a shared list under a lock: every holder reads the list,
 * appends a unique id and writes the whole list back (deliberately not atomic in Redis, only the lock
 * serialises it). Record every write that succeeded with `updated()`, then compare with the final
 * contents: an update missing from the final list was overwritten by a writer that held the "same" lock
 * concurrently. Pure: the caller does the Redis I/O (e.g. `GET` + `SET` of a JSON array).
 */
export class LostUpdateChecker {
  private readonly entries: ListUpdate[] = [];

  /** Record an update that succeeded: `id` appended by `owner` to a list read with `readLength` elements. */
  updated(key: string, id: string, owner: string, readLength: number): void {
    if (!Number.isSafeInteger(readLength) || readLength < 0) {
      throw new RangeError(
        `LostUpdateChecker.updated(): readLength must be an integer >= 0, got ${readLength}`,
      );
    }
    this.entries.push({ key, id, owner, readLength });
  }

  /** Add updates recorded elsewhere (another process's `toJSON()`, or another checker). */
  merge(other: LostUpdateChecker | { updates: ListUpdate[] }): void {
    const list = typeof other.updates === 'function' ? (other as LostUpdateChecker).updates() : other.updates;
    for (const u of list as ListUpdate[]) this.updated(u.key, u.id, u.owner, u.readLength);
  }

  /** Every recorded update, in recording order. */
  updates(): ListUpdate[] {
    return this.entries.map((u) => ({ ...u }));
  }

  /** Keys that received updates. */
  keys(): string[] {
    return [...new Set(this.entries.map((u) => u.key))];
  }

  /** JSON-safe data for `merge()` in another process. */
  toJSON(): { updates: ListUpdate[] } {
    return { updates: this.updates() };
  }

  /** Compare the recorded updates of `key` with its final contents (`null` = the key is gone). */
  check(key: string, finalList: readonly string[] | null): LostUpdateReport {
    const mine = this.entries.filter((u) => u.key === key);
    const counts = new Map<string, number>();
    for (const id of finalList ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
    const lost = mine.filter((u) => !counts.has(u.id)).map((u) => u.id);
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const byVersion = new Map<number, number>();
    for (const u of mine) byVersion.set(u.readLength, (byVersion.get(u.readLength) ?? 0) + 1);
    let conflicts = 0;
    for (const n of byVersion.values()) conflicts += (n * (n - 1)) / 2;
    return { key, updates: mine.length, lost, conflicts, duplicated };
  }

  /** Total lost updates over `finals` (key → final list); every recorded key must be present in `finals`. */
  lostUpdates(finals: Readonly<Record<string, readonly string[] | null>>): number {
    let lost = 0;
    for (const key of this.keys()) {
      if (!(key in finals)) throw new Error(`LostUpdateChecker.lostUpdates(): no final contents for ${key}`);
      lost += this.check(key, finals[key]!).lost.length;
    }
    return lost;
  }

  /** Throw an Error describing the first few lost updates, if there are any. */
  assertNoLostUpdate(finals: Readonly<Record<string, readonly string[] | null>>): void {
    const reports = this.keys().map((key) => {
      if (!(key in finals)) throw new Error(`LostUpdateChecker: no final contents for ${key}`);
      return this.check(key, finals[key]!);
    });
    const bad = reports.filter((r) => r.lost.length > 0 || r.duplicated.length > 0);
    if (bad.length === 0) return;
    const total = bad.reduce((n, r) => n + r.lost.length, 0);
    const lines = bad
      .slice(0, 5)
      .map(
        (r) =>
          `  ${r.key}: ${r.lost.length} of ${r.updates} updates lost (${r.lost.slice(0, 3).join(', ')}` +
          `${r.lost.length > 3 ? ', ...' : ''}), ${r.conflicts} conflicting read(s)` +
          (r.duplicated.length ? `, ${r.duplicated.length} duplicated` : ''),
      );
    throw new Error(`${total} lost update(s), i.e. concurrent read-modify-writes:\n${lines.join('\n')}`);
  }
}
