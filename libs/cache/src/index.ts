export * from './redis.client';
export * from './cache.metrics';
export * from './entity.cache';
export * from './idempotency.cache';
export * from './cache.module';
export * from './redis.probe';
export * from './fenced.lock';
export * from './redis-breaker';
