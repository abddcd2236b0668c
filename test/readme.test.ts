// The README's CLI examples run as written: every `graph-mtls` line of every `sh` block that
// needs no tenant (not plan, apply, export, list, get, delete or --tenant) is run with bash, in
// README order, in a copy of the repository's examples, with `graph-mtls` as the built CLI. A
// line may find something (exit 1: the examples hold an expired CA and a device that is
// refused), but none may be a usage error (exit 2) or crash, and what the lines write is there
// for the lines after them. The README's two set-up commands are the CI's own (.ci/run) and the
// demo's (test/demo.test.ts).

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;
const cli = join(root, 'packages/node/dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'graph-mtls-readme-'));
cpSync(join(root, 'examples'), join(work, 'examples'), { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const marker = readme.indexOf('<!-- readme-test: from the repository root -->');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const commands = blocks.flatMap((b) => b.split('\n')).filter((l) => l.startsWith('graph-mtls '));
/** Lines that talk to a tenant; the tenant commands are tested against the emulator (packages/node/test/cli-tenant.test.ts). */
const ONLINE = /^graph-mtls (plan|apply|export|list|get|delete)\b|--tenant\b/;
const lines = commands.filter((l) => !ONLINE.test(l));

function run(line: string): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile('bash', ['-c', `graph-mtls() { node ${JSON.stringify(cli)} "$@"; }\n${line}`], { cwd: work, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr });
    });
  });
}

describe('the README\'s CLI examples', () => {
  it('has the marked CLI block, and the tenant lines left out are the only ones', () => {
    expect(marker).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(commands.filter((l) => ONLINE.test(l)).map((l) => l.split(/\s+/)[1])).toEqual(['plan', 'apply', 'plan', 'plan', 'export', 'list', 'get', 'delete']);
  });

  it('runs every line: a finding may exit 1, but nothing is a usage error or a crash', async () => {
    for (const line of lines) {
      const { code, stderr } = await run(line);
      expect([0, 1], `${line}\nexit ${code}\n${stderr}`).toContain(code);
      expect(stderr, line).not.toMatch(/for usage\.|unknown option|Error: |at .*\.js:\d+/);
    }
    for (const written of ['graph-mtls.sarif', 'payload.json', 'patch.json']) expect(existsSync(join(work, written)), written).toBe(true);
  }, 180_000);
});
