#!/usr/bin/env node
// Benchmark of `graph-mtls lint` bulk mode against the same work done with `openssl x509` in a
// shell loop and with a Node script on node:crypto's X509Certificate.
//
//   node bench/cli-bulk.mjs [N=20000] [--jobs 2,1] [--openssl-sample M] [--keep]
//
// Builds a directory of N PEM files (copies of 8 certificates made with openssl: 2 self-signed
// roots, EC P-256 and RSA 2048, whose signatures graph-mtls verifies; 2 intermediates; 4 device
// certificates with SANs), then times, over the same files:
//   (a) graph-mtls lint --format json --stats DIR        (once per --jobs value, default: all cores and 1)
//   (b) for f in DIR/*.pem; do openssl x509 -noout -subject -ext subjectAltName,basicConstraints,keyUsage -dates -in "$f"; done
//   (c) node: readFileSync + new X509Certificate + subject, subjectAltName, ca, keyUsage, validFrom, validTo, fingerprint256
// and prints seconds, certificates per second and the ratios. Needs `pnpm build` first.
// Times are wall clock of the whole command, process start included. The openssl loop starts a
// process per file (about 30 ms each on a small VM): --openssl-sample M times it over the first
// M files only and scales the time to N, and the table says so.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const option = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const N = Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')) ?? 20_000);
const jobsList = option('--jobs')?.split(',').map(Number) ?? [...new Set([availableParallelism(), 1])];
const sample = Math.min(N, Number(option('--openssl-sample') ?? N));
const CLI = fileURLToPath(new URL('../packages/node/dist/cli.js', import.meta.url));
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx -y pnpm@10 build' first`);

const work = mkdtempSync(join(tmpdir(), 'graph-mtls-bench-cli-'));
const keys = join(work, 'keys');
const dir = join(work, 'certs');
mkdirSync(keys);
mkdirSync(dir);

// --- Certificates -----------------------------------------------------------------------------
const openssl = (...a) => execFileSync('openssl', a, { cwd: keys, stdio: ['ignore', 'pipe', 'pipe'] });
const ext = (name, lines) => {
  writeFileSync(join(keys, name), lines.join('\n') + '\n');
  return name;
};
const caExt = ext('ca.cnf', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash']);
const subExt = ext('sub.cnf', ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid']);
const newKey = (name, kind) =>
  kind === 'ec' ? openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name) : openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', name);
const root = (name, kind) => {
  newKey(`${name}.key`, kind);
  openssl('req', '-x509', '-new', '-key', `${name}.key`, '-subj', `/C=US/O=graph-mtls bench/CN=Bench ${name}`, '-days', '3650', '-extensions', 'v3', '-config', ext(`${name}.req.cnf`, ['[req]', 'distinguished_name=dn', '[dn]', '[v3]', ...readFileSync(join(keys, caExt), 'utf8').trim().split('\n')]), '-out', `${name}.pem`);
};
const issued = (name, kind, issuer, subject, extFile) => {
  newKey(`${name}.key`, kind);
  openssl('req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial', String(Math.floor(Math.random() * 1e12)), '-days', '1825', '-extfile', extFile, '-out', `${name}.pem`);
};
const t0 = performance.now();
root('root-ec', 'ec');
root('root-rsa', 'rsa');
issued('inter-ec', 'ec', 'root-ec', '/C=US/O=graph-mtls bench/CN=Bench Intermediate EC', subExt);
issued('inter-rsa', 'rsa', 'root-rsa', '/C=US/O=graph-mtls bench/CN=Bench Intermediate RSA', subExt);
for (let i = 1; i <= 4; i++) {
  const id = `0000000${i}-aaaa-4bbb-8ccc-00000000000${i}`;
  const devExt = ext(`dev${i}.cnf`, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth', `subjectAltName=URI:IntuneDeviceId://${id},DNS:device-${i}.example.test`]);
  issued(`device-${i}`, 'ec', i % 2 === 0 ? 'inter-rsa' : 'inter-ec', `/CN=${id}`, devExt);
}
const kinds = ['root-ec', 'inter-ec', 'device-1', 'device-2', 'root-rsa', 'inter-rsa', 'device-3', 'device-4'].map((n) => readFileSync(join(keys, `${n}.pem`)));
let bytes = 0;
for (let i = 0; i < N; i++) {
  const content = kinds[i % kinds.length];
  writeFileSync(join(dir, `cert-${String(i).padStart(6, '0')}.pem`), content);
  bytes += content.length;
}
console.error(`bench: ${N} files (${(bytes / 1e6).toFixed(1)} MB) in ${dir}, made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// --- Runs -------------------------------------------------------------------------------------
const load = () => loadavg()[0].toFixed(2);
function timed(label, command, argv, options = {}) {
  const before = load();
  const start = performance.now();
  const r = spawnSync(command, argv, { maxBuffer: 1 << 30, encoding: 'utf8', ...options });
  const seconds = (performance.now() - start) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${label}: exit ${r.status}\n${r.stderr.slice(0, 2000)}`);
  console.error(`bench: ${label}: ${seconds.toFixed(2)} s (1-minute load average before: ${before}, after: ${load()})`);
  return { label, seconds, stdout: r.stdout, stderr: r.stderr };
}

const rows = [];
for (const jobs of jobsList) {
  const r = timed(`graph-mtls lint --jobs ${jobs}`, process.execPath, [CLI, 'lint', '--format', 'json', '--stats', '--jobs', String(jobs), dir]);
  const report = JSON.parse(r.stdout);
  if (report.certificates.length !== N) throw new Error(`graph-mtls: expected ${N} certificates, received ${report.certificates.length}`);
  const stat = (name) => r.stderr.split('\n').find((l) => l.trim().startsWith(name))?.trim().slice(name.length).trim();
  rows.push({ ...r, certificates: N, note: `own --stats: ${stat('wall time')}, ${stat('certs/s')} certs/s, ${stat('MB/s')} MB/s, jobs ${stat('jobs')}` });
}

{
  // The same loop over all files, or over the first `sample` of them (then scaled to N).
  const script = 'n=0; for f in "$1"/*.pem; do [ "$n" -ge "$2" ] && break; openssl x509 -noout -subject -ext subjectAltName,basicConstraints,keyUsage -dates -in "$f" || exit 3; n=$((n+1)); done; echo "$n" >&2';
  const r = timed('openssl x509 (shell loop)', 'bash', ['-c', script, 'bench', dir, String(sample)], { stdio: ['ignore', 'ignore', 'pipe'] });
  const count = Number(r.stderr.trim().split('\n').at(-1));
  if (count !== sample) throw new Error(`openssl loop: expected ${sample} files, received ${count}`);
  const scaled = sample === N ? r.seconds : (r.seconds * N) / sample;
  rows.push({ ...r, seconds: scaled, certificates: N, note: sample === N ? 'one process per file' : `one process per file; timed over ${sample} files (${r.seconds.toFixed(2)} s), scaled to ${N}` });
}

{
  const script = join(work, 'x509.mjs');
  writeFileSync(
    script,
    `import { X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.argv[2];
let n = 0;
let checksum = 0;
for (const name of readdirSync(dir).sort()) {
  if (!name.endsWith('.pem')) continue;
  const x = new X509Certificate(readFileSync(join(dir, name)));
  const fields = [x.subject, x.subjectAltName ?? '', String(x.ca), (x.keyUsage ?? []).join(','), x.validFrom, x.validTo, x.fingerprint256];
  for (const f of fields) checksum += f.length;
  n++;
}
console.log(JSON.stringify({ n, checksum }));
`,
  );
  const r = timed('node X509Certificate (1 thread)', process.execPath, [script, dir]);
  const { n } = JSON.parse(r.stdout);
  if (n !== N) throw new Error(`X509Certificate script: expected ${N} files, received ${n}`);
  rows.push({ ...r, certificates: N, note: 'fields only: no checks, no signature verification' });
}

// --- Table ------------------------------------------------------------------------------------
const base = rows[0];
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`\n${N} certificate files, ${(bytes / 1e6).toFixed(1)} MB; ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), availableParallelism ${availableParallelism()}; Node ${process.version}; ${execFileSync('openssl', ['version']).toString().trim()}\n`);
console.log(`${pad('tool', 34)} ${lpad('seconds', 9)} ${lpad('certs/s', 9)} ${lpad(`vs ${base.label.replace('graph-mtls lint ', '')}`, 14)}  note`);
for (const r of rows) {
  const ratio = r.seconds / base.seconds;
  console.log(`${pad(r.label, 34)} ${lpad(r.seconds.toFixed(2), 9)} ${lpad(Math.round(r.certificates / r.seconds), 9)} ${lpad(`${ratio.toFixed(2)}x time`, 14)}  ${r.note}`);
}
console.log('\n(ratio: the row\'s wall time divided by the first row\'s; above 1 is slower than graph-mtls)');
console.log(`1-minute load average at the end: ${load()} (anything else running on the machine shows here)`);

if (keep) console.error(`bench: kept ${work}`);
else rmSync(work, { recursive: true, force: true });
