// End-to-end tests of the report formats of `graph-mtls lint` (packages/node/src/report/*):
// the JSON v1 shape checked value by value against the generated certificates (and against
// node:crypto's X509Certificate), SARIF 2.1.0 validated against the OASIS JSON schema,
// GitHub workflow-command annotations and their escaping, and the text format's colour and
// progress rules (the TTY branches driven in-process through main()).

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_CERTIFICATE_ERROR, RULES } from '@graph-mtls/core';
import { getKey, makeDeviceCert, makeIntermediateCa, makeRootCa, toPem, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { main } from '../src/main.ts';
import { Sink, TempDir, beginLine, emptyStdin, fingerprint, hex, parseJson, runCli, type RunResult } from './cli-harness.ts';

const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS (module.exports = Ajv, and .default = Ajv): take the class from .default.
const Ajv = AjvDraft04.default;
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const SARIF_SCHEMA = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

const dir = new TempDir();
let root: GeneratedCertificate;
let inter: GeneratedCertificate;
let weakInter: GeneratedCertificate;
let device: GeneratedCertificate;
let expired: GeneratedCertificate;
let bundleText: string;
let badBundleText: string;
let warnBundleText: string;
// The three report runs are spawned together once the fixtures exist.
const jsonNow = new Date(Math.floor(Date.now() / 1000) * 1000);
const GITHUB_MISSING = { percent: '100%,odd:missing.pem', cr: 'cr\rname.pem', lf: 'lf\nname.pem' } as const;
let runs: Promise<[RunResult, RunResult, RunResult]>;

beforeAll(async () => {
  const keys = await Promise.all([20, 21, 22, 23, 24].map((n) => getKey('p256', n)));
  root = await makeRootCa({ key: keys[0]!, subject: 'CN=Format Root, O=graph-mtls tests, C=US' });
  inter = await makeIntermediateCa(root, { key: keys[1]!, subject: 'CN=Format Intermediate, O=graph-mtls tests, C=US' });
  // A warning (basicConstraints not critical) and a notice (no cRLSign) on one certificate.
  weakInter = await makeIntermediateCa(root, {
    key: keys[2]!,
    subject: 'CN=Format Weak Intermediate, O=graph-mtls tests',
    basicConstraints: { ca: true, pathLen: 0, critical: false },
    keyUsage: { usages: ['keyCertSign'], critical: true },
  });
  device = await makeDeviceCert(inter, {
    key: keys[3]!,
    subject: [['C', 'US'], ['O', 'Acme, Inc.'], ['CN', 'cam+1']],
    subjectAltName: [
      { dns: 'cam-1.contoso.test' },
      { uri: 'IntuneDeviceId://0b2e4c6a-1111-4222-a333-444455556666' },
      { ip: '192.0.2.7' },
      { email: 'cam@contoso.test' },
      { dns: '*.cams.contoso.test' },
      { ip: '2001:db8:0:0:0:0:0:7' },
    ],
  });
  expired = await makeRootCa({ key: keys[4]!, subject: 'CN=Format Expired Root', notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2021, 0, 1)) });

  bundleText = `subject=CN=Format Root\nissuer=CN=Format Root\n${root.pem}\nsubject=CN=Format Intermediate\n${inter.pem}`;
  badBundleText = `${root.pem}${toPem(Uint8Array.of(1, 2, 3, 4, 5, 6))}${expired.pem}`;
  warnBundleText = `# CA bundle\n\n${root.pem}\n\n${weakInter.pem}`;
  dir.write('bundle.pem', bundleText);
  dir.write('device.pem', device.pem);
  dir.write('bad-bundle.pem', badBundleText);
  dir.write('warn-bundle.pem', warnBundleText);
  dir.write('expired.pem', expired.pem);
  dir.write('my file.pem', expired.pem);
  dir.write('we,ird:name.pem', expired.pem);
  dir.write('plain/root.pem', root.pem);
  for (let i = 0; i < 30; i++) dir.write(`many/f${String(i).padStart(2, '0')}.pem`, root.pem);
  const cwd = { cwd: dir.path };
  runs = Promise.all([
    runCli(['lint', '--format', 'json', '--now', jsonNow.toISOString(), '--param', 'tls_client_auth_san_dns', 'bundle.pem', 'device.pem', 'bad-bundle.pem', 'missing.pem'], cwd),
    runCli(['lint', '--format', 'sarif', 'warn-bundle.pem', 'my file.pem', 'missing.pem'], cwd),
    runCli(['lint', '--format', 'github', 'we,ird:name.pem', 'warn-bundle.pem', GITHUB_MISSING.percent, GITHUB_MISSING.cr, GITHUB_MISSING.lf], cwd),
  ]);
});

afterAll(() => dir.remove());

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

interface Finding {
  code: string;
  severity: string;
  message: string;
  citation: string;
  graphError: unknown;
  line: number | null;
}
interface Cert {
  source: string;
  index: number;
  line: number | null;
  sha256: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  isCA: boolean;
  selfIssued: boolean;
  keyUsage: string[] | null;
  subjectKeyIdentifier: string | null;
  san: { dns: string[]; uri: string[]; ip: string[]; email: string[] };
  findings: Finding[];
}
interface Report {
  version: number;
  now: string;
  certificates: Cert[];
  inputs: { source: string; index: number | null; line: number | null; findings: Finding[] }[];
  summary: { certificates: number; errors: number; warnings: number };
}

/** RFC 4514 of a simple name from node's X509Certificate (one attribute per RDN, no escaping needed). */
function rfc4514FromNode(multiline: string): string {
  return multiline.split('\n').reverse().join(',');
}

describe('--format json (v1)', () => {
  const now = jsonNow;
  let report: Report;
  let code: number | null;
  beforeAll(async () => {
    const r = (await runs)[0];
    code = r.code;
    report = parseJson<Report>(r);
  });

  it('is written piece by piece exactly as JSON.stringify(report, null, 2) lays it out', async () => {
    const { stdout } = (await runs)[0];
    expect(stdout).toBe(`${JSON.stringify(JSON.parse(stdout), null, 2)}\n`);
  });

  it('has the v1 top level and exits 1 for the error findings', () => {
    expect(code).toBe(1);
    expect(report.version).toBe(1);
    expect(report.now).toBe(now.toISOString());
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['version', 'now', 'certificates', 'inputs', 'summary']));
  });

  it('gives every certificate every v1 field', () => {
    const fields = ['source', 'index', 'line', 'sha256', 'subject', 'issuer', 'serialNumber', 'notBefore', 'notAfter', 'isCA', 'selfIssued', 'keyUsage', 'subjectKeyIdentifier', 'san', 'findings'];
    expect(report.certificates.map((c) => [c.source, c.index])).toEqual([
      ['bundle.pem', 0],
      ['bundle.pem', 1],
      ['device.pem', 0],
      ['bad-bundle.pem', 0],
      ['bad-bundle.pem', 2],
    ]);
    for (const c of report.certificates) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(fields));
      expect(Object.keys(c.san).sort()).toEqual(['dns', 'email', 'ip', 'uri']);
      for (const f of c.findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(['code', 'severity', 'message', 'citation', 'graphError']));
    }
  });

  it('matches the generated certificates and node:crypto value for value', () => {
    const expected: [Cert, GeneratedCertificate][] = [
      [report.certificates[0]!, root],
      [report.certificates[1]!, inter],
      [report.certificates[2]!, device],
      [report.certificates[3]!, root],
      [report.certificates[4]!, expired],
    ];
    for (const [c, gen] of expected) {
      const node = new X509Certificate(gen.der);
      expect(c.sha256).toBe(fingerprint(node.fingerprint256));
      expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(c.serialNumber).toBe(hex(gen.serialNumber));
      expect(c.serialNumber.replace(/^0+/, '')).toBe(node.serialNumber.toLowerCase().replace(/^0+/, ''));
      expect(c.notBefore).toBe(gen.notBefore.toISOString());
      expect(c.notAfter).toBe(gen.notAfter.toISOString());
      expect(c.notAfter).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(new Date(c.notAfter).getTime()).toBe(new Date(node.validTo).getTime());
      expect(c.subjectKeyIdentifier).toBe(gen.subjectKeyId === undefined ? null : hex(gen.subjectKeyId));
      if (gen !== device) {
        expect(c.subject).toBe(rfc4514FromNode(node.subject));
        expect(c.issuer).toBe(rfc4514FromNode(node.issuer));
      }
    }
    // Lines: the BEGIN line of each PEM block.
    expect(report.certificates[0]!.line).toBe(beginLine(bundleText, 0));
    expect(report.certificates[1]!.line).toBe(beginLine(bundleText, 1));
    expect(report.certificates[1]!.line).toBeGreaterThan(report.certificates[0]!.line! + 5);
    expect(report.certificates[4]!.line).toBe(beginLine(badBundleText, 2));
  });

  it('writes subject and issuer in RFC 4514 (reversed RDNs, escaped specials)', () => {
    const d = report.certificates[2]!;
    expect(d.subject).toBe('CN=cam\\+1,O=Acme\\, Inc.,C=US');
    expect(d.issuer).toBe('C=US,O=graph-mtls tests,CN=Format Intermediate');
    expect(report.certificates[0]!.subject).toBe('C=US,O=graph-mtls tests,CN=Format Root');
  });

  it('reports CA flags, keyUsage and every SAN type in certificate order', () => {
    const [r0, i1, d] = report.certificates;
    expect(r0).toMatchObject({ isCA: true, selfIssued: true, keyUsage: ['keyCertSign', 'cRLSign'], san: { dns: [], uri: [], ip: [], email: [] } });
    expect(i1).toMatchObject({ isCA: true, selfIssued: false });
    expect(d).toMatchObject({
      isCA: false,
      selfIssued: false,
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      san: {
        dns: ['cam-1.contoso.test', '*.cams.contoso.test'],
        uri: ['IntuneDeviceId://0b2e4c6a-1111-4222-a333-444455556666'],
        ip: ['192.0.2.7', '2001:db8::7'],
        email: ['cam@contoso.test'],
      },
      findings: [],
    });
  });

  it('gives findings code, severity, message, the catalogue citation and the Graph 400 body', () => {
    const e = report.certificates[4]!;
    const f = e.findings.find((x) => x.code === 'CERT_EXPIRED');
    expect(f?.code).toBe('CERT_EXPIRED');
    expect(f!.severity).toBe('error');
    expect(f!.message).toMatch(/2021-01-01/);
    expect(f!.citation).toBe(RULES.find((r) => r.code === 'CERT_EXPIRED')!.citation);
    expect(f!.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
  });

  it('puts findings for input that yielded no certificate in inputs', () => {
    const bySource = report.inputs.map((i) => [i.source, i.index, i.line, i.findings.map((f) => f.code)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(bySource).toEqual([
      ['bad-bundle.pem', 1, beginLine(badBundleText, 1), [expect.stringMatching(/^INPUT_(UNREADABLE|NOT_A_CERTIFICATE)$/)]],
      ['missing.pem', null, null, ['INPUT_FILE_UNREADABLE']],
    ]);
    for (const i of report.inputs) expect(i.findings[0]!.severity).toBe('error');
  });

  it('sums every finding in summary', () => {
    const all = [...report.certificates.flatMap((c) => c.findings), ...report.inputs.flatMap((i) => i.findings)];
    expect(report.summary.certificates).toBe(5);
    expect(report.summary.errors).toBe(all.filter((f) => f.severity === 'error').length);
    expect(report.summary.warnings).toBe(all.filter((f) => f.severity === 'warning').length);
    expect(report.summary.errors).toBeGreaterThanOrEqual(3);
  });
});

// ---------------------------------------------------------------------------------------------
// SARIF
// ---------------------------------------------------------------------------------------------

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
}
interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; version: string; rules: { id: string }[] } }; results: SarifResult[] }[];
}

describe('--format sarif', () => {
  let log: SarifLog;
  let code: number | null;
  beforeAll(async () => {
    const r = (await runs)[1];
    code = r.code;
    log = parseJson<SarifLog>(r);
  });

  it('is written piece by piece exactly as JSON.stringify(log, null, 2) lays it out', async () => {
    const { stdout } = (await runs)[1];
    expect(stdout).toBe(`${JSON.stringify(JSON.parse(stdout), null, 2)}\n`);
  });

  it('validates against the SARIF 2.1.0 JSON schema', () => {
    // unicodeRegExp: false because the schema's language pattern is not a valid /u expression.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    // The formats the schema uses, checked rather than ignored.
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S*$/i);
    ajv.addFormat('uri-reference', /^[^\s%]*(%[0-9A-Fa-f]{2}[^\s%]*)*$/);
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as object);
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The validator does reject what SARIF forbids.
    const broken = structuredClone(log);
    broken.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(broken)).toBe(false);
    expect(log.version).toBe('2.1.0');
    expect(code).toBe(1);
  });

  it('names the tool and carries the rule catalogue', () => {
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('graph-mtls');
    expect(driver.version).toBe(VERSION);
    expect(driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.code));
    for (const result of log.runs[0]!.results) {
      expect(RULES.some((r) => r.code === result.ruleId)).toBe(true);
      if (result.ruleIndex !== undefined) expect(driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    }
  });

  it('locates results at the file and the BEGIN line of the PEM block, with levels error, warning and note', () => {
    const results = log.runs[0]!.results;
    const at = (r: SarifResult): [string, string, string, number | undefined] => [
      r.ruleId,
      r.level,
      r.locations[0]!.physicalLocation.artifactLocation.uri,
      r.locations[0]!.physicalLocation.region?.startLine,
    ];
    const second = beginLine(warnBundleText, 1);
    expect(second).toBeGreaterThan(beginLine(warnBundleText, 0));
    expect(results.map(at)).toEqual(
      expect.arrayContaining([
        ['CA_BASIC_CONSTRAINTS_NOT_CRITICAL', 'warning', 'warn-bundle.pem', second],
        ['CA_KEY_USAGE_NO_CRL_SIGN', 'note', 'warn-bundle.pem', second],
        ['CERT_EXPIRED', 'error', 'my%20file.pem', 1],
        ['INPUT_FILE_UNREADABLE', 'error', 'missing.pem', undefined],
      ]),
    );
    // The root (first block) is clean: nothing points at its line.
    expect(results.filter((r) => r.locations[0]!.physicalLocation.region?.startLine === beginLine(warnBundleText, 0))).toEqual([]);
    expect(new Set(results.map((r) => r.level))).toEqual(new Set(['error', 'warning', 'note']));
  });
});

// ---------------------------------------------------------------------------------------------
// GitHub annotations
// ---------------------------------------------------------------------------------------------

describe('--format github', () => {
  let lines: string[];
  let code: number | null;
  beforeAll(async () => {
    const r = (await runs)[2];
    code = r.code;
    lines = r.stdout.split('\n').filter((l) => l !== '');
  });
  const annotations = (): string[] => lines.filter((l) => l.startsWith('::'));
  const find = (prefix: string): string => {
    const hit = annotations().find((l) => l.startsWith(prefix));
    if (hit === undefined) throw new Error(`no annotation starts with ${JSON.stringify(prefix)}; got:\n${annotations().join('\n')}`);
    return hit;
  };

  it('writes one well-formed workflow command per finding and exits 1', () => {
    expect(code).toBe(1);
    expect(annotations().length).toBeGreaterThanOrEqual(6);
    for (const a of annotations()) expect(a).toMatch(/^::(error|warning|notice) file=[^,:\r\n]+(,line=\d+)?,title=[A-Z0-9_]+::[^\r\n]+$/);
  });

  it('escapes , and : in the file property and points at the PEM line', () => {
    const a = find('::error file=we%2Cird%3Aname.pem,line=1,title=CERT_EXPIRED::');
    // LF in data: the Graph 400 body goes on its own line of the annotation.
    expect(a).toContain('%0AGraph would answer 400');
    const second = beginLine(warnBundleText, 1);
    find(`::warning file=warn-bundle.pem,line=${second},title=CA_BASIC_CONSTRAINTS_NOT_CRITICAL::`);
    find(`::notice file=warn-bundle.pem,line=${second},title=CA_KEY_USAGE_NO_CRL_SIGN::`);
  });

  it('escapes % CR LF in data, and also , : in properties (a file name\'s line break shows as \\u{D} in the message)', () => {
    const pct = find('::error file=100%25%2Codd%3Amissing.pem,title=INPUT_FILE_UNREADABLE::');
    expect(pct).toContain('::100%25,odd:missing.pem: no such file or directory');
    const cr = find('::error file=cr%0Dname.pem,title=INPUT_FILE_UNREADABLE::');
    expect(cr).toContain('::cr\\u{D}name.pem: no such file');
    const lf = find('::error file=lf%0Aname.pem,title=INPUT_FILE_UNREADABLE::');
    expect(lf).toContain('::lf\\u{A}name.pem: no such file');
  });
});

// ---------------------------------------------------------------------------------------------
// Text: colour and progress (TTY branches in-process)
// ---------------------------------------------------------------------------------------------

describe('text colour and progress', () => {
  async function inProcess(args: readonly string[], options: { stdoutTTY: boolean; stderrTTY?: boolean; env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new Sink(options.stdoutTTY);
    const stderr = new Sink(options.stderrTTY ?? false);
    const code = await main(args, { stdout, stderr, stdin: emptyStdin(), env: options.env ?? {}, cwd: dir.path });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it('colours on a TTY', async () => {
    const r = await inProcess(['lint', 'expired.pem', 'plain/root.pem'], { stdoutTTY: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('\x1b[');
    expect(r.stdout).toContain('CERT_EXPIRED');
  });

  it('never colours with NO_COLOR, nor off a TTY, nor into --output', async () => {
    const [noColor, notTty, output] = await Promise.all([
      inProcess(['lint', 'expired.pem', 'plain/root.pem'], { stdoutTTY: true, env: { NO_COLOR: '1' } }),
      inProcess(['lint', 'expired.pem', 'plain/root.pem'], { stdoutTTY: false }),
      inProcess(['lint', '--output', 'text-report.txt', 'expired.pem'], { stdoutTTY: true }),
    ]);
    expect(noColor.code).toBe(1);
    expect(noColor.stdout).toContain('CERT_EXPIRED');
    expect(noColor.stdout).not.toContain('\x1b');
    expect(notTty.stdout).toContain('CERT_EXPIRED');
    expect(notTty.stdout).not.toContain('\x1b');
    expect(output.stdout).toBe('');
    const written = readFileSync(`${dir.path}/text-report.txt`, 'utf8');
    expect(written).toContain('CERT_EXPIRED');
    expect(written).not.toContain('\x1b');
  });

  it('shows progress on stderr only when stderr is a TTY', async () => {
    const [tty, pipe] = await Promise.all([
      inProcess(['lint', 'many'], { stdoutTTY: false, stderrTTY: true }),
      inProcess(['lint', 'many'], { stdoutTTY: false, stderrTTY: false }),
    ]);
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('30/30');
    expect(tty.stdout).not.toContain('30/30');
    expect(pipe.code).toBe(0);
    expect(pipe.stderr).toBe('');
    expect(pipe.stdout).toBe(tty.stdout);
  });
});
