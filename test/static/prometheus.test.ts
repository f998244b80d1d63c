// prometheus.yml and the alert rules, checked by promtool from a real Prometheus build
// (scripts/stack-install.sh builds v3 from the Go module proxy), and every rule unit-tested.
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/service.js';
import { run, stackBin } from '../support/stack.js';

const promtool = stackBin('promtool');

describe.skipIf(!promtool)('promtool', () => {
  it('accepts prometheus.yml and the rule files it loads', async () => {
    const { stdout } = await run(promtool as string, ['check', 'config', 'prometheus.yml'], { cwd: ROOT });
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toMatch(/deploy\/prometheus\/rules\/alerts\.yml[\s\S]*SUCCESS: 7 rules found/);
    expect(stdout).toMatch(/deploy\/prometheus\/rules\/slo\.yml[\s\S]*SUCCESS: 4 rules found/);
  });

  it('passes every alert rule unit test', async () => {
    const { stdout, stderr } = await run(
      promtool as string,
      ['test', 'rules', 'deploy/prometheus/tests/alerts.test.yml'],
      {
        cwd: ROOT,
      },
    );
    expect(`${stdout}${stderr}`).toContain('SUCCESS');
  });
});
