export { createRedis, pingRedis, type RedisRole } from './redis-connection';
export type { default as Redis } from 'ioredis';
