// The service's command line is written three times: npm start (package.json), the image's CMD
// (Dockerfile) and the bench's SERVICE, which must run what users run. Each needs its own copy
// (npm, a Dockerfile and a spawn each take their own form), so this keeps them equal.
import { describe, expect, it } from 'vitest';
import { SERVICE } from '../../bench/run-once.js';
import { readText } from '../support/config-files.js';

const startArgs: string[] = JSON.parse(readText('package.json')).scripts.start.split(/\s+/);

describe('the service command line', () => {
  it('is a node command in npm start', () => {
    expect(startArgs[0]).toBe('node');
    expect(startArgs).toContain('--import');
  });

  it("is the same in the Dockerfile's CMD", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readText('Dockerfile'))?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd as string)).toEqual(startArgs);
  });

  it("is the same in the bench's SERVICE", () => {
    expect(['node', ...SERVICE]).toEqual(startArgs);
  });
});
