/** Sizes per run: `smoke` (the default `pnpm test`, < 60 s), `full` (`pnpm test:faults`), `soak`. */
export type Profile = 'smoke' | 'full' | 'soak';

export const PROFILE: Profile = (process.env.FAULTS_PROFILE as Profile | undefined) ?? 'smoke';
const full = PROFILE !== 'smoke';

export const SIZES = {
  baseline: {
    processes: full ? 6 : 3,
    clients: full ? 8 : 2,
    keys: full ? 8 : 4,
    durationMs: full ? 60_000 : 1_500,
    holdMaxMs: 20,
  },
  pause: { pauses: full ? 200 : 2, pairs: full ? 3 : 1 },
  block: { rounds: full ? 5 : 1 },
  race: { rounds: full ? 10_000 : 300, concurrency: full ? 100 : 75, workers: 2 },
  stall: {
    processes: full ? 4 : 2,
    clients: full ? 4 : 2,
    faultsPerKind: full ? 2 : 1,
    recoveryWindowMs: full ? 3000 : 1500,
  },
  restart: { rounds: full ? 3 : 1, resources: full ? 8 : 4 },
  ambiguous: { rounds: full ? 50 : 3 },
  soak: {
    minutes: Number(process.env.FAULTS_SOAK_MINUTES ?? 30),
    faultEveryMs: Number(process.env.FAULTS_SOAK_FAULT_EVERY_MS ?? 30_000),
  },
  /** Every lease is at least this long (ms). */
  ttl: 500,
};
