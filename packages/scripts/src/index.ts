export {
  allScripts,
  lockAcquire,
  lockExtend,
  lockGet,
  lockInspect,
  lockRelease,
  redfourAcquire,
  redfourExtend,
  redfourRelease,
  redlockFenceRaise,
  semaphoreAcquire,
  semaphoreExtend,
  semaphoreRelease,
} from './generated/scripts.js';
export type { LuaScript } from './types.js';
