// The benchmark's chart draws what its result holds: one bar per variant in each panel, lengths
// in proportion to the values, and labels escaped as XML.
import { expect, it } from 'vitest';
import { barWidth, escapeXml, resultSvg } from '../../support/chart.js';

const result = {
  date: '2026-11-26T19:20:34.102Z',
  machine: '2 × CPU <test>',
  variants: [
    { variant: 'bare Hono', rps: 80_000, cpu_us_per_request: 10, steady_rss_mib: 100 },
    { variant: 'service & co', rps: 40_000, cpu_us_per_request: 20, steady_rss_mib: 200 },
  ],
};

it('draws one bar per variant in each of the three panels, to scale', () => {
  const svg = resultSvg(result);
  const widths = [...svg.matchAll(/<rect x="\d+" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
  expect(widths).toHaveLength(3 * result.variants.length);
  // Panels in order: req/s (80,000 is the longest), CPU (20 µs), RSS (200 MiB).
  expect(widths).toEqual([300, 150, 150, 300, 150, 300]);
  expect(barWidth(0, 0)).toBe(0);
});

it('escapes labels, so a variant or machine name cannot break the markup', () => {
  const svg = resultSvg(result);
  expect(svg).toContain('service &#38; co');
  expect(svg).toContain('CPU &#60;test&#62;');
  expect(svg).not.toContain('<test>');
  expect(escapeXml(`"'`)).toBe('&#34;&#39;');
});
