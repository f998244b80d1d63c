// Every relative link and every repository path written in the Markdown resolves: a moved or
// renamed file breaks this test, not a reader's trust. Paths are read from links and from code
// spans that start with a top-level folder of the repository (`src/http/limits.ts`); built
// output (dist/), caches, image references (`name:tag`) and patterns (`*`, `{a,b}`, `…`) are not
// files to find.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../../support/service.js';

const markdown = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file && !file.startsWith('bench/results/'));

const TOP_LEVEL = ['src', 'otel', 'deploy', 'docs', 'test', 'bench', 'support', 'scripts', 'examples', '.ci'];
const NOT_FILES = /[*{}…<>$:]|^dist\/|^\.cache\//;

/** Text outside fenced code blocks: examples in fences show commands, not files to find. */
function prose(text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
}

function linkTargets(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => (m[1] ?? '').split('#')[0] ?? '')
    .filter((target) => target && !/^[a-z]+:/.test(target));
}

function codePaths(text: string): string[] {
  return [...prose(text).matchAll(/`([^`\s]+)`/g)]
    .map((m) => (m[1] ?? '').replace(/^\.\//, '').replace(/[.,:;]$/, ''))
    .filter((span) => TOP_LEVEL.includes(span.split('/')[0] ?? '') && span.includes('/') && !NOT_FILES.test(span));
}

it('finds Markdown files to check', () => {
  expect(markdown).toContain('README.md');
  expect(markdown.length).toBeGreaterThan(5);
});

it.each(markdown)('%s: every relative link resolves', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const broken = linkTargets(text).filter((target) => !existsSync(join(ROOT, dirname(file), target)));
  expect(broken).toEqual([]);
});

it.each(markdown)('%s: every repository path it names exists', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  // Written from the repository's root, as the docs do, or from the file's own folder.
  const missing = codePaths(text).filter(
    (path) => !existsSync(join(ROOT, path)) && !existsSync(join(ROOT, normalize(join(dirname(file), path)))),
  );
  expect(missing).toEqual([]);
});
