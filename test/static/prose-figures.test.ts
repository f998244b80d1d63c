// Figures and history have one home: bench/README.md and bench/NOTES.md, each figure beside the
// command that measures it again. Everywhere else (every other Markdown file, and the comments of
// source and config files) says what holds and how to measure it, so a figure cannot go stale in
// a second place and a reader is told what the code does, not what it did once. The patterns
// below catch the usual ways a figure or a story slips in: test counts, a figure said to be
// measured, a sentence about the code of the past.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../../support/service.js';

const FIGURES_HOME = /^bench\/(README|NOTES)\.md$|^bench\/results\//;
const COMMENT = /^\s*(\/\/|#|\*|\/\*\*?|\{\{\/\*)/;

const SLIPS: Array<{ what: string; pattern: RegExp }> = [
  { what: 'a test count', pattern: /\b\d(?:[\d,]*\d)? (?:tests? )?(?:passed|skipped|failed)\b/i },
  { what: 'a figure from a run', pattern: /\b(?:last run|measured:? \d|\d[\d.]* measured)/i },
  {
    what: 'history',
    pattern: /(?:^|[(;.]\s*)before, |\bused to (?!\w+ \w+ (?:for|to)\b)|\bpreviously\b|\bthe old \d/i,
  },
];

function files(...patterns: string[]): string[] {
  return execFileSync('git', ['ls-files', ...patterns], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !FIGURES_HOME.test(f));
}

/** Each slip in the prose of a file: every line of a Markdown file, the comment lines of code. */
function slips(file: string): string[] {
  const prose = file.endsWith('.md');
  return readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .flatMap((text, index) =>
      prose || COMMENT.test(text)
        ? SLIPS.filter(({ pattern }) => pattern.test(text)).map(
            ({ what }) => `${file}:${index + 1}: ${what}: ${text.trim()}`,
          )
        : [],
    );
}

it('keeps figures and history out of every document but the benchmark ones', () => {
  const docs = files('*.md');
  expect(docs.length).toBeGreaterThan(10);
  expect(docs.flatMap(slips)).toEqual([]);
});

it('keeps figures and history out of comments', () => {
  const sources = files('*.ts', '*.yml', '*.yaml', '*.sh', '*.tmpl', 'Dockerfile', '.ci/run');
  expect(sources.length).toBeGreaterThan(50);
  expect(sources.flatMap(slips)).toEqual([]);
});
