// The closing summary line CI reads (test/summary-reporter.ts), on real vitest runs of small
// fixture files: a failed beforeAll and a file that cannot be imported count as failures, so a
// failed run never prints "0 failed".
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURES = fileURLToPath(new URL('./fixtures/reporter/', import.meta.url));
const VITEST = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

function run(include: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--config', 'vitest.config.ts'], { cwd: FIXTURES, env: { ...process.env, REPORTER_FIXTURES: include, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('summary reporter', () => {
  it('a failed beforeAll counts as a failure, next to the passing file', async () => {
    const r = await run('{failing-hook,passing}.fixture.ts');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^1 passed, 1 failed, 1 skipped$/m);
  });

  it('a file that cannot be imported counts as a failure', async () => {
    const r = await run('import-error.fixture.ts');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^0 passed, 1 failed, 0 skipped$/m);
  });

  it('a passing run says 0 failed', async () => {
    const r = await run('passing.fixture.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 passed, 0 failed, 0 skipped$/m);
  });
});

describe('the suite on a busy machine', () => {
  it('every project gives hooks (fixture generation) minutes, not vitest\'s 10 s default', async () => {
    const config = (await import('../vitest.config.ts')).default as { test: { projects: { test: { name: string; hookTimeout?: number; testTimeout?: number } }[] } };
    for (const project of config.test.projects) {
      expect(project.test.hookTimeout, project.test.name).toBeGreaterThanOrEqual(120_000);
      expect(project.test.testTimeout, project.test.name).toBeGreaterThanOrEqual(30_000);
    }
  });
});
