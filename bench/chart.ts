// Bar charts of a benchmark result, as SVG the README can show: requests per second, CPU per
// request and steady RSS of each variant, from bench/results/*.json. Written by hand (about
// sixty lines of markup) because a charting library would pull a browser-sized dependency into
// a benchmark that only needs rectangles and text.

export interface ChartVariant {
  variant: string;
  rps: number;
  cpu_us_per_request: number;
  steady_rss_mib: number;
}

export interface ChartResult {
  date: string;
  machine: string;
  variants: ChartVariant[];
}

const PANELS: Array<{ title: string; value: (v: ChartVariant) => number; unit: string }> = [
  { title: 'requests per second (more is better)', value: (v) => v.rps, unit: 'req/s' },
  { title: 'CPU per request (less is better)', value: (v) => v.cpu_us_per_request, unit: 'µs' },
  { title: 'steady RSS under load (less is better)', value: (v) => v.steady_rss_mib, unit: 'MiB' },
];

const LABEL_WIDTH = 360;
const BAR_WIDTH = 300;
const ROW = 22;
const WIDTH = LABEL_WIDTH + BAR_WIDTH + 110;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The width of a bar for `value` when the panel's largest value takes the whole BAR_WIDTH. */
export function barWidth(value: number, largest: number): number {
  return largest > 0 ? Math.round((value / largest) * BAR_WIDTH) : 0;
}

export function resultSvg(result: ChartResult): string {
  const parts: string[] = [];
  let y = 28;
  parts.push(
    `<text x="10" y="18" font-size="13" font-weight="bold">${escapeXml(`npm run bench, ${result.date.slice(0, 10)}: ${result.machine}`)}</text>`,
  );
  for (const panel of PANELS) {
    y += 22;
    parts.push(`<text x="10" y="${y}" font-size="12" font-weight="bold">${escapeXml(panel.title)}</text>`);
    const largest = Math.max(...result.variants.map(panel.value));
    for (const [i, v] of result.variants.entries()) {
      y += ROW;
      const value = panel.value(v);
      const width = barWidth(value, largest);
      const fill = i === 0 ? '#8c8c8c' : v.variant.startsWith('service') ? '#3b6fb6' : '#c9a227';
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y - 6}" font-size="11" text-anchor="end">${escapeXml(v.variant)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y - 17}" width="${width}" height="15" fill="${fill}"><title>${escapeXml(`${v.variant}: ${value} ${panel.unit}`)}</title></rect>`,
        `<text x="${LABEL_WIDTH + width + 6}" y="${y - 6}" font-size="11">${escapeXml(`${value} ${panel.unit}`)}</text>`,
      );
    }
    y += 6;
  }
  const height = y + 12;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
