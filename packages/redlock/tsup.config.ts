import { buildWithDropIns } from '../../tsup.shared.js';

export default buildWithDropIns(['src/index.ts'], ['src/redlock-async.ts']);
