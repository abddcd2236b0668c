// The GitHub Action (action.yml, action/src/main.ts): its committed bundle, action/dist/index.js,
// must be what scripts/build-action.mjs builds from the sources today (and the build must give the
// same bytes every time), and it must behave in a workflow as README's "In GitHub Actions" says:
// run as the runner runs it (`node action/dist/index.js`, inputs in INPUT_<NAME>, files named by
// GITHUB_STEP_SUMMARY and GITHUB_OUTPUT), annotations on stdout, a job summary with a table of the
// findings, counts as outputs, and the CLI's exit code.

import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, makeRootCa } from './fixtures/certificates.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(ROOT, 'action/dist/index.js');
const BUILD = join(ROOT, 'scripts/build-action.mjs');
const DAY = 86_400_000;
const TIMEOUT = 60_000;

let temp: string;
let workspace: string;
let runs = 0;

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: string;
  readonly outputs: Record<string, string>;
}

function node(args: readonly string[], env: Record<string, string>, cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: TIMEOUT - 5_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

/** The action as the runner runs it: `node <bundle>` with the inputs in INPUT_<NAME> (upper case, hyphens kept) and nothing else of this process's environment. */
async function action(inputs: Record<string, string>, bundle = BUNDLE): Promise<Result> {
  const n = ++runs;
  const summaryFile = join(temp, `summary-${n}.md`);
  const outputFile = join(temp, `output-${n}.txt`);
  // The runner creates both files before the step.
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: temp,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const run = await node([bundle], env, temp);
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { ...run, summary: readFileSync(summaryFile, 'utf8'), outputs };
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'graph-mtls-action-test-'));
  workspace = join(temp, 'workspace');
  const now = Date.now();
  const clean = await makeRootCa({ key: await getKey('p256', 80), subject: 'CN=Action Clean Root' });
  const expired = await makeRootCa({ key: await getKey('p256', 81), subject: 'CN=Action Expired Root', notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 10 * DAY) });
  const expiring = await makeRootCa({ key: await getKey('p256', 82), subject: 'CN=Action Expiring Root', notBefore: new Date(now - DAY), notAfter: new Date(now + 10 * DAY) });
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  };
  write('pki/clean.pem', clean.pem);
  write('pki/expired.pem', expired.pem);
  write('clean/root.pem', clean.pem);
  write('expiring/root.pem', expiring.pem);
  write('config/expired-off.json', JSON.stringify({ rules: { CERT_EXPIRED: 'off' } }));
  write('odd/x|*y*<b>.pem', expired.pem);
  for (let i = 0; i < 205; i++) write(`many/${String(i).padStart(3, '0')}.pem`, expired.pem);
});

afterAll(() => {
  if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
});

describe('the committed bundle', () => {
  it('is what scripts/build-action.mjs builds from the sources today, byte for byte, every time', { timeout: TIMEOUT }, async () => {
    const out = join(temp, 'rebuilt');
    const [first, second] = await Promise.all([
      node([BUILD, '--outfile', join(out, 'a/index.js')], { PATH: process.env['PATH'] ?? '' }),
      node([BUILD, '--outfile', join(out, 'b/index.js')], { PATH: process.env['PATH'] ?? '' }),
    ]);
    expect([first.code, first.stderr, second.code, second.stderr]).toEqual([0, '', 0, '']);
    const a = readFileSync(join(out, 'a/index.js'));
    const b = readFileSync(join(out, 'b/index.js'));
    expect(a.equals(b), 'scripts/build-action.mjs gave different bytes on two builds: the bundle must be deterministic').toBe(true);
    expect(existsSync(BUNDLE), 'action/dist/index.js is missing: run `node scripts/build-action.mjs` and commit it').toBe(true);
    expect(a.equals(readFileSync(BUNDLE)), 'action/dist/index.js is stale (the sources changed since it was built): run `node scripts/build-action.mjs` and commit the result').toBe(true);
    // Nothing of the machine that built it: no absolute path.
    expect(a.includes(ROOT)).toBe(false);
  });
});

describe('the action, run as the runner runs it', () => {
  it('an error finding: annotations on stdout, a job summary with the table, the counts as outputs, exit 1', { timeout: TIMEOUT }, async () => {
    const r = await action({ paths: 'pki', format: 'github', 'sarif-file': 'graph-mtls.sarif' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^::error file=pki\/expired\.pem,line=1,title=CERT_EXPIRED::\S/m);
    expect(r.stdout).not.toMatch(/file=pki\/clean\.pem/);
    expect(r.summary).toMatch(/^## graph-mtls lint failed$/m);
    expect(r.summary).toContain('2 certificates checked: **1 error**');
    expect(r.summary).toMatch(/^\| Severity \| Rule \| Where \| Message \|$/m);
    expect(r.summary).toMatch(/^\| error \| CERT\\_EXPIRED \| pki\/expired\.pem:1 \| .+ \|$/m);
    expect(r.outputs).toEqual({ errors: '1', warnings: '0', certificates: '2', 'sarif-file': '' });
    // No SARIF file unless asked for.
    expect(existsSync(join(workspace, 'graph-mtls.sarif'))).toBe(false);
  });

  it('the summary lists at most 200 findings and counts the rest; a cell holds no Markdown or HTML of its own', { timeout: TIMEOUT }, async () => {
    const r = await action({ paths: 'odd many' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.outputs).toMatchObject({ errors: '206', certificates: '206' });
    expect(r.summary.split('\n').filter((line) => line.startsWith('| error |'))).toHaveLength(200);
    expect(r.summary).toContain('… and 6 more findings not listed here (206 in all).');
    expect(r.summary).toContain('| error | CERT\\_EXPIRED | odd/x\\|\\*y\\*\\<b\\>.pem:1 |');
    // Every annotation is printed; GitHub shows some of them.
    expect(r.stdout.match(/^::error file=/gm)).toHaveLength(206);
    expect(r.stdout).toContain('::error file=odd/x|*y*<b>.pem,line=1,title=CERT_EXPIRED::');
  });

  it('a clean run: exit 0, no annotations, errors=0', { timeout: TIMEOUT }, async () => {
    const r = await action({ paths: 'clean/root.pem' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/^::(error|warning)/m);
    expect(r.summary).toMatch(/^## graph-mtls lint passed$/m);
    expect(r.summary).toContain('No findings.');
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '0', certificates: '1' });
  });

  it('paths may be several, on lines or separated by spaces, and globs', { timeout: TIMEOUT }, async () => {
    const r = await action({ paths: 'clean/root.pem\n  expiring/*.pem pki/clean.pem\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^::warning file=expiring\/root\.pem,line=1,title=CERT_EXPIRING_SOON::/m);
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '1', certificates: '3' });
  });

  it('config is passed as --config: a file that turns CERT_EXPIRED off lets the expired root pass', { timeout: TIMEOUT }, async () => {
    const r = await action({ paths: 'pki/expired.pem', config: 'config/expired-off.json' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('CERT_EXPIRED');
    expect(r.outputs).toMatchObject({ errors: '0', certificates: '1' });
  });

  it('max-warnings is passed as --max-warnings: more warnings fail the step, saying why', { timeout: TIMEOUT }, async () => {
    const [over, within] = await Promise.all([action({ paths: 'expiring', 'max-warnings': '0' }), action({ paths: 'expiring', 'max-warnings': '1' })]);
    expect(over.code, over.stderr).toBe(1);
    expect(over.stdout).toMatch(/^::error::graph-mtls: 1 warning, more than --max-warnings 0$/m);
    expect(over.summary).toContain('more than --max-warnings 0');
    expect(over.outputs).toMatchObject({ errors: '0', warnings: '1' });
    expect(within.code, within.stderr).toBe(0);
  });

  it('format sarif writes the SARIF file (sarif-file, relative to the workspace, its folder made) instead of annotations', { timeout: TIMEOUT }, async () => {
    const r = await action({ paths: 'pki', format: 'sarif', 'sarif-file': 'reports/lint.sarif' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(/^::error file=/m);
    const file = join(workspace, 'reports/lint.sarif');
    expect(r.outputs).toMatchObject({ errors: '1', 'sarif-file': file });
    const log = JSON.parse(readFileSync(file, 'utf8')) as { version: string; runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.artifactLocation.uri])).toContainEqual(['CERT_EXPIRED', 'error', 'pki/expired.pem']);
    expect(r.summary).toContain('CERT\\_EXPIRED');
  });

  it('a missing paths input, or a bad one, is a usage error: exit 2 and an ::error:: line', { timeout: TIMEOUT }, async () => {
    const [missing, blank, format, warnings, stdin] = await Promise.all([
      action({}),
      action({ paths: ' \n ' }),
      action({ paths: 'pki', format: 'text' }),
      action({ paths: 'pki', 'max-warnings': 'many' }),
      action({ paths: '-' }),
    ]);
    for (const r of [missing, blank, format, warnings, stdin]) {
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stdout).toMatch(/^::error::\S/m);
      expect(r.summary).toContain('could not run');
      expect(r.outputs).toEqual({});
    }
    expect(missing.stdout).toContain("::error::graph-mtls action: input 'paths' is required");
    expect(format.stdout).toContain("input 'format': expected github or sarif, received 'text'");
    expect(warnings.stdout).toContain("--max-warnings: expected a whole number (0 or more), received 'many'");
  });

  it('runs from a copy outside this repository, as the runner checks the action out elsewhere (no node_modules)', { timeout: TIMEOUT }, async () => {
    const copy = join(temp, 'checkout/action/dist');
    mkdirSync(copy, { recursive: true });
    copyFileSync(BUNDLE, join(copy, 'index.js'));
    copyFileSync(join(ROOT, 'action/package.json'), join(copy, '../package.json'));
    const r = await action({ paths: '**/expired.pem' }, join(copy, 'index.js'));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^::error file=pki\/expired\.pem,line=1,title=CERT_EXPIRED::/m);
    expect(r.outputs).toMatchObject({ errors: '1', certificates: '1' });
  });
});
