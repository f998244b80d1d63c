// The web page's files, built by `npm run build` (scripts/build-ui.ts) into dist/ui/, read once
// at start. Undefined when they were not built: /ui/ then says how to build them.
import { readFileSync } from 'node:fs';

export interface UiAssets {
  html: string;
  script: string;
}

export function loadUiAssets(dir: URL): UiAssets | undefined {
  try {
    return {
      html: readFileSync(new URL('index.html', dir), 'utf8'),
      script: readFileSync(new URL('app.js', dir), 'utf8'),
    };
  } catch {
    return undefined;
  }
}
