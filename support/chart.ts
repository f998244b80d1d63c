// Bar charts as SVG the docs can show, drawn from results the project measured: the benchmark's
// (requests per second, CPU per request and steady RSS of each variant) and the scale test's.
// Written by hand (rectangles and text) because a charting library would pull a browser-sized
// dependency into scripts that only need bars.

export interface Bar {
  label: string;
  value: number;
  /** Drawn in the accent colour: the project's own variant. */
  highlight?: boolean;
}

export interface ChartPanel {
  title: string;
  unit: string;
  bars: Bar[];
}

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

/** Panels of horizontal bars under one title, each panel scaled to its own largest value. */
export function barChartSvg(title: string, panels: ChartPanel[]): string {
  const parts: string[] = [];
  let y = 28;
  parts.push(`<text x="10" y="18" font-size="13" font-weight="bold">${escapeXml(title)}</text>`);
  for (const panel of panels) {
    y += 22;
    parts.push(`<text x="10" y="${y}" font-size="12" font-weight="bold">${escapeXml(panel.title)}</text>`);
    const largest = Math.max(...panel.bars.map((b) => b.value));
    for (const bar of panel.bars) {
      y += ROW;
      const width = barWidth(bar.value, largest);
      const fill = bar.highlight ? '#3b6fb6' : '#9aa5b1';
      const text = `${bar.value} ${panel.unit}`.trim();
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y - 6}" font-size="11" text-anchor="end">${escapeXml(bar.label)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y - 17}" width="${width}" height="15" fill="${fill}"><title>${escapeXml(`${bar.label}: ${text}`)}</title></rect>`,
        `<text x="${LABEL_WIDTH + width + 6}" y="${y - 6}" font-size="11">${escapeXml(text)}</text>`,
      );
    }
    y += 6;
  }
  const height = y + 12;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** The chart of one `npm run bench` result. */
export function resultSvg(result: ChartResult): string {
  const panel = (title: string, unit: string, value: (v: ChartVariant) => number): ChartPanel => ({
    title,
    unit,
    bars: result.variants.map((v) => ({
      label: v.variant,
      value: value(v),
      highlight: v.variant.startsWith('service'),
    })),
  });
  return barChartSvg(`npm run bench, ${result.date.slice(0, 10)}: ${result.machine}`, [
    panel('requests per second (more is better)', 'req/s', (v) => v.rps),
    panel('CPU per request (less is better)', 'µs', (v) => v.cpu_us_per_request),
    panel('steady RSS under load (less is better)', 'MiB', (v) => v.steady_rss_mib),
  ]);
}
