import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckoutReport } from './checkout-report';

/** Writes the report as JSON next to earlier ones (bench/results/*.json is gitignored). */
export function writeResultsFile(resultsDir: string, stem: string, report: CheckoutReport): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${stem}.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
