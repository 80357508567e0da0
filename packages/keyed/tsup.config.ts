import { buildWithDropIns } from '../../tsup.shared.js';

export default buildWithDropIns(['src/index.ts'], ['src/ac-redislock.ts']);
