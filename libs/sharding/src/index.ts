export * from './clock';
export * from './logical-shard';
export * from './order-id.codec';
export * from './order-id.generator';
export * from './worker-lease';
export * from './shard-map';
export * from './shard-router';
export * from './shard-map.change';
