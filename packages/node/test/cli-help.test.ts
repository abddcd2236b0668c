// End-to-end tests of the CLI's help, version and `graph-mtls rules` (packages/node/src/main.ts,
// commands/rules.ts): every command's --help names every option it takes, --version prints the
// package version, and the catalogue lists every code of the core's RULES.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '@graph-mtls/core';
import { runCli, type RunResult } from './cli-harness.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const cwd = mkdtempSync(join(tmpdir(), 'graph-mtls-cli-help-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Every option each command accepts. */
const OPTIONS: Record<string, readonly string[]> = {
  lint: ['--profile', '--now', '--expiry-warning', '--param', '--payload', '--strict', '--max-warnings', '--config', '--no-config', '--format', '--output', '--quiet', '--jobs', '--stats', '--help'],
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

describe.concurrent('manners: did you mean, short flags, colour, completion', () => {
  it('an unknown command or option names the nearest one', async () => {
    const [command, option, global, far] = await Promise.all([
      runCli(['lnt'], { cwd }),
      runCli(['lint', '--formt', 'json', 'x.pem'], { cwd }),
      runCli(['lint', '--no-colour', 'x.pem'], { cwd }),
      runCli(['lint', '--zzzzzzzz', 'x.pem'], { cwd }),
    ]);
    expect([command.code, command.stderr.split('\n')[0]]).toEqual([2, "graph-mtls: unknown command 'lnt' (did you mean lint?)"]);
    expect([option.code, option.stderr.split('\n')[0]]).toEqual([2, "graph-mtls lint: unknown option '--formt' (did you mean --format?)"]);
    expect(global.stderr.split('\n')[0]).toBe("graph-mtls lint: unknown option '--no-colour' (did you mean --no-color?)");
    expect(far.stderr).toContain("Unknown option '--zzzzzzzz'");
    expect(far.stderr).not.toContain('did you mean');
  });

  it('-f, -o and -q are --format, --output and --quiet', async () => {
    const { writeFileSync } = await import('node:fs');
    const { makeRootCa, getKey } = await import('@graph-mtls/test/fixtures/certificates.ts');
    writeFileSync(join(cwd, 'root.pem'), (await makeRootCa({ key: await getKey('p256', 60) })).pem);
    const [short, long] = await Promise.all([runCli(['lint', '-f', 'json', '-q', 'root.pem'], { cwd }), runCli(['lint', '--format', 'json', '--quiet', 'root.pem'], { cwd })]);
    expect(short.code).toBe(long.code);
    expect(short.stdout.replace(/"now": "[^"]+"/, '')).toBe(long.stdout.replace(/"now": "[^"]+"/, ''));
    const written = await runCli(['lint', '-o', 'report.txt', 'root.pem'], { cwd });
    expect([written.stdout, readFileSync(join(cwd, 'report.txt'), 'utf8')]).toEqual(['', expect.stringContaining('root.pem')]);
  });

  it('--color and FORCE_COLOR colour a pipe; --no-color (the last one given wins) and FORCE_COLOR=0 do not', async () => {
    const lint = (args: readonly string[], env: Record<string, string> = {}): ReturnType<typeof runCli> => runCli(['lint', ...args, 'missing.pem'], { cwd, env });
    const [plain, color, forced, forcedOff, colorThenNo] = await Promise.all([
      lint([]),
      lint(['--color']),
      lint([], { FORCE_COLOR: '1' }),
      lint(['--no-color'], { FORCE_COLOR: '1' }),
      runCli(['--color', 'lint', '--no-color', 'missing.pem'], { cwd }),
    ]);
    expect(plain.stdout).not.toContain('\x1b[');
    expect(color.stdout).toContain('\x1b[31m');
    expect(forced.stdout).toContain('\x1b[31m');
    expect(forcedOff.stdout).not.toContain('\x1b[');
    expect(colorThenNo.stdout).not.toContain('\x1b[');
    expect((await lint([], { FORCE_COLOR: '0' })).stdout).not.toContain('\x1b[');
  });

  it('completion bash completes commands and each command\'s options in a real bash; zsh and fish scripts name them', async () => {
    const { execFile } = await import('node:child_process');
    const [bash, zsh, fish, bad] = (await Promise.all(['bash', 'zsh', 'fish', 'csh'].map((s) => runCli(['completion', s], { cwd })))) as [RunResult, RunResult, RunResult, RunResult];
    expect([bash.code, zsh.code, fish.code, bad.code]).toEqual([0, 0, 0, 2]);
    const complete = (words: string): Promise<string> =>
      new Promise((done, fail) =>
        execFile('bash', ['-c', `eval "$(cat)"; COMP_WORDS=(${words}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _graph_mtls; echo "\${COMPREPLY[*]}"`], { cwd }, (e, out) => (e ? fail(e) : done(out.trim()))).stdin!.end(bash.stdout),
      );
    expect(await complete('graph-mtls li')).toBe('lint list');
    expect(await complete('graph-mtls lint --max')).toBe('--max-warnings');
    expect(await complete('graph-mtls verify --expect')).toBe('--expect --expect-file');
    expect(zsh.stdout).toContain('bashcompinit');
    expect(fish.stdout).toContain("complete -c graph-mtls -n '__fish_seen_subcommand_from verify' -l expect-file");
    expect(fish.stdout).toContain("complete -c graph-mtls -f -n __fish_use_subcommand -a 'lint build identify verify rules plan apply export list get delete completion'");
  });
});
