/** One sample line of a Prometheus text exposition. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusScrape {
  /** Metric name -> type, from the `# TYPE` lines: every metric registered, sampled or not. */
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly PrometheusSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Reads the text a `/metrics` endpoint serves (enough of the format for prom-client's output). */
export function parsePrometheusText(text: string): PrometheusScrape {
  const types = new Map<string, string>();
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice('# TYPE '.length).split(' ');
      types.set(name, type);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL))
      labels[key] = value.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return { types, samples };
}

/** Samples of `metric`, including a histogram's `_bucket`, `_sum` and `_count` series. */
export function samplesOf(scrape: PrometheusScrape, metric: string): PrometheusSample[] {
  const series = new Set([metric, `${metric}_bucket`, `${metric}_sum`, `${metric}_count`]);
  return scrape.samples.filter((sample) => series.has(sample.name));
}
