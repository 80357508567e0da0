export {
  allScripts,
  lockAcquire,
  lockExtend,
  lockGet,
  lockInspect,
  lockRelease,
} from './generated/scripts.js';
export type { LuaScript } from './types.js';
