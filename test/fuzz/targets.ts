// The fuzz targets: what each kind of input is fed to and what must hold. Every public entry of
// @graph-mtls/core that takes untrusted input is called: readers (readCertificates,
// readCertificate, scanCertificates, parsePem, parseCertificate, lint, lintStream, the
// Certificate getters), with default limits and with small ones drawn from the input; checks
// (checkCertificate, checkPayload, lintPayload, guessPayloadKind, classifyAuthority with a
// WebCrypto verifier, isSelfIssued, identify, matches); builders (buildCreate, buildUpdate,
// previewCertificateAuthority); names and addresses (parseDistinguishedName, formatRfc4514,
// formatDotNet, distinguishedNameMatch, parseIpAddress, formatIpAddress); encodings
// (decodeBase64, decodeBase64Url, encodeBase64, sniffContent, decodeText, escapeForDisplay);
// Graph answers and settings (GraphApiError, readEntity, readCollection, readUpdate,
// readDelete, redactSecrets, parseRetryAfter, retryDelay, decideRetry, inspectToken,
// checkToken, checkBaseUrl, the request builders).
//
// Properties beyond "only coded errors, within budget":
// - DN text: parse → formatRfc4514 → parse gives the same RDNs (types, values, and bytes of
//   values without a string form), formatRfc4514 is then a fixpoint, formatDotNet reads back to
//   the same values (text without '\'), distinguishedNameMatch is reflexive, symmetric, blind to
//   AVA order inside an RDN and true across the round trip, and compares an AVA pair the same
//   in a single- and a multi-valued RDN; the same for every certificate name.
// - IP text: text → bytes → canonical text → the same bytes, canonical text is a fixpoint and
//   is what the WHATWG serializer writes (RFC 5952), IPv6 texts are read as the WHATWG URL
//   parser reads them (outside its one documented leniency); bytes → text → bytes.
// - identify() values are matched by matches() for the same parameter.
// - lintStream reports the same whatever the size of the pieces the input comes in (also under
//   small limits); PEM read by the one-pass decoder and by the line-by-line reader agree.
// - readCertificates and lint agree with scanCertificates; a DER input and its base64 (and a
//   PKCS#7 and its PEM) read to the same certificates and problems; reading under small limits
//   gives the same outcome every time (issuer names are interned across calls); equal issuer
//   and subject bytes read to equal names.
// - checkPayload gives the same findings for the text, its UTF-8 bytes and the parsed value.
// - Base64: an accepted text is the one encoding of its bytes (standard and url alphabets);
//   decodeText is TextDecoder's fatal UTF-8, else Latin-1.
// - checkBaseUrl and the WHATWG URL parser see the same origin; redactSecrets leaves no bearer
//   token or JWT; escapeForDisplay leaves nothing invisible.
// - Findings carry catalogued rule codes; no message shows private-key content.

import { createHash } from 'node:crypto';
import {
  Certificate,
  InputError,
  RULES,
  TLS_CLIENT_AUTH_PARAMETERS,
  assertTlsClientAuthParameter,
  bomLength,
  buildCreate,
  buildUpdate,
  checkCertificate,
  checkPayload,
  classifyAuthority,
  createWebCryptoVerifier,
  decodeText,
  distinguishedNameMatch,
  formatDotNet,
  formatIpAddress,
  formatRfc4514,
  guessPayloadKind,
  identify,
  isSelfIssued,
  lint,
  lintPayload,
  lintStream,
  looksLikeJson,
  looksLikeText,
  matches,
  parseCertificate,
  parseDistinguishedName,
  parseIpAddress,
  previewCertificateAuthority,
  readCertificate,
  readCertificates,
  scanCertificates,
  sniffContent,
  type CertificateAuthorityInput,
  type Finding,
  type LintItem,
  type Limits,
  type Name,
  type RelativeDistinguishedName,
  type ScanResult,
  type SubtleCryptoLike,
  type TlsClientAuthParameter,
  type UpdateChanges,
} from '../../packages/core/src/index.ts';
import {
  decodeBase64,
  decodeBase64Url,
  encodeBase64,
  escapeForDisplay,
  parsePem,
} from '../../packages/core/src/encoding/index.ts';
import {
  DEFAULT_RETRY_POLICY,
  GraphApiError,
  betaBase,
  checkBaseUrl,
  checkToken,
  createRequest,
  decideRetry,
  deleteRequest,
  filterByDisplayName,
  getRequest,
  inspectToken,
  listRequest,
  nextPageRequest,
  parseRetryAfter,
  readCollection,
  readDelete,
  readEntity,
  readUpdate,
  redactSecrets,
  retryDelay,
  updateRequest,
} from '../../packages/core/src/graph/index.ts';
import { budgetMs, type Input, type KnownIssue, type Probe, type Target } from './harness.ts';
import {
  DonorPool,
  generateDn,
  generateIp,
  mutateBase64,
  mutateBytes,
  mutateDer,
  mutateDn,
  mutateIp,
  mutateJson,
  mutatePem,
  mutatePkcs7,
  mutateText,
  mutateUrl,
  type JsonMaterial,
  type MutationLimits,
} from './mutators.ts';
import { Rng } from './rng.ts';
import { FUZZ_NOW, SECRET_MARKER, seeds } from './seeds.ts';

const NOW = FUZZ_NOW;
const RULE_CODES = new Set(RULES.map((r) => r.code));
const SEVERITIES = new Set(['error', 'warning', 'notice']);
const verifier = createWebCryptoVerifier(globalThis.crypto.subtle as unknown as SubtleCryptoLike);
const enc = new TextEncoder();

const bytesOf = (input: Input): Uint8Array => (typeof input === 'string' ? enc.encode(input) : input);
const textOf = (input: Input): string => (typeof input === 'string' ? input : new TextDecoder().decode(input));

function quote(text: string, max = 120): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** decodeText against TextDecoder: UTF-8 when the bytes are well-formed UTF-8, else Latin-1; a BOM dropped. */
function checkDecodeText(probe: Probe, bytes: Uint8Array): void {
  const ours = probe.call('decodeText', () => decodeText(bytes), true);
  if (!ours.ok) return;
  let expected: string;
  try {
    expected = strictUtf8.decode(bytes);
  } catch {
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    expected = Buffer.from(bytes.subarray(start)).toString('latin1');
  }
  probe.check('decodeText agrees with TextDecoder (fatal UTF-8, else Latin-1)', ours.value === expected, () => `${hex(bytes.subarray(0, 64))}: ours ${quote(ours.value, 60)}, expected ${quote(expected, 60)}`);
}

/** A deterministic RNG for one input (its piece sizes, its choices of options). */
function inputRng(input: Input): Rng {
  const b = bytesOf(input);
  let h = 0x811c9dc5;
  const step = Math.max(1, Math.floor(b.length / 4096));
  for (let i = 0; i < b.length; i += step) h = Math.imul(h ^ b[i]!, 0x01000193);
  return new Rng(h ^ b.length);
}

// ---------------------------------------------------------------------------------------------
// Shared checks
// ---------------------------------------------------------------------------------------------

function checkFindings(probe: Probe, entry: string, findings: readonly Finding[]): void {
  for (const f of findings) {
    probe.check(entry, RULE_CODES.has(f.code) && SEVERITIES.has(f.severity) && typeof f.message === 'string' && f.message.length > 0, () => `finding ${JSON.stringify(f).slice(0, 300)} has no catalogued rule, severity or message`);
  }
}

/** Every message an input produced must be free of the private-key marker (unless a BEGIN/END line carries it). */
function checkNoSecret(probe: Probe, input: string, messages: readonly string[]): void {
  if (!input.includes(SECRET_MARKER)) return;
  if (/-----(BEGIN|END)[^\n]*SECRETKEY/.test(input)) return;
  for (const m of messages) probe.check('no private-key content in messages', !m.includes(SECRET_MARKER), () => `a message shows private-key content: ${quote(m, 200)}`);
}

function itemSummary(item: LintItem): string {
  const findings = item.findings.map((f) => `${f.code}/${f.errorCode ?? ''}/${f.ref ?? ''}/${f.message}`).join('|');
  switch (item.type) {
    case 'certificate':
      return `C ${item.format} ${item.location.index}:${item.location.line} ${item.certificate.sha256} ${item.role} ${item.selfIssued} ${item.selfSignature} ${findings}`;
    case 'input':
      return `I ${item.location.index}:${item.location.line} ${findings}`;
    default:
      return `P ${item.kind} ${findings}`;
  }
}

/** Splits an input into pieces at positions drawn from its own hash (strings never inside a surrogate pair). */
function piecesOf(input: Input): Input[] {
  const rng = inputRng(input);
  const n = input.length;
  const cuts = new Set<number>();
  // Tiny pieces at the start (the BOM, the first byte, the 4 KiB text probe), then a few anywhere.
  for (const c of [1, 2, 3, rng.range(1, 16), 4095, 4096, 4097]) if (c < n && rng.chance(0.5)) cuts.add(c);
  for (let i = rng.range(1, 8); i > 0; i--) cuts.add(rng.int(n));
  const sorted = [...cuts].filter((c) => c > 0 && c < n).sort((a, b) => a - b);
  const out: Input[] = [];
  let last = 0;
  for (const c0 of sorted) {
    let c = c0;
    if (typeof input === 'string') {
      const code = input.charCodeAt(c);
      if (code >= 0xdc00 && code <= 0xdfff && c > 0 && input.charCodeAt(c - 1) >= 0xd800 && input.charCodeAt(c - 1) <= 0xdbff) c++;
    }
    if (c <= last || c >= n) continue;
    out.push(input.slice(last, c));
    last = c;
  }
  out.push(input.slice(last));
  return out;
}

async function collect(stream: AsyncGenerator<LintItem, void, undefined>): Promise<LintItem[]> {
  const out: LintItem[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** lintStream in one piece and in several: same reports. Returns the one-piece reports. */
async function lintStreamBothWays(probe: Probe, input: Input, label: string, limits?: Partial<Limits>): Promise<LintItem[] | undefined> {
  const options = { now: NOW, role: 'auto' as const, source: 'fuzz', ...(limits === undefined ? {} : { limits }) };
  if (limits !== undefined) label += ', tight limits';
  const whole = await probe.callAsync(`lintStream(${label}, one piece)`, () => collect(lintStream([input], options)), true);
  const parts = piecesOf(input);
  const split = await probe.callAsync(`lintStream(${label}, ${parts.length} pieces)`, () => collect(lintStream(parts, options)), true);
  if (!whole.ok || !split.ok) return undefined;
  const a = whole.value.map(itemSummary);
  const b = split.value.map(itemSummary);
  for (const item of whole.value) checkFindings(probe, `lintStream(${label})`, item.findings);
  const first = a.findIndex((x, i) => x !== b[i]);
  probe.check(`lintStream(${label}) in pieces`, a.length === b.length && first < 0, () => {
    const i = first < 0 ? Math.min(a.length, b.length) : first;
    return `one piece gave ${a.length} reports, pieces at [${parts.map((p) => p.length).join(', ')}] gave ${b.length}; report ${i}: ${quote(a[i] ?? '(none)', 300)} vs ${quote(b[i] ?? '(none)', 300)}`;
  });
  return whole.value;
}

function scanSummary(scan: ScanResult): string {
  return [...scan.certificates.map((c) => `C ${c.certificate.sha256}`), ...scan.problems.map((p) => `P ${p.error.code}`)].join(' ');
}

// --- Names ---------------------------------------------------------------------------------

/** Same RDNs: types, values, and the bytes of values without a string form. */
function sameNames(a: readonly RelativeDistinguishedName[], b: readonly RelativeDistinguishedName[]): string | undefined {
  if (a.length !== b.length) return `${a.length} RDNs vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return `RDN ${i}: ${x.length} attributes vs ${y.length}`;
    for (let j = 0; j < x.length; j++) {
      const p = x[j]!;
      const q = y[j]!;
      if (p.type !== q.type) return `RDN ${i} attribute ${j}: type ${p.type} vs ${q.type}`;
      if (p.value !== q.value) return `RDN ${i} attribute ${j} (${p.type}): value ${quote(String(p.value))} vs ${quote(String(q.value))}`;
      if (p.value === undefined && !sameBytes(p.valueDer, q.valueDer)) return `RDN ${i} attribute ${j} (${p.type}): bytes ${hex(p.valueDer)} vs ${hex(q.valueDer)}`;
    }
  }
  return undefined;
}

/** parse(formatRfc4514(rdns)) gives the same RDNs, formatRfc4514 is a fixpoint, and the names match. */
function nameRoundTrip(probe: Probe, what: string, rdns: readonly RelativeDistinguishedName[] | Name): void {
  const list = 'rdns' in rdns ? rdns.rdns : rdns;
  const text = probe.call(`formatRfc4514(${what})`, () => formatRfc4514(rdns));
  probe.call(`formatDotNet(${what})`, () => formatDotNet(rdns));
  if (!text.ok) return;
  const again = probe.call(`parseDistinguishedName(formatRfc4514(${what}))`, () => parseDistinguishedName(text.value));
  probe.check(`DN round trip of ${what}`, again.ok, () => `formatRfc4514 wrote ${quote(text.value)}, which does not parse: ${again.ok ? '' : again.error.message}`);
  if (!again.ok) return;
  const diff = sameNames(list, again.value);
  probe.check(`DN round trip of ${what}`, diff === undefined, () => `formatRfc4514 wrote ${quote(text.value)}, which parses to other RDNs: ${diff}`);
  const text2 = probe.call(`formatRfc4514(parse(formatRfc4514(${what})))`, () => formatRfc4514(again.value));
  probe.check(`DN round trip of ${what}`, text2.ok && text2.value === text.value, () => `formatRfc4514 is not a fixpoint: ${quote(text.value)} then ${quote(text2.ok ? text2.value : text2.error.message)}`);
  const m = probe.call(`distinguishedNameMatch(${what}, round trip)`, () => distinguishedNameMatch(list, again.value), true);
  probe.check(`distinguishedNameMatch(${what}, round trip)`, m.ok && m.value, () => `the name and its round trip through ${quote(text.value)} do not match`);

  // The .NET form (which the parser documents reading) gives the same values back, for names
  // whose values are all text without '\' (.NET does not escape it) or a trailing NUL (.NET drops it).
  const plain = list.every((rdn) => rdn.every((a) => a.value !== undefined && !a.value.includes('\\') && !a.value.endsWith('\u0000')));
  if (!plain) return;
  const dotNet = probe.call(`formatDotNet(${what})`, () => formatDotNet(rdns));
  if (!dotNet.ok) return;
  const fromDotNet = probe.call(`parseDistinguishedName(formatDotNet(${what}))`, () => parseDistinguishedName(dotNet.value));
  const dotNetDiff = fromDotNet.ok ? sameValues(list, fromDotNet.value) : fromDotNet.error.message;
  probe.check(`.NET round trip of ${what}`, dotNetDiff === undefined, () => `formatDotNet wrote ${quote(dotNet.value)}, which parses to other RDNs: ${dotNetDiff}`);
}

/** Same RDNs by type and text value (the tags of the values may differ). */
function sameValues(a: readonly RelativeDistinguishedName[], b: readonly RelativeDistinguishedName[]): string | undefined {
  if (a.length !== b.length) return `${a.length} RDNs vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return `RDN ${i}: ${x.length} attributes vs ${y.length}`;
    for (let j = 0; j < x.length; j++) {
      if (x[j]!.type !== y[j]!.type || x[j]!.value !== y[j]!.value) return `RDN ${i} attribute ${j}: ${x[j]!.type}=${quote(String(x[j]!.value))} vs ${y[j]!.type}=${quote(String(y[j]!.value))}`;
    }
  }
  return undefined;
}

// --- Certificates --------------------------------------------------------------------------

const GETTERS: readonly (readonly [string, (c: Certificate) => unknown])[] = [
  ['tbs', (c) => c.tbs],
  ['serialNumberHex', (c) => c.serialNumberHex],
  ['subjectPublicKeyInfo', (c) => c.subjectPublicKeyInfo],
  ['signature', (c) => c.signature],
  ['notBefore', (c) => c.notBefore.getTime()],
  ['notAfter', (c) => c.notAfter.getTime()],
  ['subjectDn', (c) => c.subjectDn],
  ['issuerDn', (c) => c.issuerDn],
  ['publicKey', (c) => c.publicKey],
  ['basicConstraints', (c) => c.basicConstraints],
  ['keyUsage', (c) => c.keyUsage],
  ['extendedKeyUsage', (c) => c.extendedKeyUsage],
  ['subjectKeyIdentifier', (c) => c.subjectKeyIdentifier],
  ['authorityKeyIdentifier', (c) => c.authorityKeyIdentifier],
  ['subjectAltName', (c) => c.subjectAltName],
  ['crlDistributionPoints', (c) => c.crlDistributionPoints],
  ['sha256', (c) => c.sha256],
];

/** Every view, check and identity of one parsed certificate. */
async function exerciseCertificate(probe: Probe, cert: Certificate): Promise<void> {
  for (const [name, get] of GETTERS) probe.call(`Certificate.${name}`, () => get(cert));
  for (const e of cert.extensions) probe.call('Certificate.extension()', () => cert.extension(e.oid)?.value);
  nameRoundTrip(probe, 'certificate subject', cert.subject);
  nameRoundTrip(probe, 'certificate issuer', cert.issuer);
  // Issuer names are interned (decodeIssuerName): equal bytes must still give an equal name.
  if (sameBytes(cert.issuer.der, cert.subject.der)) {
    const diff = sameNames(cert.issuer.rdns, cert.subject.rdns);
    probe.check('issuer and subject of equal bytes read alike', diff === undefined && cert.issuerDn === cert.subjectDn, () => `issuer vs subject: ${diff ?? `${quote(cert.issuerDn)} vs ${quote(cert.subjectDn)}`}`);
  }

  const san = probe.call('Certificate.subjectAltName', () => cert.subjectAltName);
  if (san.ok && san.value !== undefined) {
    for (const n of san.value.names) {
      if (n.type === 'ip') {
        const text = probe.call('formatIpAddress(SAN)', () => n.value);
        if (!text.ok) continue;
        const back = probe.call('parseIpAddress(formatIpAddress(SAN))', () => parseIpAddress(text.value));
        probe.check('SAN iPAddress round trip', back.ok && sameBytes(back.value, n.bytes), () => `${hex(n.bytes)} → ${quote(text.value)} → ${back.ok ? hex(back.value) : back.error.message}`);
      } else if (n.type === 'directoryName') nameRoundTrip(probe, 'SAN directoryName', n.name);
    }
  }

  for (const p of TLS_CLIENT_AUTH_PARAMETERS) {
    const id = probe.call(`identify(${p})`, () => identify(cert, p));
    if (!id.ok) continue;
    for (const v of id.value.values.slice(0, 6)) {
      const m = probe.call(`matches(${p}, identify value)`, () => matches(cert, p, v));
      if (m.ok) probe.check(`matches(${p})`, m.value.matched, () => `identify() gives ${quote(v)}, which matches() does not match`);
    }
    probe.call(`checkCertificate(device, ${p})`, () => checkFindings(probe, 'checkCertificate', checkCertificate(cert, { now: NOW, role: 'device', parameter: p })), true);
  }
  probe.call('checkCertificate(ca)', () => checkFindings(probe, 'checkCertificate', checkCertificate(cert, { now: NOW, role: 'ca', expiryWarningDays: 3650 })), true);
  probe.call('isSelfIssued', () => isSelfIssued(cert), true);
  probe.call('previewCertificateAuthority', () => previewCertificateAuthority(cert));
  await probe.callAsync('classifyAuthority(verifier)', () => classifyAuthority(cert, verifier), true);
}

/** Small limits drawn from the input's hash: the limit paths (depth, counts, sizes) get reached. */
function tightLimits(input: Input): Partial<Limits> {
  const rng = inputRng(input);
  const size = bytesOf(input).length;
  const out: { -readonly [K in keyof Limits]?: Limits[K] } = {};
  if (rng.chance(0.6)) out.maxDepth = rng.range(1, 8);
  if (rng.chance(0.4)) out.maxNameAttributes = rng.range(0, 4);
  if (rng.chance(0.4)) out.maxExtensions = rng.range(0, 4);
  if (rng.chance(0.4)) out.maxSanEntries = rng.range(0, 3);
  if (rng.chance(0.4)) out.maxCertificates = rng.range(0, 3);
  if (rng.chance(0.4)) out.maxProblems = rng.range(0, 3);
  if (rng.chance(0.2)) out.maxCertificateBytes = rng.range(0, Math.max(1, size));
  if (rng.chance(0.2)) out.maxInputBytes = rng.range(0, Math.max(1, size));
  return out;
}

/** The readers over one input (bytes or text) and the properties between them. */
async function readAll(probe: Probe, input: Input, label: string): Promise<ScanResult | undefined> {
  const scan = probe.call(`scanCertificates(${label})`, () => scanCertificates(input, { source: 'fuzz' }));
  const read = probe.call(`readCertificates(${label})`, () => readCertificates(input, { source: 'fuzz' }));
  probe.call(`readCertificate(${label})`, () => readCertificate(input));
  if (scan.ok) {
    const s = scan.value;
    const expected = s.problems[0]?.error.code ?? (s.certificates.length === 0 ? 'ERR_NOT_A_CERTIFICATE' : undefined);
    probe.check(`readCertificates(${label}) agrees with scanCertificates`, read.ok ? expected === undefined && read.value.length === s.certificates.length : read.error.code === expected, () =>
      `scanCertificates found ${s.certificates.length} certificates and problems [${s.problems.map((p) => p.error.code).join(', ')}]; readCertificates ${read.ok ? `returned ${read.value.length}` : `threw ${read.error.code}`}`,
    );
  }
  const report = await probe.callAsync(`lint(${label})`, () => lint(input, { now: NOW, role: 'auto', verifier, source: 'fuzz' }), true);
  if (report.ok) {
    const r = report.value;
    for (const x of [...r.certificates, ...r.inputs]) checkFindings(probe, `lint(${label})`, x.findings);
    // lint reads as scanCertificates does: the same certificates, a report for each problem.
    const fromLint = [...r.certificates.map((c) => `C ${c.certificate.sha256}`), ...r.inputs.map((i) => `P ${i.findings[0]?.errorCode}`)].join(' ');
    const fromScan = scan.ok ? scanSummary(scan.value) : `P ${scan.error.code}`;
    probe.check(`lint(${label}) agrees with scanCertificates`, fromLint === fromScan, () => `lint: ${fromLint}; scanCertificates: ${fromScan}`);
  }
  // The same input under small limits: coded errors only, and the same outcome every time
  // (issuer names are interned across calls: a cached name must obey the limits it is read under).
  const limits = tightLimits(input);
  const outcomes: string[] = [];
  for (let i = 0; i < 3; i++) {
    const limited = probe.call(`scanCertificates(${label}, tight limits)`, () => scanCertificates(input, { limits }));
    outcomes.push(limited.ok ? scanSummary(limited.value) : `threw ${limited.error.code}`);
  }
  probe.check(`scanCertificates(${label}, tight limits) is repeatable`, outcomes.every((o) => o === outcomes[0]), () => `limits ${JSON.stringify(limits)}: ${outcomes.map((o) => quote(o, 200)).join(' then ')}`);
  await probe.callAsync(`lint(${label}, tight limits)`, () => lint(input, { now: NOW, role: 'auto', limits }), true);
  return scan.ok ? scan.value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

function toPemText(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${encodeBase64(der).replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

let donorPool: DonorPool | undefined;
function donors(): DonorPool {
  if (donorPool !== undefined) return donorPool;
  const s = seeds();
  donorPool = new DonorPool();
  for (const c of s.certificates) donorPool.add(c.der);
  for (const c of s.pkcs7) donorPool.add(c.der);
  return donorPool;
}

/** Certificates from bytes: DER, and the same bytes as base64 text. */
async function runCertificateBytes(probe: Probe, bytes: Uint8Array, deep: number): Promise<void> {
  const parsed = probe.call('parseCertificate', () => parseCertificate(bytes));
  const scan = await readAll(probe, bytes, 'der');
  await lintStreamBothWays(probe, bytes, 'bytes');
  await lintStreamBothWays(probe, bytes, 'bytes', tightLimits(bytes));
  probe.call('parseCertificate(tight limits)', () => parseCertificate(bytes, { limits: tightLimits(bytes) }));
  probe.call('sniffContent', () => [sniffContent(bytes), looksLikeJson(bytes), looksLikeText(bytes), bomLength(bytes)], true);
  checkDecodeText(probe, bytes);
  // The same DER as base64 text reads the same (a DER input is one that starts with SEQUENCE).
  // (A DER input that announces more than maxInputBytes is refused from its header alone, unread: not compared.)
  const refused = scan?.problems[0]?.error.code === 'ERR_INPUT_TOO_LARGE';
  if (scan !== undefined && !refused && bytes[0] === 0x30 && bytes.length > 0 && !looksLikeText(bytes)) {
    const b64 = encodeBase64(bytes);
    const other = probe.call('scanCertificates(base64 of der)', () => scanCertificates(b64));
    probe.check('DER and its base64 read alike', other.ok && scanSummary(other.value) === scanSummary(scan), () => `DER: ${scanSummary(scan)}; base64: ${other.ok ? scanSummary(other.value) : other.error.code}`);
  }
  const certs: Certificate[] = [];
  if (parsed.ok) certs.push(parsed.value);
  else if (scan !== undefined) certs.push(...scan.certificates.map((c) => c.certificate));
  for (const c of certs.slice(0, deep)) await exerciseCertificate(probe, c);
}

const derTarget: Target = {
  name: 'der',
  description: 'DER certificates: parseCertificate, the readers, lint/lintStream, every getter and check, identities and name round trips',
  kind: 'bytes',
  seeds: () => seeds().certificates.map((c) => c.der),
  mutate: (rng, base, limits) => mutateDer(rng, bytesOf(base), donors(), limits),
  run: (input, probe) => runCertificateBytes(probe, bytesOf(input), 3),
};

const pkcs7Target: Target = {
  name: 'pkcs7',
  description: 'PKCS#7 certs-only bundles (DER, and as PEM): the readers and lint, the wrapper mutated most',
  kind: 'bytes',
  seeds: () => seeds().pkcs7.map((c) => c.der),
  mutate: (rng, base, limits) => (rng.chance(0.85) ? mutatePkcs7(rng, bytesOf(base), donors(), limits) : mutateBytes(rng, bytesOf(base), limits)),
  async run(input, probe) {
    const bytes = bytesOf(input);
    const scan = await readAll(probe, bytes, 'pkcs7');
    probe.verdict(scan !== undefined && scan.certificates.length > 0 && scan.problems.length === 0);
    await lintStreamBothWays(probe, bytes, 'bytes');
    await lintStreamBothWays(probe, bytes, 'bytes', tightLimits(bytes));
    const label = ['PKCS7', 'CMS', 'CERTIFICATE', 'PKCS #7 SIGNED DATA'][bytes.length % 4]!;
    const pem = `-----BEGIN ${label}-----\n${encodeBase64(bytes).replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;
    const fromPem = probe.call(`scanCertificates(PEM ${label})`, () => scanCertificates(pem));
    const refused = scan?.problems[0]?.error.code === 'ERR_INPUT_TOO_LARGE';
    if (scan !== undefined && !refused && fromPem.ok && bytes[0] === 0x30 && !looksLikeText(bytes) && label !== 'PKCS #7 SIGNED DATA' && bytes.length > 0) {
      probe.check('PKCS#7 DER and PEM read alike', scanSummary(scan) === scanSummary(fromPem.value), () => `DER: ${scanSummary(scan)}; PEM: ${scanSummary(fromPem.value)}`);
    }
    if (scan !== undefined) for (const c of scan.certificates.slice(0, 2)) await exerciseCertificate(probe, c.certificate);
  },
};

const pemTarget: Target = {
  name: 'pem',
  description: 'PEM and base64 texts: parsePem, the readers, lint, lintStream as text and bytes in pieces, private keys never shown',
  kind: 'text',
  seeds: () => seeds().pem,
  mutate: (rng, base, limits) => mutatePem(rng, textOf(base), donors(), limits),
  async run(input, probe) {
    const text = textOf(input);
    const messages: string[] = [];
    const blocks = probe.call('parsePem', () =>
      parsePem(text, { source: 'fuzz', refuse: (label) => (/PRIVATE KEY/.test(label) ? new InputError('ERR_PRIVATE_KEY', `PEM block '${label.slice(0, 40)}' is a private key`) : undefined) }),
    );
    if (blocks.ok) for (const b of blocks.value) if (b.error !== undefined) messages.push(b.error.message);
    const scan = await readAll(probe, text, 'pem text');
    probe.verdict(scan !== undefined && scan.certificates.length > 0 && scan.problems.length === 0);
    if (scan !== undefined) for (const p of scan.problems) messages.push(p.error.message);
    // Trailing spaces on every line send each block from the one-pass decoder to the
    // line-by-line reader, which must read the same certificates, problems and places.
    if (scan !== undefined && text.length > 0) {
      // (Not after '-----BEGIN' or '-----END': the space would make them boundary markers.)
      const spaced = text.replace(/(?<!-----(?:BEGIN|END))\n/g, ' \n') + (text.endsWith('\n') || /-----(BEGIN|END)$/.test(text) ? '' : ' ');
      const again = probe.call('scanCertificates(lines with trailing spaces)', () => scanCertificates(spaced, { source: 'fuzz' }));
      const placed = (r: ScanResult): string => [...r.certificates.map((c) => `C ${c.location.index}:${c.location.line} ${c.certificate.sha256}`), ...r.problems.map((p) => `P ${p.location.index}:${p.location.line} ${p.error.code} ${p.error.reason}`)].join('\n');
      probe.check('PEM fast and line-by-line paths agree', again.ok && placed(again.value) === placed(scan), () => `as is: ${quote(placed(scan), 400)}; with trailing spaces: ${again.ok ? quote(placed(again.value), 400) : again.error.code}`);
    }
    const asText = await lintStreamBothWays(probe, text, 'text');
    const asBytes = await lintStreamBothWays(probe, enc.encode(text), 'bytes');
    await lintStreamBothWays(probe, text, 'text', tightLimits(text));
    for (const items of [asText, asBytes]) for (const item of items ?? []) for (const f of item.findings) messages.push(f.message);
    checkNoSecret(probe, text, messages);
    if (scan !== undefined) for (const c of scan.certificates.slice(0, 2)) await exerciseCertificate(probe, c.certificate);
  },
};

// --- Payloads ------------------------------------------------------------------------------

function findingsSummary(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.code}@${f.ref ?? ''}:${f.message}`).join('\n');
}

function buildInputFrom(value: unknown): { create: Parameters<typeof buildCreate>[0] } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const body = value as Record<string, unknown>;
  const list = Array.isArray(body['certificateAuthorities']) ? (body['certificateAuthorities'] as unknown[]) : [];
  const cas: CertificateAuthorityInput[] = [];
  for (const item of list.slice(0, 20)) {
    if (typeof item !== 'object' || item === null) continue;
    const e = item as Record<string, unknown>;
    if (typeof e['certificate'] !== 'string') continue;
    const url = (k: string): string | null | undefined => (typeof e[k] === 'string' || e[k] === null ? (e[k] as string | null) : undefined);
    const crl = url('certificateRevocationListUrl');
    const delta = url('deltaCertificateRevocationListUrl');
    cas.push({
      certificate: e['certificate'],
      ...(typeof e['isRootAuthority'] === 'boolean' ? { isRootAuthority: e['isRootAuthority'] } : {}),
      ...(crl === undefined ? {} : { certificateRevocationListUrl: crl }),
      ...(delta === undefined ? {} : { deltaCertificateRevocationListUrl: delta }),
    });
  }
  // Whatever the fuzzed body holds: buildCreate checks it at run time.
  const parameter = (typeof body['tlsClientAuthParameter'] === 'string' ? body['tlsClientAuthParameter'] : 'tls_client_auth_subject_dn') as TlsClientAuthParameter;
  return {
    create: {
      ...(typeof body['displayName'] === 'string' ? { displayName: body['displayName'] } : {}),
      tlsClientAuthParameter: parameter,
      certificateAuthorities: cas,
    },
  };
}

const payloadTarget: Target = {
  name: 'payload',
  description: 'create/update JSON bodies: checkPayload (text, bytes, value), lintPayload, lintStream routing, buildCreate, buildUpdate, Graph answers',
  kind: 'text',
  seeds: () => seeds().payloads,
  mutate(rng, base, limits) {
    const s = seeds();
    const material: JsonMaterial = { der: [s.root, s.intermediate, s.device, ...s.certificates.slice(3, 12).map((c) => c.der), s.pkcs7[0]!.der], donors: donors() };
    return mutateJson(rng, textOf(base), material, limits);
  },
  async run(input, probe) {
    const text = textOf(input);
    let parsed: unknown;
    let valid = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      valid = false;
    }
    const wellFormed = isWellFormed(text);
    const bytes = enc.encode(text);
    for (const kind of ['create', 'update'] as const) {
      const fromText = probe.call(`checkPayload(text, ${kind})`, () => checkPayload(text, kind, { now: NOW }));
      if (fromText.ok) checkFindings(probe, 'checkPayload', fromText.value);
      if (valid && typeof parsed !== 'string') {
        const fromValue = probe.call(`checkPayload(value, ${kind})`, () => checkPayload(parsed, kind, { now: NOW }));
        if (fromText.ok && fromValue.ok) {
          probe.check('checkPayload text and value agree', findingsSummary(fromText.value) === findingsSummary(fromValue.value), () => `text: ${quote(findingsSummary(fromText.value), 300)}; value: ${quote(findingsSummary(fromValue.value), 300)}`);
        }
      }
      if (wellFormed && !text.startsWith('\ufeff')) {
        const fromBytes = probe.call(`checkPayload(bytes, ${kind})`, () => checkPayload(bytes, kind, { now: NOW }));
        if (fromText.ok && fromBytes.ok) {
          probe.check('checkPayload text and bytes agree', findingsSummary(fromText.value) === findingsSummary(fromBytes.value), () => `text: ${quote(findingsSummary(fromText.value), 300)}; bytes: ${quote(findingsSummary(fromBytes.value), 300)}`);
        }
      }
    }
    const report = probe.call('lintPayload(text)', () => lintPayload(text, { now: NOW }), true);
    // Accepted: a body Graph would take (no error finding).
    probe.verdict(report.ok && report.value.type === 'payload' && !report.value.findings.some((f) => f.severity === 'error'));
    probe.call('lintPayload(bytes)', () => lintPayload(bytes, { now: NOW, payloadKind: 'auto' }), true);
    probe.call('guessPayloadKind', () => guessPayloadKind(text), true);
    const items = await lintStreamBothWays(probe, bytes, 'bytes');
    const messages = [...(report.ok ? report.value.findings.map((f) => f.message) : []), ...(items ?? []).flatMap((i) => i.findings.map((f) => f.message))];
    checkNoSecret(probe, text, messages);

    // Builders: the body as GET returned it, and the CAs it lists as builder input.
    const s = seeds();
    const rng = inputRng(text);
    const variants: readonly (readonly [string, UpdateChanges])[] = [
      ['none', {}],
      ['add', { add: [{ certificate: rng.pick([s.intermediate, s.device, toPemText(s.root), text]) }], displayName: rng.pick(['x', null, '']) }],
      ['remove', { remove: [rng.pick(['AB', 'zz', '00:11', '', ' ', sha256Hex(s.root)]), rng.pick(['AB', 'zz', 'ab cd'])] }],
      ['replace', { certificateAuthorities: [{ certificate: s.root, isRootAuthority: rng.chance(0.5) }], ...(rng.chance(0.3) ? { add: [] } : {}) }],
      // 'x' as a JavaScript caller could pass it.
      ['parameter', { tlsClientAuthParameter: rng.pick(['tls_client_auth_subject_dn', 'tls_client_auth_san_dns', 'x'] as TlsClientAuthParameter[]) }],
    ];
    for (const [label, changes] of variants) probe.call(`buildUpdate(text, ${label})`, () => buildUpdate(text, changes, { now: NOW }));
    if (valid) probe.call('buildUpdate(value)', () => buildUpdate(parsed, { certificateAuthorities: [{ certificate: s.root }] }, { now: NOW }));
    const create = valid ? buildInputFrom(parsed) : undefined;
    if (create !== undefined) {
      const built = probe.call('buildCreate', () => buildCreate(create.create, { now: NOW, crlUrlFromCertificate: true }));
      if (built.ok) {
        checkFindings(probe, 'buildCreate', built.value.findings);
        probe.check('buildCreate body is JSON', JSON.stringify(built.value.body) !== undefined, () => 'the body does not serialize');
      }
    }

    // The same text as a Graph answer.
    for (const status of [200, 201, 204, 400, 403, 429]) {
      const response = { status, headers: { 'request-id': 'r', 'retry-after': '1' }, body: text };
      probe.call(`GraphApiError(${status})`, () => new GraphApiError('create', response), true);
      probe.call(`readEntity(${status})`, () => readEntity('get', response));
      probe.call(`readCollection(${status})`, () => readCollection(response));
      probe.call(`readUpdate(${status})`, () => readUpdate(response));
      probe.call(`readDelete(${status})`, () => readDelete(response));
    }
  },
};

// --- DN ------------------------------------------------------------------------------------

function largestRdn(rdns: readonly RelativeDistinguishedName[]): number {
  let n = 0;
  for (const r of rdns) n = Math.max(n, r.length);
  return n;
}

const dnTarget: Target = {
  name: 'dn',
  description: 'DN text: parseDistinguishedName, formatRfc4514/formatDotNet, the round trip, distinguishedNameMatch, matches(subject_dn)',
  kind: 'text',
  seeds: () => seeds().dns,
  mutate: (rng, base, limits) => (rng.chance(0.3) ? generateDn(rng, limits) : mutateDn(rng, textOf(base), limits)),
  async run(input, probe) {
    const text = textOf(input);
    const parsed = probe.call('parseDistinguishedName', () => parseDistinguishedName(text));
    if (parsed.ok) {
      const a = parsed.value;
      probe.note(`rdns:${a.length}:${largestRdn(a) > 1 ? 'multi' : 'single'}`);
      nameRoundTrip(probe, 'parsed text', a);
      const self = probe.call('distinguishedNameMatch(a, a)', () => distinguishedNameMatch(a, a), true);
      probe.check('distinguishedNameMatch is reflexive', self.ok && self.value, () => `${quote(text)} does not match itself`);
      // AVA order inside an RDN is not significant (X.501 SET OF): the reversed order matches.
      // (Distinct values in opposite order are also the worst case of the AVA pairing.)
      if (largestRdn(a) > 1) {
        const reversed = a.map((rdn) => [...rdn].reverse());
        const r = probe.call('distinguishedNameMatch(a, AVAs reversed)', () => distinguishedNameMatch(a, reversed), true);
        probe.check('distinguishedNameMatch ignores AVA order', r.ok && r.value, () => `${quote(text)} does not match itself with the AVAs of each RDN reversed`);
      }
      // Against a related name: the same text with its first RDN dropped, or cased otherwise.
      const other = probe.call('parseDistinguishedName(upper case)', () => parseDistinguishedName(text.toUpperCase()));
      if (other.ok) {
        const ab = probe.call('distinguishedNameMatch(a, b)', () => distinguishedNameMatch(a, other.value), true);
        const ba = probe.call('distinguishedNameMatch(b, a)', () => distinguishedNameMatch(other.value, a), true);
        probe.check('distinguishedNameMatch is symmetric', ab.ok && ba.ok && ab.value === ba.value, () => `${quote(text)} vs its upper case: ${ab.ok && ab.value} one way, ${ba.ok && ba.value} the other`);
        // An AVA pair compares the same alone in an RDN (one path) and beside a filler AVA (the other).
        const filler = { type: '2.999.4242', valueTag: 0x0c, value: 'filler', valueDer: Uint8Array.of(0x0c, 6, 0x66, 0x69, 0x6c, 0x6c, 0x65, 0x72) };
        const xs = a.flat().slice(0, 40);
        const ys = other.value.flat().slice(0, 40);
        for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
          const x = xs[i]!;
          const y = ys[i]!;
          const alone = distinguishedNameMatch([[x]], [[y]]);
          const paired = distinguishedNameMatch([[x, filler]], [[filler, y]]);
          probe.check('one AVA and a multi-valued RDN compare alike', alone === paired, () => `${x.type}=${quote(String(x.value))} vs ${y.type}=${quote(String(y.value))}: ${alone} alone, ${paired} in a multi-valued RDN`);
        }
      }
    }
    // The caller may allow more attributes than a certificate holds: matching stays linear.
    if (!parsed.ok && parsed.error.code === 'ERR_LIMIT_EXCEEDED') {
      const big = probe.call('parseDistinguishedName(maxAttributes 100000)', () => parseDistinguishedName(text, { maxAttributes: 100_000 }));
      if (big.ok && largestRdn(big.value) > 1) {
        const reversed = big.value.map((rdn) => [...rdn].reverse());
        const r = probe.call('distinguishedNameMatch(large, AVAs reversed)', () => distinguishedNameMatch(big.value, reversed), true);
        probe.check('distinguishedNameMatch ignores AVA order', r.ok && r.value, () => `a name of ${big.value.length} RDNs (the largest with ${largestRdn(big.value)} values) does not match itself with the AVAs of each RDN reversed`);
      }
    }
    probe.call('assertTlsClientAuthParameter', () => assertTlsClientAuthParameter(text));
    const s = seeds();
    for (const der of [s.root, s.device]) {
      const cert = parseCertificate(der);
      const m = probe.call('matches(subject_dn)', () => matches(cert, 'tls_client_auth_subject_dn', text));
      if (m.ok && parsed.ok) {
        const expected = distinguishedNameMatch(cert.subject.rdns, parsed.value);
        probe.check('matches(subject_dn) agrees with distinguishedNameMatch', m.value.matched === expected, () => `matches says ${m.value.matched}, distinguishedNameMatch ${expected}`);
      }
    }
  },
};

// --- IP ------------------------------------------------------------------------------------

/** What the WHATWG URL parser makes of an IPv6 text, when it is one it can be asked about. */
function whatwgIpv6(text: string): Uint8Array | null | undefined {
  if (!/^[0-9A-Za-z:.]+$/.test(text) || !text.includes(':')) return undefined;
  // WHATWG accepts a '::' that stands for no group at all (8 groups written); RFC 4291 does not.
  const tail = /\.[^:]*$/.test(text) ? 2 : 0;
  const written = text.split(':').filter((g) => g.length > 0 && !g.includes('.')).length + tail;
  if (text.includes('::') && written >= 8) return undefined;
  let host: string;
  try {
    host = new URL(`http://[${text}]/`).hostname;
  } catch {
    return null;
  }
  try {
    return parseIpAddress(host.slice(1, -1));
  } catch {
    return undefined;
  }
}

/**
 * The canonical IPv6 text against the WHATWG URL serializer, an independent RFC 5952 §4
 * writer (lower case, no leading zeros, the first longest run of 2+ zero groups as '::'); it
 * never writes the §5 mixed form, so IPv4-mapped addresses are not compared.
 */
function checkRfc5952(probe: Probe, bytes: Uint8Array, text: string): void {
  if (bytes.length !== 16 || (bytes.subarray(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff)) return;
  const host = new URL(`http://[${text}]/`).hostname;
  probe.check('formatIpAddress writes RFC 5952 text (as the WHATWG serializer does)', host === `[${text}]`, () => `${hex(bytes)}: ours ${quote(text)}, WHATWG ${quote(host)}`);
}

let deviceIps: Uint8Array[] | undefined;

const ipTarget: Target = {
  name: 'ip',
  description: 'IP text: parseIpAddress and formatIpAddress both ways, the WHATWG URL parser as a second opinion, matches(san_ip)',
  kind: 'text',
  seeds: () => seeds().ips,
  mutate: (rng, base, limits) => (rng.chance(0.35) ? generateIp(rng) : mutateIp(rng, textOf(base), limits)),
  async run(input, probe) {
    const text = textOf(input);
    const bytes = probe.call('parseIpAddress', () => parseIpAddress(text));
    if (bytes.ok) {
      const b = bytes.value;
      probe.check('parseIpAddress gives 4 or 16 bytes', b.length === 4 || b.length === 16, () => `${b.length} bytes`);
      const canonical = probe.call('formatIpAddress(parseIpAddress(x))', () => formatIpAddress(b), true);
      if (canonical.ok) {
        const again = probe.call('parseIpAddress(canonical)', () => parseIpAddress(canonical.value));
        probe.check('IP round trip', again.ok && sameBytes(again.value, b), () => `${quote(text)} → ${hex(b)} → ${quote(canonical.value)} → ${again.ok ? hex(again.value) : again.error.message}`);
        if (again.ok) {
          const twice = probe.call('formatIpAddress(canonical)', () => formatIpAddress(again.value), true);
          probe.check('canonical IP text is a fixpoint', twice.ok && twice.value === canonical.value, () => `${quote(canonical.value)} then ${twice.ok ? quote(twice.value) : ''}`);
        }
        checkRfc5952(probe, b, canonical.value);
      }
    }
    const whatwg = whatwgIpv6(text);
    if (whatwg !== undefined) {
      probe.check('parseIpAddress agrees with the WHATWG URL parser', whatwg === null ? !bytes.ok : bytes.ok && sameBytes(bytes.value, whatwg), () =>
        `${quote(text)}: ours ${bytes.ok ? hex(bytes.value) : `rejects (${bytes.error.reason})`}, WHATWG ${whatwg === null ? 'rejects' : hex(whatwg)}`,
      );
    }
    // The text's bytes as an address: every 4- and 16-byte value formats and parses back.
    const raw = enc.encode(text);
    for (const n of [4, 16, raw.length % 20]) {
      const b = new Uint8Array(n);
      b.set(raw.subarray(0, n));
      const t = probe.call(`formatIpAddress(${n} bytes)`, () => formatIpAddress(b));
      if (t.ok) {
        checkRfc5952(probe, b, t.value);
        const back = probe.call('parseIpAddress(formatIpAddress(bytes))', () => parseIpAddress(t.value));
        probe.check('IP bytes round trip', back.ok && sameBytes(back.value, b), () => `${hex(b)} → ${quote(t.value)} → ${back.ok ? hex(back.value) : back.error.message}`);
      }
    }
    const s = seeds();
    const device = parseCertificate(s.device);
    deviceIps ??= (device.subjectAltName?.names ?? []).flatMap((n) => (n.type === 'ip' ? [n.bytes] : []));
    const m = probe.call('matches(san_ip)', () => matches(device, 'tls_client_auth_san_ip', text));
    if (m.ok && bytes.ok) {
      const want = deviceIps.some((d) => sameBytes(d, bytes.value));
      probe.check('matches(san_ip) compares bytes', m.value.matched === want, () => `matches says ${m.value.matched} for ${quote(text)}`);
    }
  },
};

// --- Base64 --------------------------------------------------------------------------------

function base64UrlOf(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const base64Target: Target = {
  name: 'base64',
  description: 'base64 text: decodeBase64/decodeBase64Url accept exactly one encoding of each byte string; encodeBase64 round trips',
  kind: 'text',
  seeds: () => {
    const s = seeds();
    return [encodeBase64(s.root), encodeBase64(s.device.subarray(0, 31)), '', 'AA==', 'AAA=', 'AAAA', 'YQ', '-_-_', 'YWJj', 'YWI=', 'YWJ=', 'YR==', ...s.pem.slice(17, 19)];
  },
  mutate: (rng, base, limits) => mutateBase64(rng, textOf(base), limits),
  async run(input, probe) {
    const text = textOf(input);
    const d = probe.call('decodeBase64', () => decodeBase64(text));
    if (d.ok) checkDecodeText(probe, d.value);
    if (d.ok) probe.check('decodeBase64 accepts one encoding', encodeBase64(d.value) === text, () => `${quote(text)} decodes to ${hex(d.value).slice(0, 80)}, which encodes as ${quote(encodeBase64(d.value))}`);
    const u = probe.call('decodeBase64Url', () => decodeBase64Url(text));
    if (u.ok) probe.check('decodeBase64Url accepts one encoding', base64UrlOf(u.value) === text, () => `${quote(text)} decodes to ${hex(u.value).slice(0, 80)}, which encodes as ${quote(base64UrlOf(u.value))}`);
    const raw = enc.encode(text);
    const e = probe.call('encodeBase64', () => encodeBase64(raw), true);
    if (e.ok) {
      const back = probe.call('decodeBase64(encodeBase64(x))', () => decodeBase64(e.value));
      probe.check('base64 round trip', back.ok && sameBytes(back.value, raw), () => `${raw.length} bytes do not come back`);
    }
    probe.call('decodeText', () => [decodeText(raw), bomLength(raw), looksLikeText(raw), sniffContent(raw)], true);
  },
};

// --- Graph answers and requests ------------------------------------------------------------

const graphTarget: Target = {
  name: 'graph',
  description: 'Graph answers, Retry-After, tokens and request builders: GraphApiError, read*, parseRetryAfter, decideRetry, inspectToken, *Request',
  kind: 'text',
  seeds: () => [
    ...seeds().graph,
    ...seeds().payloads.slice(0, 4),
    'https://graph.microsoft.com',
    'https://graph.microsoft.com/',
    'HTTPS://Graph.Microsoft.COM:443/beta',
    'http://127.0.0.1:8080/graph',
    'http://localhost:3000',
    'https://[::1]:8443/',
    'https://[0:0:0:0:0:0:0:1]/',
    'https://graph.microsoft.us/v1.0?x=1',
    'https://user:pass@graph.microsoft.com/',
    'https://graph.microsoft.com\\@evil.example/',
    'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln trailing',
    'error: bearer abc.def-ghi_jkl~mno+pqr/stu== was refused',
  ],
  mutate(rng, base, limits) {
    const text = textOf(base);
    if (text.startsWith('{') && rng.chance(0.6)) {
      const s = seeds();
      return mutateJson(rng, text, { der: [s.root], donors: donors() }, limits);
    }
    if (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(text) && rng.chance(0.6)) {
      const parts = text.split('.');
      const i = rng.int(parts.length);
      parts[i] = rng.chance(0.5) ? mutateBase64(rng, parts[i]!, limits) : base64UrlOf(enc.encode(mutateJson(rng, textOf(new TextDecoder().decode(safeUrl(parts[i]!))), { der: [seeds().root], donors: donors() }, limits)));
      return parts.join('.');
    }
    if (/^https?:/i.test(text) || rng.chance(0.05)) return mutateUrl(rng, text, limits);
    return mutateText(rng, text, limits);
  },
  async run(input, probe) {
    const text = textOf(input);
    const wait = probe.call('parseRetryAfter', () => parseRetryAfter(text, NOW), true);
    if (wait.ok) probe.check('parseRetryAfter gives a wait or nothing', wait.value === undefined || (!Number.isNaN(wait.value) && wait.value >= 0), () => `${quote(text)} → ${wait.value}`);
    for (const method of ['POST', 'PATCH'] as const) {
      const decision = probe.call(`decideRetry(${method})`, () => decideRetry({ request: { method }, attempts: 1, elapsedMs: 0, status: 429, headers: { 'retry-after': text }, now: NOW, random: 0.5 }, DEFAULT_RETRY_POLICY), true);
      if (decision.ok) {
        const d = decision.value;
        probe.check('decideRetry gives a usable decision', d.action === 'done' || d.action === 'give-up' || (Number.isFinite(d.delayMs) && d.delayMs >= 0), () => `${quote(text)} → ${JSON.stringify(d)}`);
      }
    }
    let understood = wait.ok && wait.value !== undefined;
    for (const access of ['read', 'write'] as const) {
      const warnings = probe.call(`inspectToken(${access})`, () => inspectToken(text, { now: NOW, access, cloud: access === 'read' ? 'usGov' : 'global' }), true);
      if (warnings.ok && !warnings.value.some((w) => w.code === 'TOKEN_NOT_A_JWT')) understood = true;
    }
    for (const status of [200, 204, 400, 401, 404, 409, 500]) {
      const response = { status, headers: { 'request-id': text.slice(0, 64), date: text.slice(0, 32) }, body: text };
      probe.call(`GraphApiError(${status})`, () => new GraphApiError('list', response), true);
      if (probe.call(`readEntity(${status})`, () => readEntity('update', response)).ok) understood = true;
      if (probe.call(`readCollection(${status})`, () => readCollection(response)).ok) understood = true;
    }
    // Accepted: understood as a Retry-After wait, a JWT with claims, or a Graph entity or page.
    probe.verdict(understood);
    probe.call('retryDelay', () => retryDelay({ attempts: 2, headers: { 'retry-after': text }, now: NOW, random: 0.25 }, DEFAULT_RETRY_POLICY), true);

    // Text shown to people: nothing invisible left, and escaping twice changes nothing more.
    const shown = probe.call('escapeForDisplay', () => escapeForDisplay(text), true);
    if (shown.ok) {
      probe.check('escapeForDisplay leaves nothing invisible', !INVISIBLE.test(shown.value), () => `${quote(text)} → ${quote(shown.value)}`);
      probe.check('escapeForDisplay is idempotent', escapeForDisplay(shown.value) === shown.value, () => `${quote(shown.value)} → ${quote(escapeForDisplay(shown.value))}`);
    }
    // Server text on its way to a message: no bearer token or JWT left.
    const redacted = probe.call('redactSecrets', () => redactSecrets(text), true);
    if (redacted.ok) {
      const left = /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/i.exec(redacted.value) ?? /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/.exec(redacted.value);
      probe.check('redactSecrets leaves no bearer token or JWT', left === null, () => `${quote(text, 200)} → ${quote(redacted.value, 200)} still holds ${quote(left?.[0] ?? '')}`);
      probe.check('redactSecrets is idempotent', redactSecrets(redacted.value) === redacted.value, () => `${quote(redacted.value, 200)}`);
    }
    const token = probe.call('checkToken', () => checkToken(text, 'fuzz'));
    if (token.ok) probe.check('checkToken accepts visible ASCII only', token.value === text && /^[\x21-\x7e]+$/.test(text), () => quote(text));
    checkBaseUrlAgainstWhatwg(probe, text);

    const base = betaBase('https://graph.microsoft.com/');
    probe.call('filterByDisplayName', () => listRequest(base, { filter: filterByDisplayName(text) }));
    probe.call('listRequest', () => listRequest(base, { filter: text, select: [text, 'id'], top: Number(text.length % 3 === 0 ? text : text.length) }));
    probe.call('getRequest', () => getRequest(base, text, [text]));
    probe.call('deleteRequest', () => deleteRequest(base, text));
    probe.call('updateRequest', () => updateRequest(base, text, text));
    probe.call('createRequest', () => createRequest(base, text));
    probe.call('nextPageRequest', () => nextPageRequest(text));
    probe.call('betaBase', () => betaBase(text));
  },
};

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * checkBaseUrl decides where the token goes; fetch then reads the URL as the WHATWG parser does.
 * An accepted URL must mean the same origin to both (the module refuses what WHATWG could read
 * another way): the same scheme, port and host (IPv6 literals compared as addresses).
 */
function checkBaseUrlAgainstWhatwg(probe: Probe, text: string): void {
  const origin = probe.call('checkBaseUrl', () => checkBaseUrl(text));
  if (!origin.ok) return;
  const o = origin.value;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const whatwg = url === undefined ? 'an invalid URL' : `${url.protocol}//${url.hostname} port ${url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : url.port}`;
  let sameHost = url !== undefined && url.hostname === o.host;
  if (url !== undefined && !sameHost && o.host.startsWith('[')) {
    try {
      sameHost = sameBytes(parseIpAddress(o.host.slice(1, -1)), parseIpAddress(url.hostname.slice(1, -1)));
    } catch {
      sameHost = false;
    }
  }
  const samePort = url !== undefined && (url.port === '' ? (o.scheme === 'https' ? 443 : 80) : Number(url.port)) === o.port;
  probe.check('checkBaseUrl and the WHATWG URL parser see the same origin', url !== undefined && url.protocol === `${o.scheme}:` && sameHost && samePort, () => `${quote(text)}: checkBaseUrl ${o.scheme}://${o.host} port ${o.port}; WHATWG ${whatwg}`);
}

function safeUrl(part: string): Uint8Array {
  try {
    return decodeBase64Url(part);
  } catch {
    return enc.encode('{}');
  }
}

export const TARGETS: readonly Target[] = [derTarget, pkcs7Target, pemTarget, payloadTarget, dnTarget, ipTarget, base64Target, graphTarget];

/** Limits of generated inputs: `quick` for the test, `full` for `pnpm fuzz`. */
export const LIMITS: Readonly<Record<'quick' | 'full', MutationLimits>> = {
  quick: { maxSize: 64 * 1024, maxRdnValues: 64 },
  full: { maxSize: 2 * 1024 * 1024, maxRdnValues: 2000 },
};

/**
 * Failures known and accepted: counted and reported, never saved. Remove an entry
 * when its fix lands (and let the lead add a corpus entry for it).
 */
export const KNOWN_ISSUES: readonly KnownIssue[] = [
  {
    id: 'lint-verifier-cost-per-certificate',
    // Not a bug to fix: the budget is the core's; an injected verifier's cost is the caller's.
    description:
      "lint() with a WebCrypto verifier (createWebCryptoVerifier) imports the key and verifies the self-signature of every self-issued certificate, repeated ones too: about 0.3-0.6 ms each, so a bundle of small self-signed certificates (Ed25519, ~400 bytes) takes 70-160 ms per 100 KB, over the budget (without a verifier: 10-20 ms per 100 KB)",
    async matches(_target, failure, input) {
      if (failure.kind !== 'slow' || !/^lint\((der|pkcs7|pem text)\)$|^classifyAuthority\(verifier\)$/.test(failure.entry)) return false;
      // It is this issue when the same input without a verifier is within the (strict) budget.
      let best = Infinity;
      for (let i = 0; i < 2; i++) {
        const start = performance.now();
        await lint(input, { now: NOW, role: 'auto' });
        best = Math.min(best, performance.now() - start);
      }
      return best <= budgetMs(bytesOf(input).length, 1);
    },
  },
];

export function findTarget(name: string): Target {
  const t = TARGETS.find((x) => x.name === name);
  if (t === undefined) throw new Error(`fuzz: no target '${name}' (known: ${TARGETS.map((x) => x.name).join(', ')})`);
  return t;
}
