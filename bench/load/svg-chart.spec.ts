import { escapeXml, niceCeiling, renderTimelineChart } from './svg-chart';
import type { WindowFigures } from './timeline';

/**
 * A small well-formedness check, enough for the SVG this writer emits: one root, every element
 * closed in order, attributes quoted, no raw `<` or stray `&` in text or attribute values.
 */
function wellFormednessProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  const entityOk = (text: string): boolean => !/&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/.test(text);
  for (let match = tag.exec(body); match !== null; match = tag.exec(body)) {
    const text = body.slice(last, match.index);
    if (text.includes('<') || text.includes('>') || !entityOk(text)) problems.push(`bad text "${text}"`);
    if (!entityOk(match[3])) problems.push(`bad attribute in <${match[2]}>`);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      if (stack.pop() !== name) problems.push(`</${name}> closes nothing open`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots += 1;
      stack.push(name);
    } else if (stack.length === 0) {
      roots += 1;
    }
  }
  if (body.slice(last).trim() !== '') problems.push('text after the root');
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

const window = (
  startSeconds: number,
  ok: number,
  p50Ms: number,
  p99Ms: number,
  errors = 0,
): WindowFigures => ({
  startSeconds,
  requests: ok + errors,
  ok,
  errors,
  okPerSecond: ok,
  p50Ms,
  p99Ms,
  maxMs: p99Ms,
});

describe('renderTimelineChart', () => {
  it('writes one well-formed SVG with a row per phase, escaping titles', () => {
    const svg = renderTimelineChart('bench <2026> & "co"', [
      { title: 'checkout run 1', windows: [window(0, 500, 40, 90), window(1, 520, 38, 85, 2)] },
      { title: 'menu <cached> & fast', windows: [window(0, 3000, 5, 12), window(1, 3100, 5, 11)] },
    ]);
    expect(wellFormednessProblems(svg)).toEqual([]);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('menu &#60;cached&#62; &#38; fast');
    expect(svg.match(/<polyline /g)).toHaveLength(8);
  });

  it('stays well-formed with empty windows (NaN percentiles) and with no phase at all', () => {
    const svg = renderTimelineChart('empty', [
      { title: 'idle', windows: [window(0, 0, Number.NaN, Number.NaN)] },
    ]);
    expect(wellFormednessProblems(svg)).toEqual([]);
    expect(svg).not.toContain('NaN');
    expect(wellFormednessProblems(renderTimelineChart('nothing', []))).toEqual([]);
  });

  it('the checker itself catches what is not well-formed', () => {
    expect(wellFormednessProblems('<svg><g></svg>')).not.toEqual([]);
    expect(wellFormednessProblems('<svg><text>a < b</text></svg>')).not.toEqual([]);
    expect(wellFormednessProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
  });
});

describe('svg helpers', () => {
  it('escapes the five reserved characters', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;&#60;/a&#62;');
  });

  it('rounds axis maxima up to 1, 2 or 5 times a power of ten', () => {
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(Number.NaN)).toBe(1);
    expect(niceCeiling(0.3)).toBe(0.5);
    expect(niceCeiling(7)).toBe(10);
    expect(niceCeiling(120)).toBe(200);
    expect(niceCeiling(500)).toBe(500);
    expect(niceCeiling(2001)).toBe(5000);
  });
});
