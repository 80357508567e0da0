// node-redis-warlock 1.0.2 ships no types; the interop test drives it through callbacks only.
declare module 'node-redis-warlock' {
  type Callback = (err: Error | null, ...results: any[]) => void;
  interface OriginalWarlock {
    lock(key: string, ttl: number, cb: Callback): string;
    unlock(key: string, id: string, cb: Callback): Promise<void>;
  }
  const factory: (redis: unknown) => OriginalWarlock;
  export default factory;
}
