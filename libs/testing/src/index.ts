export * from './http-app.harness';
export * from './http.client';
export * from './order.factory';
export * from './shard-rows';
