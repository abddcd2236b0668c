// End-to-end tests of the CLI's help, version and `graph-mtls rules` (packages/node/src/main.ts,
// commands/rules.ts): every command's --help names every option it takes, --version prints the
// package version, and the catalogue lists every code of the core's RULES.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '@graph-mtls/core';
import { runCli } from './cli-harness.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const cwd = mkdtempSync(join(tmpdir(), 'graph-mtls-cli-help-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Every option each command accepts. */
const OPTIONS: Record<string, readonly string[]> = {
  lint: ['--profile', '--now', '--expiry-warning', '--param', '--payload', '--strict', '--format', '--output', '--quiet', '--help'],
  build: ['--display-name', '--param', '--crl-from-certificate', '--update', '--remove', '--replace', '--now', '--expiry-warning', '--strict', '--output', '--help'],
  identify: ['--param', '--expect', '--format', '--help'],
  rules: ['--format', '--help'],
};

describe.concurrent('help and version', () => {
  it('graph-mtls --help lists every command and the global options (exit 0)', async () => {
    const r = await runCli(['--help'], { cwd });
    expect(r.code).toBe(0);
    for (const word of ['lint', 'build', 'identify', 'rules', '--help', '--version']) expect(r.stdout).toContain(word);
  });

  it('graph-mtls with no command prints the help and exits 2', async () => {
    const r = await runCli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('Usage: graph-mtls');
  });

  it.each(Object.entries(OPTIONS))('graph-mtls %s --help names every option (exit 0)', async (command, options) => {
    const r = await runCli([command, '--help'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`graph-mtls ${command}`);
    for (const o of options) expect(r.stdout, o).toMatch(new RegExp(`${o}\\b`));
    if (command === 'lint') for (const f of ['text', 'json', 'sarif', 'github']) expect(r.stdout).toContain(f);
  });

  it('--version and -v print the package version', async () => {
    const [long, short] = await Promise.all([runCli(['--version'], { cwd }), runCli(['-v'], { cwd })]);
    expect(long.code).toBe(0);
    expect(long.stdout).toBe(`${VERSION}\n`);
    expect(short.code).toBe(0);
    expect(short.stdout).toBe(`${VERSION}\n`);
  });
});

describe.concurrent('rules', () => {
  it('prints the catalogue: every code of the core, with severity and citation', async () => {
    const r = await runCli(['rules'], { cwd });
    expect(r.code).toBe(0);
    const codes = [...r.stdout.matchAll(/^([A-Z][A-Z0-9_]+)\s/gm)].map((m) => m[1]);
    expect(codes).toEqual(RULES.map((x) => x.code));
    for (const rule of RULES) expect(r.stdout).toContain(rule.citation);
  });

  it('--format json gives every rule of the core', async () => {
    const r = await runCli(['rules', '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { version: number; rules: { code: string; severity: string; citation: string }[] };
    expect(out.version).toBe(1);
    expect(out.rules.map((x) => x.code)).toEqual(RULES.map((x) => x.code));
    expect(out.rules.map((x) => [x.severity, x.citation])).toEqual(RULES.map((x) => [x.severity, x.citation]));
  });

  it('--format xml is a usage error', async () => {
    const r = await runCli(['rules', '--format', 'xml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('xml');
  });
});
