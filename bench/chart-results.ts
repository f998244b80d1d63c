// npm run bench:chart: writes the SVG chart beside each stored result (bench/results/<name>.json
// becomes <name>.svg), for results measured before the benchmark drew its own.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultSvg } from '../support/chart.js';

const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const svg = resultSvg(JSON.parse(readFileSync(join(dir, name), 'utf8')));
  writeFileSync(join(dir, name.replace(/\.json$/, '.svg')), svg);
  console.log(`bench/results/${name.replace(/\.json$/, '.svg')}`);
}
