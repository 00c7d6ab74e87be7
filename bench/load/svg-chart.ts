import type { WindowFigures } from './timeline';

/** One phase's timeline, drawn as a row: throughput on the left, latency on the right. */
export interface ChartSection {
  readonly title: string;
  readonly windows: readonly WindowFigures[];
}

interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

const WIDTH = 1000;
const ROW_HEIGHT = 230;
const HEADER = 36;
const PANEL_WIDTH = 430;
const PANEL_HEIGHT = 150;
const PANEL_LEFT = [60, 560] as const;
const PANEL_TOP = 42;

/** Text for SVG: the five characters XML reserves, escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A round upper bound for an axis (1, 2 or 5 times a power of ten) at or above `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

const format = (value: number): string =>
  value === 0 ? '0' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

function panel(left: number, top: number, label: string, seconds: number, series: readonly Series[]): string {
  const values = series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  const yMax = niceCeiling(Math.max(0, ...values));
  const xMax = Math.max(seconds, 1);
  const x = (value: number): number => left + (value / xMax) * PANEL_WIDTH;
  const y = (value: number): number => top + PANEL_HEIGHT - (value / yMax) * PANEL_HEIGHT;
  const parts = [
    `<rect x="${left}" y="${top}" width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" fill="#fafafa" stroke="#999"/>`,
    `<text x="${left}" y="${top - 6}" font-size="12">${escapeXml(label)}</text>`,
  ];
  for (const fraction of [0, 0.5, 1]) {
    const value = yMax * fraction;
    parts.push(
      `<line x1="${left}" y1="${y(value).toFixed(1)}" x2="${left + PANEL_WIDTH}" y2="${y(value).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${left - 4}" y="${(y(value) + 4).toFixed(1)}" font-size="10" text-anchor="end">${format(value)}</text>`,
    );
  }
  parts.push(
    `<text x="${left}" y="${top + PANEL_HEIGHT + 14}" font-size="10">0 s</text>`,
    `<text x="${left + PANEL_WIDTH}" y="${top + PANEL_HEIGHT + 14}" font-size="10" text-anchor="end">${format(seconds)} s</text>`,
  );
  series.forEach((s, index) => {
    const points = s.points
      .filter(([, value]) => Number.isFinite(value))
      .map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`)
      .join(' ');
    if (points !== '') {
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${points}"/>`);
    }
    const legendX = left + 120 + index * 90;
    parts.push(
      `<rect x="${legendX}" y="${top - 15}" width="10" height="10" fill="${s.color}"/>`,
      `<text x="${legendX + 14}" y="${top - 6}" font-size="11">${escapeXml(s.name)}</text>`,
    );
  });
  return parts.join('\n');
}

/**
 * The chart of a whole invocation as plain SVG text: one row per phase, with successful requests
 * and errors per second on the left and the p50 and p99 latency of each window on the right.
 */
export function renderTimelineChart(title: string, sections: readonly ChartSection[]): string {
  const height = HEADER + Math.max(1, sections.length) * ROW_HEIGHT;
  const rows = sections.map((section, index) => {
    const top = HEADER + index * ROW_HEIGHT;
    const last = section.windows.at(-1);
    const seconds = last
      ? last.startSeconds + (section.windows.length > 1 ? section.windows[1].startSeconds : 1)
      : 1;
    // Each window is drawn at its middle.
    const half = section.windows.length > 1 ? section.windows[1].startSeconds / 2 : 0.5;
    const at = (w: WindowFigures): number => w.startSeconds + half;
    const windowSeconds = 2 * half;
    return [
      `<g>`,
      `<text x="10" y="${top + 18}" font-size="14" font-weight="bold">${escapeXml(section.title)}</text>`,
      panel(PANEL_LEFT[0], top + PANEL_TOP, 'requests/s', seconds, [
        { name: 'ok/s', color: '#1f77b4', points: section.windows.map((w) => [at(w), w.okPerSecond]) },
        {
          name: 'errors/s',
          color: '#d62728',
          points: section.windows.map((w) => [at(w), w.errors / windowSeconds]),
        },
      ]),
      panel(PANEL_LEFT[1], top + PANEL_TOP, 'latency ms', seconds, [
        { name: 'p50', color: '#2ca02c', points: section.windows.map((w) => [at(w), w.p50Ms]) },
        { name: 'p99', color: '#ff7f0e', points: section.windows.map((w) => [at(w), w.p99Ms]) },
      ]),
      `</g>`,
    ].join('\n');
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...rows,
    `</svg>`,
    '',
  ].join('\n');
}
