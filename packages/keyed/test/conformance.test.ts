import { describeLockStrategy } from '@redis-locks/conformance';
import { createKeyedLock } from '../src/index.js';

describeLockStrategy({
  name: 'keyed',
  create: ({ client, namespace }) => createKeyedLock({ client, namespace }),
});
