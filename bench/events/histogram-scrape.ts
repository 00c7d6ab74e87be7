/** Cumulative bucket counts of one Prometheus histogram series, read from a /metrics text. */
export type Buckets = Map<number, number>;

export async function scrapeHistogram(metricsUrl: string, name: string, labels: string): Promise<Buckets> {
  const text = await (await fetch(metricsUrl)).text();
  const buckets: Buckets = new Map();
  const prefix = `${name}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix) || !line.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (le !== undefined) buckets.set(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), value);
  }
  return buckets;
}

/**
 * The `p`-th percentile (0..100) of the observations made between two scrapes, in milliseconds,
 * interpolated linearly inside its bucket (as Prometheus' histogram_quantile does): an estimate
 * whose precision is the bucket width.
 */
export function histogramPercentileMs(before: Buckets, after: Buckets, p: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((bound) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return Number.NaN;
  const rank = (p / 100) * total;
  for (let i = 0; i < bounds.length; i += 1) {
    if (counts[i] >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1];
      const upper = bounds[i];
      if (!Number.isFinite(upper)) return lower * 1000;
      const below = i === 0 ? 0 : counts[i - 1];
      const inBucket = counts[i] - below;
      const fraction = inBucket > 0 ? (rank - below) / inBucket : 1;
      return (lower + (upper - lower) * fraction) * 1000;
    }
  }
  return Number.NaN;
}

export function observationCount(before: Buckets, after: Buckets): number {
  return (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
}
