/**
 * Entry of a `redis-locks compare` worker process (forked by the parent with an IPC channel and the
 * `advanced` serialization, so bigint timestamps travel as they are). It answers numbered requests and
 * exits when the parent closes the channel (after `close`) or goes away.
 */

import type { NumberedRequest, WorkerMessage } from './worker-protocol.js';
import { WorkerSession } from './worker-session.js';

const session = new WorkerSession();

function send(message: WorkerMessage): void {
  process.send?.(message);
}

process.on('message', (raw) => {
  const request = raw as NumberedRequest;
  session
    .handle(request, () => send({ id: request.id, event: 'waiting' }))
    .then(
      (result) => send({ id: request.id, ok: true, result }),
      (error: unknown) => {
        const err = error as { message?: string; code?: unknown };
        send({
          id: request.id,
          ok: false,
          error: {
            message: err?.message ?? String(error),
            ...(typeof err?.code === 'string' ? { code: err.code } : {}),
          },
        });
      },
    );
});

// The parent died or closed the channel: nothing left to do.
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group; the parent cleans up, this process just ends.
process.on('SIGINT', () => process.exit(130));
