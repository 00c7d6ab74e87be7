import { Counter, register } from 'prom-client';

function counter(): Counter<'cache' | 'result'> {
  const existing = register.getSingleMetric('eos_cache_requests_total');
  if (existing) return existing as Counter<'cache' | 'result'>;
  return new Counter({
    name: 'eos_cache_requests_total',
    help: 'Entity cache lookups by cache and result (hit, miss, error)',
    labelNames: ['cache', 'result'],
  });
}

/** Lookups per cache and result; the hit ratio is hit / (hit + miss + error). */
export const cacheRequests = counter();
