// graph-mtls device-verification benchmark: will these devices authenticate? A fleet under a
// root and two issuing CAs (P-256 and RSA-2048; devices with P-256 and RSA-2048 keys), every
// device signed by its CA (test/fixtures/fleet.ts), verified by our core in process against what a user
// would pick instead, with the passes interleaved in one run: the bare signature verifications
// with crypto.verify (the floor), a node:crypto loop doing the same checks, @peculiar/x509's
// chain builder, pkijs' CertificateChainValidationEngine, and `openssl verify` (one process for
// many certificates); then the CLI end to end (`graph-mtls verify`, process start included) in
// fleet mode and in one thread. Usage: node bench/dist/verify.mjs [--quick] [--count N]
// [--sample N] [--rounds N] [--no-cli] [--json FILE]; see bench/README.md.

import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as peculiar from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { buildCreate, parseCertificate, scanCertificates, type Certificate, type SignatureVerifier } from '../packages/core/src/index.ts';
import { readTrustConfiguration, verifyDevice, type TrustConfiguration } from '../packages/core/src/verify/index.ts';
import { createVerifier } from '../packages/node/src/crypto.ts';
import { spread, type Spread } from './cli.ts';
import { makeFleetTemplates, writeFleetBundle } from '../test/fixtures/fleet.ts';
import { toPem } from '../test/fixtures/der-builder.ts';
import { fmtInt, fmtRate, fmtRatio, table } from './format.ts';
import { interleave, ratios } from './interleave.ts';
import { gc } from './timing.ts';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT_DIR = dirname(BENCH_DIR);
const CACHE_DIR = join(BENCH_DIR, '.corpus');
const CLI = join(ROOT_DIR, 'packages/node/dist/cli.js');
/** The fleet's clock: its certificates are made valid around it, and every pass judges at it. */
const NOW = new Date('2026-12-01T00:00:00Z');
const PARAMETER = 'tls_client_auth_san_uri';

interface Options {
  readonly quick: boolean;
  readonly count: number;
  /** The slow libraries (@peculiar/x509, pkijs, openssl verify) verify the first `sample` devices. */
  readonly sample: number;
  readonly rounds: number;
  readonly cli: boolean;
  readonly json: string | undefined;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      count: { type: 'string' },
      sample: { type: 'string' },
      rounds: { type: 'string' },
      'no-cli': { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const quick = values.quick === true;
  const count = Number(values.count ?? (quick ? 2_000 : 100_000));
  return {
    quick,
    count,
    sample: Math.min(count, Number(values.sample ?? (quick ? 200 : 5_000))),
    rounds: Number(values.rounds ?? (quick ? 2 : 5)),
    cli: values['no-cli'] !== true,
    json: values.json,
  };
}

/** The fleet on disk: the CAs, the configuration that trusts them, and the devices (one PEM bundle). */
interface Fleet {
  readonly dir: string;
  readonly rootPem: string;
  readonly issuersPem: string;
  readonly configPath: string;
  readonly devicesPath: string;
}

/** Generates the fleet once per size (the RSA CA's signatures take most of a minute for 100,000) and keeps it in bench/.corpus. */
async function loadFleet(count: number, log: (s: string) => void): Promise<Fleet> {
  const dir = join(CACHE_DIR, `verify-fleet-v1-n${count}`);
  const fleet: Fleet = { dir, rootPem: join(dir, 'root.pem'), issuersPem: join(dir, 'issuers.pem'), configPath: join(dir, 'configuration.json'), devicesPath: join(dir, 'devices.pem') };
  if (existsSync(join(dir, 'done'))) return fleet;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const templates = await makeFleetTemplates(NOW);
  const [root, ...issuers] = templates.cas;
  writeFileSync(fleet.rootPem, root!.pem);
  writeFileSync(fleet.issuersPem, issuers.map((c) => c.pem).join(''));
  const cas = templates.cas.map((c) => parseCertificate(c.der));
  const { body } = buildCreate({ tlsClientAuthParameter: PARAMETER, certificateAuthorities: cas.map((certificate, i) => ({ certificate, isRootAuthority: i === 0 })) }, { now: NOW });
  writeFileSync(fleet.configPath, JSON.stringify(body, null, 2));
  await writeFleetBundle(fleet.devicesPath, count, templates, { signed: true, cas: false });
  writeFileSync(join(dir, 'done'), '');
  log(`fleet of ${fmtInt(count)} signed devices written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);
  return fleet;
}

/** A device as the bare pass sees it: what was signed, the signature, and its CA's key, all read before timing. */
interface Signed {
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
  readonly key: nodeCrypto.KeyObject;
  readonly hash: string;
  readonly dsa: boolean;
}

interface Row {
  readonly name: string;
  readonly what: string;
  readonly devices: number;
  readonly seconds: Spread;
  readonly perSecond: number;
}

async function main(): Promise<void> {
  const opts = options();
  const log = (s: string): void => console.log(s);
  const started = performance.now();
  log(`graph-mtls verify bench: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB`);
  const fleet = await loadFleet(opts.count, log);
  const ders = scanCertificates(readFileSync(fleet.devicesPath, 'latin1'), { limits: { maxInputBytes: 2 ** 31, maxCertificates: 10_000_000 } }).certificates.map((c) => c.certificate.der);
  const cas = scanCertificates(readFileSync(fleet.rootPem, 'latin1') + readFileSync(fleet.issuersPem, 'latin1')).certificates.map((c) => c.certificate);
  const sample = ders.slice(0, opts.sample);
  log(`fleet: ${fmtInt(ders.length)} devices (P-256 and RSA-2048 keys), half under each of two issuing CAs (P-256, RSA-2048) under one root (P-256); the slow verifiers take the first ${fmtInt(sample.length)}`);

  const { configuration } = readTrustConfiguration(readFileSync(fleet.configPath, 'utf8'));
  const bare = bareInputs(ders, cas);
  const pk = peculiarSetup(cas);
  const pj = pkijsSetup(cas);
  const openssl = opensslSetup(fleet, sample);
  const warm = 200;
  const passes = [
    { name: 'crypto.verify', what: 'the device signatures alone, keys imported before', devices: ders.length, warm: () => bareVerify(bare.slice(0, warm)), run: () => bareVerify(bare) },
    { name: 'graph-mtls', what: 'verifyDevice: parse, path, signatures, validity, CA constraints, EKU, identity', devices: ders.length, warm: () => ours(ders.slice(0, warm), configuration), run: () => ours(ders, configuration) },
    { name: 'node:crypto loop', what: 'X509Certificate, checkIssued, verify, validity, EKU, SAN (CA checks once)', devices: ders.length, warm: () => nodeLoop(ders.slice(0, warm), cas), run: () => nodeLoop(ders, cas) },
    { name: '@peculiar/x509', what: 'X509ChainBuilder.build (signatures by WebCrypto; validity checked after)', devices: sample.length, warm: () => pk(sample.slice(0, warm)), run: () => pk(sample) },
    { name: 'pkijs', what: 'CertificateChainValidationEngine.verify (checkDate)', devices: sample.length, warm: () => pj(sample.slice(0, warm)), run: () => pj(sample) },
    ...(openssl === undefined ? [] : [{ name: 'openssl verify', what: `one process for ${fmtInt(sample.length)} files, -x509_strict -purpose sslclient`, devices: sample.length, warm: () => openssl(warm), run: () => openssl(sample.length) }]),
  ];
  log(`in process: ${opts.rounds} rounds, passes interleaved`);
  const times = await interleave(passes, opts.rounds, opts.quick ? 200 : 1000, () => undefined);
  const rows: Row[] = passes.map((p) => {
    const seconds = spread(times.get(p.name)!);
    return { name: p.name, what: p.what, devices: p.devices, seconds, perSecond: p.devices / seconds.median };
  });
  const oursRate = rows.find((r) => r.name === 'graph-mtls')!.perSecond;
  log('');
  log(table(
    ['verifier', 'devices', 'devices/s', 'µs/device', 'time vs graph-mtls', 'what it does'],
    rows.map((r) => [r.name, fmtInt(r.devices), fmtRate(r.perSecond), (1e6 / r.perSecond).toFixed(1), r.name === 'graph-mtls' ? '-' : fmtRatio(oursRate / r.perSecond), r.what]),
    [false, true, true, true, true, false],
  ));
  // Per-round ratios of the full-fleet passes (the same devices, seconds apart).
  const per = (a: string, b: string): Spread => spread(ratios(times.get(a)!, times.get(b)!));
  const costOverBare = per('crypto.verify', 'graph-mtls');
  const loopOverOurs = per('graph-mtls', 'node:crypto loop');
  const targets = [
    `- graph-mtls >= 3x the node:crypto loop: ${fmtRatio(loopOverOurs.median)} (rounds ${fmtRatio(loopOverOurs.min)}-${fmtRatio(loopOverOurs.max)}) ${loopOverOurs.median >= 3 ? 'MET' : 'MISSED'}`,
    `- graph-mtls within 1.5x of the bare crypto.verify cost: ${fmtRatio(costOverBare.median)} (rounds ${fmtRatio(costOverBare.min)}-${fmtRatio(costOverBare.max)}) ${costOverBare.median <= 1.5 ? 'MET' : 'MISSED'}`,
  ];

  let cli: { label: string; jobs: string; seconds: Spread; perSecond: number; peakRssMiB: number }[] = [];
  if (opts.cli) {
    cli = runCli(fleet, ders.length, opts.quick ? 1 : 3, log);
    const fleetMode = cli.find((c) => c.jobs !== '1')!;
    const share = fleetMode.perSecond / oursRate;
    log('');
    log(table(
      ['graph-mtls verify (CLI, end to end, process start included)', 'jobs', 'devices/s', 'of in-process', 'peak RSS'],
      cli.map((c) => [c.label, c.jobs, fmtRate(c.perSecond), `${(100 * c.perSecond / oursRate).toFixed(0)}%`, `${c.peakRssMiB.toFixed(0)} MiB`]),
      [false, false, true, true, true],
    ));
    targets.push(`- the CLI in fleet mode >= 80% of the in-process rate: ${(100 * share).toFixed(0)}% ${share >= 0.8 ? 'MET' : 'MISSED'}`);
  }
  log('');
  log('targets (issue 15):');
  for (const t of targets) log(t);
  log(`\ndone in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (opts.json !== undefined) writeFileSync(opts.json, JSON.stringify({ count: ders.length, sample: sample.length, rows, ratios: { costOverBare, loopOverOurs }, cli }, null, 2));
}

/**
 * The CLI on the fleet bundle, end to end (JSON to a file): in one thread and in fleet mode
 * (the default, worker threads on every core), interleaved, with its own --stats for peak RSS.
 */
function runCli(fleet: Fleet, devices: number, rounds: number, log: (s: string) => void): { label: string; jobs: string; seconds: Spread; perSecond: number; peakRssMiB: number }[] {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx -y pnpm@10 build' first (pnpm bench:verify does), or pass --no-cli`);
  const out = join(fleet.dir, 'cli-report.json');
  const runs = [
    { label: 'fleet bundle, --format json', jobs: '1', args: ['--jobs', '1'] },
    { label: 'fleet bundle, --format json', jobs: 'default', args: [] as string[] },
  ];
  // What the run used, as its --stats says ("2 (worker threads)", "1 (in-process)").
  const used = runs.map(() => '');
  const seconds = runs.map(() => [] as number[]);
  const rss = runs.map(() => 0);
  log(`CLI: ${rounds} rounds of each, interleaved`);
  for (let r = 0; r < rounds; r++) {
    runs.forEach((run, k) => {
      const t0 = performance.now();
      const p = spawnSync(process.execPath, [CLI, 'verify', '--config', fleet.configPath, '--now', NOW.toISOString(), '--format', 'json', '--output', out, '--stats', ...run.args, fleet.devicesPath], { encoding: 'utf8' });
      seconds[k]!.push((performance.now() - t0) / 1000);
      if (p.status !== 0) throw new Error(`graph-mtls verify: exit ${p.status}\n${p.stderr.slice(0, 2000)}`);
      const peak = /peak RSS\s+([\d.]+) MiB/.exec(p.stderr);
      rss[k] = Math.max(rss[k]!, Number(peak?.[1] ?? 0));
      used[k] = /jobs\s+(.+)/.exec(p.stderr)?.[1] ?? '?';
    });
  }
  const report = JSON.parse(readFileSync(out, 'utf8')) as { summary: { trusted: number } };
  if (report.summary.trusted !== devices) throw new Error(`graph-mtls verify: ${devices - report.summary.trusted} devices not trusted`);
  rmSync(out, { force: true });
  return runs.map((run, k) => {
    const s = spread(seconds[k]!);
    return { label: run.label, jobs: run.jobs === 'default' ? `default: ${used[k]}` : run.jobs, seconds: s, perSecond: devices / s.median, peakRssMiB: rss[k]! };
  });
}

/** @peculiar/x509's chain builder over the CAs, its chain checked to end at the root, then the validity of each member. */
function peculiarSetup(cas: readonly Certificate[]): (ders: readonly Uint8Array[]) => Promise<number> {
  peculiar.cryptoProvider.set(globalThis.crypto);
  const anchors = cas.map((c) => new peculiar.X509Certificate(new Uint8Array(c.der)));
  const root = anchors[0]!;
  return async (ders) => {
    const builder = new peculiar.X509ChainBuilder({ certificates: anchors });
    let trusted = 0;
    for (const der of ders) {
      const device = new peculiar.X509Certificate(new Uint8Array(der));
      const chain = await builder.build(device);
      if (chain.length === 3 && chain[2]!.equal(root) && chain.every((c) => c.notBefore <= NOW && NOW <= c.notAfter)) trusted++;
    }
    if (trusted !== ders.length) throw new Error(`@peculiar/x509: ${ders.length - trusted} devices not trusted`);
    return trusted;
  };
}

/** pkijs' CertificateChainValidationEngine: the root trusted, the issuing CAs and the device given, checkDate now. */
function pkijsSetup(cas: readonly Certificate[]): (ders: readonly Uint8Array[]) => Promise<number> {
  const ab = (der: Uint8Array): ArrayBuffer => der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
  const [root, ...issuers] = cas.map((c) => pkijs.Certificate.fromBER(ab(c.der)));
  return async (ders) => {
    let trusted = 0;
    for (const der of ders) {
      const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: [root!], certs: [...issuers, pkijs.Certificate.fromBER(ab(der))], checkDate: NOW });
      if ((await engine.verify()).result) trusted++;
    }
    if (trusted !== ders.length) throw new Error(`pkijs: ${ders.length - trusted} devices not trusted`);
    return trusted;
  };
}

/** `openssl verify`, one process for many files (the sample written one device a file); undefined without openssl. */
function opensslSetup(fleet: Fleet, sample: readonly Uint8Array[]): ((count: number) => number) | undefined {
  if (spawnSync('openssl', ['version']).status !== 0) {
    console.log('openssl not found: its row is left out (scripts/ensure-tools.sh installs it)');
    return undefined;
  }
  const dir = join(fleet.dir, `openssl-${sample.length}`);
  if (!existsSync(join(dir, 'done'))) {
    mkdirSync(dir, { recursive: true });
    sample.forEach((der, i) => writeFileSync(join(dir, `${i}.pem`), toPem(der, 'CERTIFICATE')));
    writeFileSync(join(dir, 'done'), '');
  }
  const attime = String(Math.floor(NOW.getTime() / 1000));
  return (count) => {
    const files = Array.from({ length: count }, (_, i) => join(dir, `${i}.pem`));
    const p = spawnSync('openssl', ['verify', '-x509_strict', '-attime', attime, '-purpose', 'sslclient', '-CAfile', fleet.rootPem, '-untrusted', fleet.issuersPem, ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const ok = (p.stdout.match(/: OK$/gm) ?? []).length;
    if (ok !== count) throw new Error(`openssl verify: ${count - ok} devices not OK\n${p.stderr.slice(0, 1000)}`);
    return ok;
  };
}

/** Every device's TBS and signature, and its issuing CA's key (found by name), read once. */
function bareInputs(ders: readonly Uint8Array[], cas: readonly Certificate[]): Signed[] {
  const keys = new Map(cas.map((c) => [c.subjectDn, nodeCrypto.createPublicKey({ key: Buffer.from(c.subjectPublicKeyInfo), format: 'der', type: 'spki' })]));
  return ders.map((der) => {
    const c = parseCertificate(der);
    const key = keys.get(c.issuerDn)!;
    return { tbs: c.tbs, signature: c.signature, key, hash: 'sha256', dsa: key.asymmetricKeyType === 'ec' };
  });
}

/** The floor: crypto.verify of each device signature, nothing else. */
function bareVerify(devices: readonly Signed[]): number {
  let ok = 0;
  for (const d of devices) if (nodeCrypto.verify(d.hash, d.tbs, d.key, d.signature)) ok++;
  if (ok !== devices.length) throw new Error(`crypto.verify: ${devices.length - ok} signatures did not verify`);
  return ok;
}

/** Ours: each device parsed and verified against the configuration (path, signatures, validity, constraints, EKU, identity). */
async function ours(ders: readonly Uint8Array[], configuration: TrustConfiguration, verifier: SignatureVerifier = createVerifier()): Promise<number> {
  let trusted = 0;
  for (const der of ders) {
    const result = await verifyDevice(parseCertificate(der), configuration, { now: NOW, verifier });
    if (result.outcome === 'trusted') trusted++;
  }
  if (trusted !== ders.length) throw new Error(`ours: ${ders.length - trusted} devices not trusted`);
  return trusted;
}

/**
 * What a user would write with node:crypto: each device read by X509Certificate, its issuer
 * found among the CAs with checkIssued, its signature verified, its validity and clientAuth
 * EKU checked and its SAN URI read; the CA chain (issuer by root, validity, cA) checked once
 * per CA, as our verifier caches it.
 */
function nodeLoop(ders: readonly Uint8Array[], cas: readonly Certificate[]): number {
  const x509 = cas.map((c) => new nodeCrypto.X509Certificate(Buffer.from(c.der)));
  const root = x509[0]!;
  const chainOk = new Map<nodeCrypto.X509Certificate, boolean>();
  const now = NOW.getTime();
  const valid = (x: nodeCrypto.X509Certificate): boolean => Date.parse(x.validFrom) <= now && now <= Date.parse(x.validTo);
  let trusted = 0;
  for (const der of ders) {
    const device = new nodeCrypto.X509Certificate(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
    const issuer = x509.find((ca) => device.checkIssued(ca));
    if (issuer === undefined) continue;
    let chain = chainOk.get(issuer);
    if (chain === undefined) chainOk.set(issuer, (chain = issuer.ca && valid(issuer) && valid(root) && issuer.checkIssued(root) && issuer.verify(root.publicKey)));
    if (!chain || !device.verify(issuer.publicKey) || !valid(device)) continue;
    const eku = device.keyUsage;
    if (eku !== undefined && !eku.includes('1.3.6.1.5.5.7.3.2')) continue;
    if (!/URI:IntuneDeviceId:\/\//.test(device.subjectAltName ?? '')) continue;
    trusted++;
  }
  if (trusted !== ders.length) throw new Error(`node loop: ${ders.length - trusted} devices not trusted`);
  // Its X509Certificates hold native memory that V8 frees only when it collects: collected here,
  // in its own time, or the pass after it pays (measured: ours 30% slower after it than alone).
  gc();
  return trusted;
}

await main();
