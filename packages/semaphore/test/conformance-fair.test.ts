import { describeLockStrategy } from '@redis-locks/conformance';
import { createSemaphore } from '../src/index.js';

describeLockStrategy({
  name: 'semaphore (fair)',
  create: ({ client, namespace }) => createSemaphore({ client, namespace, fair: true }),
});
