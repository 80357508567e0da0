/**
 * Entry of a bench worker process (forked by the bench with IPC and `advanced` serialization, so bigint
 * timestamps travel as they are). It opens one contended subject at a time and answers numbered requests.
 */
import type { HeldLock, OpenContended } from '../contended/contended-subject.js';
import { contendedSubject } from '../contended/registry.js';
import { contendLoops } from './contend-loops.js';
import type { HeldReply, NumberedRequest, ReleasedReply, WorkerMessage } from './protocol.js';

let subject: OpenContended | undefined;
const held = new Map<string, HeldLock>();

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function opened(): OpenContended {
  if (!subject) throw new Error('no subject open');
  return subject;
}

async function handle(request: NumberedRequest): Promise<unknown> {
  switch (request.op) {
    case 'open':
      subject = await contendedSubject(request.subject).open({ urls: request.urls, ttlMs: request.ttlMs });
      return null;
    case 'hold': {
      held.set(request.resource, await opened().acquire(request.resource, request.waitTimeoutMs));
      return { heldAt: process.hrtime.bigint(), notifications: [], observable: false } satisfies HeldReply;
    }
    case 'wait': {
      const open = opened();
      const probe = await open.tryAcquire(request.resource);
      if (probe) {
        await probe.release();
        throw new Error(`wait: ${request.resource} was free; the holder lost it`);
      }
      send({ id: request.id, event: 'waiting' });
      const before = open.notifications?.length ?? 0;
      const lock = await open.acquire(request.resource, request.waitTimeoutMs);
      const heldAt = process.hrtime.bigint();
      held.set(request.resource, lock);
      return {
        heldAt,
        notifications: open.notifications?.slice(before) ?? [],
        observable: open.notifications !== undefined,
      } satisfies HeldReply;
    }
    case 'release': {
      const lock = held.get(request.resource);
      if (!lock) throw new Error(`release: ${request.resource} not held here`);
      held.delete(request.resource);
      const releaseStartedAt = process.hrtime.bigint();
      const released = await lock.release();
      return { releaseStartedAt, released } satisfies ReleasedReply;
    }
    case 'contend':
      return contendLoops(opened(), request);
    case 'close': {
      for (const lock of held.values()) await lock.release().catch(() => undefined);
      held.clear();
      await subject?.close();
      subject = undefined;
      return null;
    }
  }
}

process.on('message', (raw) => {
  const request = raw as NumberedRequest;
  handle(request).then(
    (result) => send({ id: request.id, ok: true, result }),
    (error: unknown) =>
      send({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
