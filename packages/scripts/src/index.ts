export { allScripts, lockAcquire, lockExtend, lockInspect, lockRelease } from './generated/scripts.js';
export type { LuaScript } from './types.js';
