import { buildWithDropIns } from '../../tsup.shared.js';

// The drop-ins load ioredis lazily with createRequire(import.meta.url), shimmed in the CJS build.
export default buildWithDropIns(['src/index.ts'], ['src/redfour.ts', 'src/ioredfour.ts'], { shims: true });
