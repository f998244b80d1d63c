// What `docker build .` sends to the daemon, by .dockerignore as Docker reads it (the
// @balena/dockerignore matcher, which follows Docker's own pattern rules): the passwords in .env
// stay on the machine, and everything the Dockerfile copies still arrives.
import dockerignoreModule from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import { readText } from '../support/config-files.js';

// Its types declare an ES default export; at run time the default import is module.exports itself.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;
const ignore = dockerignore({ ignorecase: false }).add(readText('.dockerignore').split('\n'));

describe('the image build context', () => {
  it('leaves out .env and its variants, which hold the stack passwords', () => {
    for (const file of ['.env', '.env.local', '.env.production']) expect(ignore.ignores(file), file).toBe(true);
  });

  it('keeps every path the Dockerfile copies', () => {
    const copied = [...readText('Dockerfile').matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] as string).split(/\s+/),
    );
    expect(copied.length).toBeGreaterThan(3);
    for (const path of copied) expect(ignore.ignores(path.replace(/^\.\//, '')), path).toBe(false);
  });
});
