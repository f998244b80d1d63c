// Every repository path a comment names exists: code says where a fact lives (`SERVER_LIMITS`
// in src/http/limits.ts, the rules in deploy/prometheus/rules/), and a moved or renamed file
// must fail here rather than leave a reader looking for it. Comments are the lines of source and
// config files that start with //, #, * or {{/*; a path starts with a top-level folder of the
// repository. Patterns (*, {a,b}, $VAR) and built output are not files to find.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../../support/service.js';

const TOP_LEVEL = ['src', 'otel', 'deploy', 'docs', 'test', 'bench', 'support', 'scripts', 'examples'];
const PATH = new RegExp(`(?<![\\w./@-])((?:${TOP_LEVEL.join('|')})/[\\w./-]*[\\w/])`, 'g');
const COMMENT = /^\s*(\/\/|#|\*|\/\*\*?|\{\{\/\*)/;

const sources = execFileSync(
  'git',
  ['ls-files', '*.ts', '*.yml', '*.yaml', '*.sh', '*.tmpl', 'Dockerfile', '.ci/run'],
  {
    cwd: ROOT,
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter(Boolean);
const markdown = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('bench/results/'));

/** Paths named in the comment lines of a file, each with its line number. */
function commentPaths(file: string): Array<{ path: string; line: number }> {
  const found: Array<{ path: string; line: number }> = [];
  readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (!COMMENT.test(text)) return;
      for (const match of text.matchAll(PATH)) {
        const path = (match[1] as string).replace(/\.$/, '');
        if (/[*{}$]/.test(text.slice(match.index, match.index + path.length + 2))) continue;
        // otel/opentelemetry-collector-contrib and its kin are image names on Docker Hub.
        if (path.startsWith('otel/opentelemetry-')) continue;
        found.push({ path, line: index + 1 });
      }
    });
  return found;
}

// `NAME` in path/file.ts (or "from", "of"): the file must hold the name. A name is code when it
// is in backticks, CONSTANT_CASE or camelCase; plain words ("lives in …") are not checked.
const SYMBOL_IN = new RegExp(
  `(\`[A-Za-z_][\\w.]*\`|\\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\\b|\\b[a-z]+[A-Z]\\w*\\b) (?:in|from|of) \`?((?:${TOP_LEVEL.join('|')})/[\\w./-]+\\.(?:ts|ya?ml|json|env|sh))`,
  'g',
);

/** Names a comment or a Markdown file says are in a file, and the file. */
function symbolsIn(file: string): Array<{ symbol: string; path: string }> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const lines = file.endsWith('.md') ? text.split('\n') : text.split('\n').filter((l) => COMMENT.test(l));
  return lines.flatMap((line) =>
    [...line.matchAll(SYMBOL_IN)].map((m) => ({
      symbol: (m[1] as string).replaceAll('`', '').split('.')[0] as string,
      path: m[2] as string,
    })),
  );
}

it('finds comments that name repository paths', () => {
  expect(sources.flatMap(commentPaths).length).toBeGreaterThan(50);
});

it('names only paths that exist, in every comment of every source and config file', () => {
  const missing = sources.flatMap((file) =>
    commentPaths(file)
      .filter(({ path }) => !existsSync(join(ROOT, path)))
      .map(({ path, line }) => `${file}:${line}: ${path}`),
  );
  expect(missing).toEqual([]);
});

it('names only symbols that the file it points to holds', () => {
  const claims = [...sources, ...markdown].flatMap((file) => symbolsIn(file).map((claim) => ({ file, ...claim })));
  expect(claims.length).toBeGreaterThan(5);
  const wrong = claims
    .filter(({ path }) => existsSync(join(ROOT, path)))
    .filter(({ symbol, path }) => !readFileSync(join(ROOT, path), 'utf8').includes(symbol))
    .map(({ file, symbol, path }) => `${file}: ${symbol} in ${path}`);
  expect(wrong).toEqual([]);
});

it('names only sections of the benchmark documents that exist', () => {
  // A benchmark document named, then a section title in double quotes, in comments and documents.
  const reference = /(bench\/(?:README|NOTES)\.md),?\s*\(?"([^"]+)"/g;
  const claims = [...sources, ...markdown].flatMap((file) =>
    [
      ...readFileSync(join(ROOT, file), 'utf8')
        .replace(/\n\s*(\/\/|#)?\s*/g, ' ')
        .matchAll(reference),
    ].map((m) => ({ file, doc: m[1] as string, title: m[2] as string })),
  );
  expect(claims.length).toBeGreaterThan(5);
  const missing = claims
    .filter(({ doc, title }) => {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      return !text.includes(`**${title}.**`) && !text.includes(`**${title}**`) && !text.includes(`## ${title}\n`);
    })
    .map(({ file, doc, title }) => `${file}: ${doc} "${title}"`);
  expect(missing).toEqual([]);
});

it('names only npm scripts that package.json has, and scenarios that bench:scenario runs', () => {
  const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts);
  const scenarios = readFileSync(join(ROOT, 'bench/scenario.ts'), 'utf8');
  const named = [...sources, ...markdown].flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(/npm run ([a-z][\w:-]*[\w])(?: -- ([a-z][\w-]*))?/g)].map(
      (m) => ({ file, script: m[1] as string, scenario: m[1] === 'bench:scenario' ? m[2] : undefined }),
    ),
  );
  expect(named.length).toBeGreaterThan(20);
  const wrong = named
    .filter(
      ({ script, scenario }) =>
        !scripts.includes(script) ||
        (scenario !== undefined && !new RegExp(`^\\s+'?${scenario}'?: \\{`, 'm').test(scenarios)),
    )
    .map(({ file, script, scenario }) => `${file}: npm run ${script}${scenario ? ` -- ${scenario}` : ''}`);
  expect(wrong).toEqual([]);
});
