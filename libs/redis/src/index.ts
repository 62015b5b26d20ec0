export { createRedis, pingRedis, clusterOptions, clusterFailoverPatience, type RedisRole } from './redis-connection';
export { familyKey, groupBySlot, slotKeyOf, spreadTag } from './key-tags';
export type { default as Redis } from 'ioredis';
