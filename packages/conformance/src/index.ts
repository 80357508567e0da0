export {
  type ClusterSuiteClient,
  clientKinds,
  openClient,
  openClusterClient,
  type SuiteClient,
} from './clients.js';
export { type ConformanceGroup, conformanceGroups } from './groups/titles.js';
export { describeLockStrategy } from './suite.js';
export type { ClientKind, ConformanceContext, ConformanceTarget } from './types.js';
