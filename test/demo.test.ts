// The README's first command ends in `node examples/demo.mjs` (after the build): the demo runs
// as a user would see it, against the local Graph emulator, and every step it shows happens.

import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;

describe('the demo', () => {
  it('runs to the end (exit 0): lint, build, plan, apply, list and verify, each with its outcome', async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile(process.execPath, ['examples/demo.mjs'], { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (error, out) => done({ code: error === null ? 0 : Number(error.code), stdout: out })),
    );
    expect(code, stdout.slice(-2000)).toBe(0);
    for (const step of ['$ graph-mtls lint', '$ graph-mtls build', '$ graph-mtls plan', '$ graph-mtls apply', '$ graph-mtls list', '$ graph-mtls verify']) expect(stdout).toContain(step);
    expect(stdout).toMatch(/door-camera-0042\.pem#1: trusted/);
    expect(stdout).toMatch(/window-sensor-0007\.pem#1: refused[\s\S]*VERIFY_EKU_NO_CLIENT_AUTH/);
    expect(stdout).toContain('2 devices: 1 trusted, 0 not verified, 1 refused');
  }, 120_000);
});
