import { describeLockStrategy } from '@redis-locks/conformance';
import { createOptimisticLock } from '../src/index.js';

describeLockStrategy({
  name: 'optimistic',
  create: ({ client, namespace }) => createOptimisticLock({ client, namespace }),
});
