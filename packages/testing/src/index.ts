export {
  FencedResource,
  type FencedWrite,
  type HoldRecord,
  type ListUpdate,
  LostUpdateChecker,
  type LostUpdateReport,
  type Overlap,
  OverlapChecker,
  type SerializedHoldRecord,
} from './checkers.js';
export { withClient } from './client.js';
export { lastCommandOf, listKeys, pubsubChannels, uniqueKey } from './helpers.js';
export { type ChaosProxy, type ChaosProxyOptions, createChaosProxy } from './proxy.js';
export { type ResolvedRedis, resolveRedis } from './resolve.js';
export {
  findRedisServerBinary,
  freePort,
  type RedisEndpoint,
  type RedisServer,
  type RestartOptions,
  type StartRedisOptions,
  startRedis,
  UnsupportedFaultError,
} from './server.js';
export {
  type ClusterOptions,
  type Nodes,
  type Replicated,
  type ReplicatedOptions,
  type StartedCluster,
  startCluster,
  startNodes,
  startReplicated,
} from './topologies.js';
