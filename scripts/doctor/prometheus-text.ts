// Sums of Prometheus text-format samples by metric name and label filter: all the doctor needs
// of /metrics pages. Hand-written (a dozen lines) because the doctor must run with the production
// dependencies alone, in the app image, and no exposition parser is among them.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key as string] = (value as string).replace(/\\(.)/g, '$1');
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of every sample whose name matches and whose labels pass the filter. */
export function sum(samples: Sample[], name: RegExp, filter: (labels: Record<string, string>) => boolean = () => true) {
  return samples.filter((s) => name.test(s.name) && filter(s.labels)).reduce((total, s) => total + s.value, 0);
}

export function has(samples: Sample[], name: RegExp): boolean {
  return samples.some((s) => name.test(s.name));
}
