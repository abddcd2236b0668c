// `graph-mtls lint` with a rule configuration (graph-mtls.config.json, found upward from the
// working directory, or --config) and --max-warnings: rules turned off or given another severity,
// per path pattern, in every format and whatever the number of threads; mistakes in the file are
// usage errors naming the file and the place.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, makeRootCa } from '@graph-mtls/test/fixtures/certificates.ts';
import { TempDir, parseJson, runCli, type RunResult } from './cli-harness.ts';

const NOW = '2026-12-01T00:00:00Z';
const DAY = 86_400_000;
const dir = new TempDir();

interface Report {
  certificates: { source: string; findings: { code: string; severity: string }[] }[];
  summary: { errors: number; warnings: number };
}

beforeAll(async () => {
  const now = Date.parse(NOW);
  // No keyUsage: CA_KEY_USAGE_MISSING (a warning by default). Expiring in 10 days: CERT_EXPIRING_SOON (a warning).
  const noKeyUsage = await makeRootCa({ key: await getKey('p256', 70), subject: 'CN=Config Root', keyUsage: undefined, notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY) });
  const expiring = await makeRootCa({ key: await getKey('p256', 71), subject: 'CN=Config Expiring Root', notBefore: new Date(now - DAY), notAfter: new Date(now + 10 * DAY) });
  dir.write('project/graph-mtls.config.json', JSON.stringify({
    rules: { CA_KEY_USAGE_MISSING: 'off' },
    overrides: [{ files: ['legacy/**'], rules: { CERT_EXPIRING_SOON: 'error' } }],
  }));
  dir.write('project/pki/root.pem', noKeyUsage.pem);
  dir.write('project/pki/expiring.pem', expiring.pem);
  dir.write('project/legacy/old/expiring.pem', expiring.pem);
  for (let i = 0; i < 70; i++) dir.write(`project/many/${String(i).padStart(2, '0')}.pem`, (i % 7 === 0 ? expiring : noKeyUsage).pem);
  dir.write('strict.json', JSON.stringify({ rules: { CERT_EXPIRING_SOON: 'error' } }));
  dir.write('typo.json', JSON.stringify({ rules: { CA_KEY_USAGE_MISING: 'off' } }));
  dir.write('bad-value.json', JSON.stringify({ overrides: [{ files: ['x'], rules: { CERT_EXPIRED: 'warn' } }] }));
  dir.write('not-json.json', '{ rules: ');
});
afterAll(() => dir.remove());

const lint = (cwd: string, args: readonly string[]): Promise<RunResult> => runCli(['lint', '--now', NOW, ...args], { cwd: join(dir.path, cwd) });
const found = (r: RunResult): [string, string, string][] => parseJson<Report>(r).certificates.flatMap((c) => c.findings.filter((f) => f.code.startsWith('CA_KEY_USAGE') || f.code === 'CERT_EXPIRING_SOON').map((f): [string, string, string] => [c.source, f.code, f.severity]));

describe.concurrent('rule configuration', () => {
  it('is found upward from the working directory; overrides apply to the paths they match, relative to its folder', async () => {
    const [fromProject, fromPki] = await Promise.all([lint('project', ['--format', 'json', 'pki', 'legacy']), lint('project/pki', ['--format', 'json', '.', '../legacy'])]);
    expect(fromProject.code).toBe(1);
    expect(found(fromProject)).toEqual([
      ['pki/expiring.pem', 'CERT_EXPIRING_SOON', 'warning'],
      ['legacy/old/expiring.pem', 'CERT_EXPIRING_SOON', 'error'],
    ]);
    expect(found(fromPki).map(([, code, severity]) => [code, severity])).toEqual([['CERT_EXPIRING_SOON', 'warning'], ['CERT_EXPIRING_SOON', 'error']]);
  });

  it('--no-config uses the catalogue as it is; --config names another file', async () => {
    const [none, given] = await Promise.all([
      lint('project', ['--format', 'json', '--no-config', 'pki', 'legacy']),
      lint('.', ['--format', 'json', '--config', 'strict.json', 'project/pki']),
    ]);
    expect(none.code).toBe(0);
    expect(found(none)).toEqual([
      ['pki/expiring.pem', 'CERT_EXPIRING_SOON', 'warning'],
      ['pki/root.pem', 'CA_KEY_USAGE_MISSING', 'warning'],
      ['legacy/old/expiring.pem', 'CERT_EXPIRING_SOON', 'warning'],
    ]);
    expect(given.code).toBe(1);
    expect(found(given)).toEqual([
      ['project/pki/expiring.pem', 'CERT_EXPIRING_SOON', 'error'],
      ['project/pki/root.pem', 'CA_KEY_USAGE_MISSING', 'warning'],
    ]);
  });

  it('a mistake in the file is a usage error naming the file, the place and the nearest rule', async () => {
    const [typo, value, json, both] = await Promise.all([
      lint('.', ['--config', 'typo.json', 'project/pki']),
      lint('.', ['--config', 'bad-value.json', 'project/pki']),
      lint('.', ['--config', 'not-json.json', 'project/pki']),
      lint('.', ['--config', 'typo.json', '--no-config', 'project/pki']),
    ]);
    expect([typo.code, typo.stdout]).toEqual([2, '']);
    expect(typo.stderr).toContain(`typo.json: rules.CA_KEY_USAGE_MISING: expected a rule code of the catalogue (did you mean CA_KEY_USAGE_MISSING?), received 'CA_KEY_USAGE_MISING'`);
    expect([value.code, value.stderr]).toEqual([2, expect.stringContaining(`bad-value.json: overrides[0].rules.CERT_EXPIRED: expected "off", "notice", "warning" or "error", received 'warn'`)]);
    expect([json.code, json.stderr]).toEqual([2, expect.stringMatching(/--config not-json\.json: not JSON/)]);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('expected --config <file> or --no-config, not both')]);
  });

  it('SARIF and GitHub annotations carry the configured severities; SARIF rules link to their entry in docs/rules.md', async () => {
    const [sarif, github] = await Promise.all([lint('project', ['--format', 'sarif', 'legacy', 'pki']), lint('project', ['--format', 'github', 'legacy', 'pki'])]);
    const log = JSON.parse(sarif.stdout) as { runs: { tool: { driver: { informationUri: string; rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; level: string }[] }[] };
    expect(log.runs[0]!.results.filter((r) => r.ruleId === 'CERT_EXPIRING_SOON').map((r) => r.level)).toEqual(['error', 'warning']);
    expect(log.runs[0]!.results.map((r) => r.ruleId)).not.toContain('CA_KEY_USAGE_MISSING');
    const driver = log.runs[0]!.tool.driver;
    expect(driver.informationUri).toBe('https://github.com/graph-mtls/graph-mtls');
    const doc = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');
    for (const rule of driver.rules) {
      expect(rule.helpUri).toBe(`https://github.com/graph-mtls/graph-mtls/blob/main/docs/rules.md#${rule.id.toLowerCase()}`);
      expect(doc).toContain(`<a id="${rule.id.toLowerCase()}"></a>\`${rule.id}\``);
    }
    expect(github.stdout).toMatch(/^::error file=legacy\/old\/expiring\.pem,.*title=CERT_EXPIRING_SOON::/m);
    expect(github.stdout).toMatch(/^::warning file=pki\/expiring\.pem,.*title=CERT_EXPIRING_SOON::/m);
  });

  it('--max-warnings: more warnings than allowed fail (exit 1), saying so', async () => {
    const [zero, one, usage] = await Promise.all([lint('project', ['--max-warnings', '0', 'pki']), lint('project', ['--max-warnings', '1', 'pki']), lint('project', ['--max-warnings', 'x', 'pki'])]);
    expect([zero.code, zero.stderr]).toEqual([1, 'graph-mtls: 1 warning, more than --max-warnings 0\n']);
    expect([one.code, one.stderr]).toEqual([0, '']);
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining("--max-warnings: expected a whole number (0 or more), received 'x'")]);
  });

  it('applies the same on worker threads as in this thread', async () => {
    const [one, two] = await Promise.all([lint('project', ['--format', 'json', '--jobs', '1', 'many']), lint('project', ['--format', 'json', '--jobs', '2', 'many'])]);
    expect(two.stdout).toBe(one.stdout);
    expect(parseJson<Report>(one).summary.warnings).toBe(10);
    expect(one.stdout).not.toContain('CA_KEY_USAGE_MISSING');
  });

  it('--write-baseline records today\'s findings; --baseline then reports only new ones, from any folder', async () => {
    const recorded = await lint('project', ['--no-config', '--write-baseline', 'baseline.json', 'pki', 'legacy']);
    expect(recorded.code).toBe(0);
    // The expiring root is in two files: one certificate, one fingerprint.
    expect(recorded.stderr).toBe('graph-mtls: baseline written to baseline.json: 2 findings\n');
    const file = JSON.parse(readFileSync(join(dir.path, 'project/baseline.json'), 'utf8')) as { version: number; findings: string[] };
    expect(file.version).toBe(1);
    expect(file.findings).toEqual([...file.findings].sort());
    expect(file.findings.map((f) => f.split(' ').slice(0, 2).join(' ').replace(/[0-9a-f]{64}/, 'X'))).toEqual(['CA_KEY_USAGE_MISSING sha256:X', 'CERT_EXPIRING_SOON sha256:X']);
    const [same, fromPki, withNew] = await Promise.all([
      lint('project', ['--no-config', '--baseline', 'baseline.json', '--format', 'json', 'pki', 'legacy']),
      lint('project/pki', ['--no-config', '--baseline', '../baseline.json', '--format', 'json', '.']),
      lint('project', ['--no-config', '--baseline', 'baseline.json', '--format', 'json', '--strict', 'pki', 'legacy', 'many/00.pem']),
    ]);
    expect([same.code, found(same), same.stderr]).toEqual([0, [], 'graph-mtls: 3 findings left out: in the baseline baseline.json\n']);
    expect([fromPki.code, found(fromPki)]).toEqual([0, []]);
    // The same expiring root in a new file is a finding of the same certificate: left out; a new certificate would not be.
    expect(found(withNew)).toEqual([]);
    expect(withNew.code).toBe(0);
  });

  it('a certificate the baseline does not know is reported; a bad baseline is a usage error', async () => {
    dir.write('project/new/extra.pem', (await makeRootCa({ key: await getKey('p256', 72), subject: 'CN=New Root', keyUsage: undefined })).pem);
    await lint('project', ['--no-config', '--write-baseline', 'baseline-2.json', 'pki']);
    const r = await lint('project', ['--no-config', '--baseline', 'baseline-2.json', '--format', 'json', 'pki', 'new']);
    expect(found(r)).toEqual([['new/extra.pem', 'CA_KEY_USAGE_MISSING', 'warning']]);
    dir.write('project/bad-baseline.json', JSON.stringify({ version: 2, findings: [] }));
    const [bad, both] = await Promise.all([
      lint('project', ['--baseline', 'bad-baseline.json', 'pki']),
      lint('project', ['--baseline', 'baseline-2.json', '--write-baseline', 'x.json', 'pki']),
    ]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--baseline bad-baseline.json: expected { "version": 1, "findings": [strings] }')]);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('not both')]);
  });
});
