// readCertificates / scanCertificates: every input form (PEM, DER, bare base64, PKCS#7 in DER
// and PEM), the place of each certificate, every error code reachable from input with its
// source and line, private keys refused without their material reaching any error, and the
// limits that keep hostile input from hanging.

import 'reflect-metadata';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, type ErrorCode } from '../../src/errors.ts';
import { DEFAULT_LIMITS } from '../../src/limits.ts';
import {
  readCertificate,
  readCertificates,
  scanCertificates,
  type InputFormat,
  type ReadOptions,
  type ScanResult,
} from '../../src/input/read-certificates.ts';
import {
  getKey,
  makeCertificate,
  makeDeviceCert,
  makeIntermediateCa,
  makeRootCa,
  type GeneratedCertificate,
} from '@graph-mtls/test/fixtures/certificates.ts';
import {
  OIDS,
  algId,
  berTlv,
  concat,
  explicit,
  indefinite,
  int,
  makeCrl,
  makeCsr,
  makePkcs7,
  makePkcs7Peculiar,
  octet,
  oid,
  readTlv,
  seq,
  set,
  tlv,
  toPem,
} from '@graph-mtls/test/fixtures/der-builder.ts';
import { errorOf, inputErrorOf } from '@graph-mtls/test/helpers.ts';

const SOURCE = 'input.pem';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

function wrap(text: string, width = 64, eol = '\n'): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join(eol);
}

/** readCertificates must throw `code`; checks source (and line for text input) on the error. */
function expectReadError(input: string | Uint8Array, code: ErrorCode, where: { source?: string; line?: number; index?: number } = {}, options: ReadOptions = {}): InputError {
  const source = where.source ?? SOURCE;
  const e = inputErrorOf(() => readCertificates(input, { source, ...options }));
  expect(e.code, e.message).toBe(code);
  expect(e.source).toBe(source);
  if ('line' in where) expect(e.line).toBe(where.line);
  if ('index' in where) expect(e.index).toBe(where.index);
  return e;
}

/** The 1-based number of the n-th line containing `needle`. */
function lineOf(text: string, needle: string, nth = 0): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && seen++ === nth) return i + 1;
  throw new Error(`no line ${nth} containing ${needle}`);
}

/** Every text an error exposes: message, String(), stack, JSON of its fields, its bytes, and its causes. */
function exposedTexts(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error)) return [String(error), JSON.stringify(error) ?? ''];
  const fields: Record<string, unknown> = {};
  for (const k of Object.getOwnPropertyNames(error)) fields[k] = (error as unknown as Record<string, unknown>)[k];
  const out = [error.message, String(error), error.stack ?? '', JSON.stringify(error), JSON.stringify(fields, (_k, v: unknown) => (v instanceof Error ? Object.assign({}, v, { message: v.message }) : v))];
  for (const v of Object.values(fields)) {
    if (v instanceof Uint8Array) out.push(hex(v), b64(v), latin1(v));
    else if (typeof v === 'string') out.push(v);
  }
  if (error.cause !== undefined && depth < 8) out.push(...exposedTexts(error.cause, depth + 1));
  return out;
}

interface Secret {
  readonly der: Uint8Array;
  /** Distinctive substrings of the key's encodings, which must never appear in an error. */
  readonly needles: readonly string[];
}

function secretOf(der: Uint8Array, extra: readonly string[] = []): Secret {
  const mid = Math.floor(der.length / 2);
  const encoded = b64(der);
  return {
    der,
    needles: [
      encoded.slice(60, 92),
      encoded.slice(encoded.length - 60, encoded.length - 30),
      hex(der.subarray(mid, mid + 16)),
      hex(der.subarray(mid, mid + 16)).toUpperCase(),
      hex(der.subarray(der.length - 20, der.length - 4)),
      latin1(der.subarray(mid, mid + 12)),
      ...extra,
    ],
  };
}

function expectNoLeak(error: unknown, secret: Secret): void {
  for (const text of exposedTexts(error)) {
    for (const needle of secret.needles) expect(text.includes(needle), `key material '${needle.slice(0, 12)}…' in: ${text.slice(0, 200)}`).toBe(false);
  }
  if (error instanceof Error) {
    for (const v of Object.values(error)) expect(v instanceof Uint8Array).toBe(false);
  }
}

function expectScanNoLeak(scan: ScanResult, secret: Secret): void {
  const json = JSON.stringify(scan.problems.map((p) => ({ ...p, error: { ...p.error, message: p.error.message, stack: p.error.stack } })));
  for (const needle of secret.needles) expect(json.includes(needle)).toBe(false);
  for (const p of scan.problems) expectNoLeak(p.error, secret);
}

/** A DER with a definite outer header replaced (for BER variants of a good certificate). */
function outerContent(der: Uint8Array): Uint8Array {
  const t = readTlv(der, 0);
  return der.subarray(t.contentStart, t.end);
}

function replaceOnce(der: Uint8Array, from: readonly number[], to: readonly number[], skip = 0): Uint8Array {
  const out = Uint8Array.from(der);
  let seen = 0;
  for (let i = 0; i + from.length <= out.length; i++) {
    if (from.every((v, k) => out[i + k] === v) && seen++ === skip) {
      out.set(to, i);
      return out;
    }
  }
  throw new Error('pattern not found');
}

/** A PKCS#12 PFX (RFC 7292 §4) with an unencrypted keyBag holding the PKCS#8 key, and a certBag. */
function pkcs12(keyPkcs8: Uint8Array, certDer: Uint8Array): Uint8Array {
  const data = OIDS.pkcs7Data;
  const keyBag = seq(oid('1.2.840.113549.1.12.10.1.1'), explicit(0, keyPkcs8));
  const certBag = seq(oid('1.2.840.113549.1.12.10.1.3'), explicit(0, seq(oid('1.2.840.113549.1.9.22.1'), explicit(0, octet(certDer)))));
  const authSafe = seq(seq(oid(data), explicit(0, octet(seq(keyBag, certBag)))));
  const macData = seq(seq(algId(OIDS.sha256, null), octet(new Uint8Array(32).fill(0x5a))), octet(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)), int(2048));
  return seq(int(3), seq(oid(data), explicit(0, octet(authSafe))), macData);
}

/** An OpenSSH private key file (PROTOCOL.key) wrapping some key bytes; only its shape matters here. */
function opensshKey(material: Uint8Array): { pem: string; body: string } {
  const str = (s: Uint8Array): Uint8Array => concat(Uint8Array.of(0, 0, 0, s.length >>> 0 & 0xff), s);
  const raw = concat(utf8('openssh-key-v1\0'), str(utf8('none')), str(utf8('none')), str(new Uint8Array(0)), Uint8Array.of(0, 0, 0, 1), str(material));
  const body = b64(raw);
  return { pem: `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body, 70)}\n-----END OPENSSH PRIVATE KEY-----\n`, body };
}

function pemOf(key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1', cipher?: string): string {
  return String(cipher ? key.export({ type, format: 'pem', cipher, passphrase: 'correct horse' }) : key.export({ type, format: 'pem' }));
}

function derOf(key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1', cipher?: string): Uint8Array {
  return new Uint8Array(cipher ? key.export({ type, format: 'der', cipher, passphrase: 'correct horse' }) : key.export({ type, format: 'der' }));
}

/** The base64 body of a PEM text (all its non-boundary, non-header lines joined). */
function pemBody(pem: string): string {
  return pem.split(/\r?\n/).filter((l) => l && !l.startsWith('-----') && !l.includes(':')).join('');
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

let root: GeneratedCertificate;
let inter: GeneratedCertificate;
let device: GeneratedCertificate;
let chain: readonly GeneratedCertificate[];
let rsaKey: KeyObject;
let ecKey: KeyObject;
let edKey: KeyObject;

beforeAll(async () => {
  root = await makeRootCa({ key: 'p256' });
  inter = await makeIntermediateCa(root, { key: 'p384' });
  device = await makeDeviceCert(inter, { key: 'ed25519' });
  chain = [root, inter, device];
  rsaKey = (await getKey('rsa2048')).privateKey;
  ecKey = (await getKey('p256')).privateKey;
  edKey = generateKeyPairSync('ed25519').privateKey;
});

function ders(result: readonly { der: Uint8Array }[]): Uint8Array[] {
  return result.map((c) => c.der);
}

// ---------------------------------------------------------------------------------------------
// Input forms
// ---------------------------------------------------------------------------------------------

describe('input forms', () => {
  it('PEM, single certificate', () => {
    const scan = scanCertificates(root.pem, { source: SOURCE });
    expect(scan.problems).toEqual([]);
    expect(scan.certificates).toHaveLength(1);
    const [entry] = scan.certificates;
    expect(entry!.format).toBe<InputFormat>('pem');
    expect(entry!.location).toEqual({ source: SOURCE, index: 0, line: 1 });
    expect(entry!.certificate.der).toEqual(root.der);
    expect(ders(readCertificates(root.pem))).toEqual([root.der]);
    expect(readCertificate(root.pem).der).toEqual(root.der);
  });

  it('PEM bundle (LF and CRLF) with OpenSSL text between blocks: in order, with index and BEGIN line', () => {
    for (const eol of ['\n', '\r\n']) {
      const text =
        `subject=CN = device${eol}issuer=CN = inter${eol}` +
        toPem(device.der, 'CERTIFICATE', { eol: eol as '\n' }) +
        `Certificate:${eol}    Data:${eol}        Version: 3 (0x2)${eol}        Issuer: C = US, CN = Test${eol}` +
        toPem(inter.der, 'CERTIFICATE', { eol: eol as '\n' }) +
        `${eol}${eol}   ${eol}` +
        toPem(root.der, 'CERTIFICATE', { eol: eol as '\n' });
      const scan = scanCertificates(text, { source: 'chain.pem' });
      expect(scan.problems).toEqual([]);
      expect(ders(scan.certificates.map((c) => c.certificate))).toEqual([device.der, inter.der, root.der]);
      const lf = text.replaceAll('\r\n', '\n');
      expect(scan.certificates.map((c) => c.location)).toEqual([0, 1, 2].map((i) => ({ source: 'chain.pem', index: i, line: lineOf(lf, '-----BEGIN', i) })));
      expect(scan.certificates.every((c) => c.format === 'pem')).toBe(true);
    }
  });

  it('PEM as bytes (UTF-8, with and without a BOM), indented, and under the X509 CERTIFICATE label', () => {
    const text = chain.map((c) => c.pem).join('');
    expect(ders(readCertificates(utf8(text)))).toEqual(ders(chain));
    expect(ders(readCertificates(concat(Uint8Array.of(0xef, 0xbb, 0xbf), utf8(text))))).toEqual(ders(chain));
    expect(ders(readCertificates('\ufeff' + text))).toEqual(ders(chain));
    const indented = text.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
    expect(ders(readCertificates(indented))).toEqual(ders(chain));
    expect(ders(readCertificates(toPem(root.der, 'X509 CERTIFICATE')))).toEqual([root.der]);
  });

  it('PEM text as bytes whose first byte is 0x30 (an `openssl s_client -showcerts` dump starting "0 s:")', () => {
    const text = ` 0 s:CN = device\n   i:CN = inter\n${device.pem} 1 s:CN = inter\n   i:CN = root\n${inter.pem}`.slice(1);
    expect(text.charCodeAt(0)).toBe(0x30);
    expect(ders(readCertificates(text))).toEqual([device.der, inter.der]);
    expect(ders(readCertificates(utf8(text), { source: 'showcerts.txt' }))).toEqual([device.der, inter.der]);
  });

  it('DER', () => {
    const scan = scanCertificates(inter.der, { source: 'inter.cer' });
    expect(scan.problems).toEqual([]);
    expect(scan.certificates.map((c) => [c.format, c.location])).toEqual([['der', { source: 'inter.cer', index: 0 }]]);
    expect(scan.certificates[0]!.certificate.der).toEqual(inter.der);
  });

  it('bare base64: one line, wrapped (LF, CRLF, 76 columns), padded with whitespace', () => {
    const one = b64(root.der);
    const forms = [one, wrap(one), wrap(one, 64, '\r\n') + '\r\n', wrap(one, 76), `\n\n   ${wrap(one, 40, '\n\t')}\n\n`, wrap(one, 4, ' ')];
    for (const text of forms) {
      const scan = scanCertificates(text, { source: 'graph.certificate' });
      expect(scan.problems).toEqual([]);
      expect(scan.certificates.map((c) => [c.format, c.location])).toEqual([['base64', { source: 'graph.certificate', index: 0 }]]);
      expect(scan.certificates[0]!.certificate.der).toEqual(root.der);
    }
    expect(ders(readCertificates(utf8(wrap(one))))).toEqual([root.der]);
  });

  it('PKCS#7 certs-only bundle in DER (hand-built and @peculiar/x509), in order', () => {
    for (const der of [makePkcs7(ders(chain)).der, makePkcs7Peculiar(ders(chain))]) {
      const scan = scanCertificates(der, { source: 'chain.p7b' });
      expect(scan.problems).toEqual([]);
      expect(ders(scan.certificates.map((c) => c.certificate))).toEqual(ders(chain));
      expect(scan.certificates.map((c) => [c.format, c.location])).toEqual([0, 1, 2].map((i) => ['pkcs7-der', { source: 'chain.p7b', index: i }]));
    }
  });

  it('PKCS#7 with CRLs alongside the certificates', async () => {
    const crl = await makeCrl(root.keys.privateKey, root.subjectDer);
    const der = makePkcs7([inter.der, root.der], { crls: [crl.der] }).der;
    expect(ders(readCertificates(der))).toEqual([inter.der, root.der]);
  });

  it('PKCS#7 as bare base64', () => {
    const scan = scanCertificates(wrap(b64(makePkcs7([root.der, inter.der]).der)), { source: 'p7.txt' });
    expect(scan.problems).toEqual([]);
    expect(scan.certificates.map((c) => [c.format, c.location])).toEqual([
      ['pkcs7-der', { source: 'p7.txt', index: 0 }],
      ['pkcs7-der', { source: 'p7.txt', index: 1 }],
    ]);
  });

  it("PKCS#7 in PEM: label 'PKCS7', label 'CMS', and label 'CERTIFICATE' (as some tools emit a .p7b)", () => {
    const p7 = makePkcs7(ders(chain));
    const cms = toPem(p7.der, 'CMS');
    for (const text of [p7.pem, p7.pemCertificateLabel, cms, 'Bag Attributes\n  friendlyName: x\n' + p7.pem]) {
      const scan = scanCertificates(text, { source: 'chain.p7b.pem' });
      expect(scan.problems).toEqual([]);
      expect(ders(scan.certificates.map((c) => c.certificate))).toEqual(ders(chain));
      const line = lineOf(text, '-----BEGIN');
      expect(scan.certificates.map((c) => [c.format, c.location])).toEqual([0, 1, 2].map((i) => ['pkcs7-pem', { source: 'chain.p7b.pem', index: i, line }]));
    }
  });

  it('a bundle mixing PEM certificates and a PKCS#7 block: indexes continue across the bundle', () => {
    const text = device.pem + makePkcs7([inter.der, root.der]).pem + 'trailer text\n' + root.pem;
    const scan = scanCertificates(text, { source: SOURCE });
    expect(scan.problems).toEqual([]);
    expect(scan.certificates.map((c) => [c.format, c.location])).toEqual([
      ['pem', { source: SOURCE, index: 0, line: 1 }],
      ['pkcs7-pem', { source: SOURCE, index: 1, line: lineOf(text, '-----BEGIN', 1) }],
      ['pkcs7-pem', { source: SOURCE, index: 2, line: lineOf(text, '-----BEGIN', 1) }],
      ['pem', { source: SOURCE, index: 3, line: lineOf(text, '-----BEGIN', 2) }],
    ]);
  });

  it('indexes stay unique after a PKCS#7 block whose first entry is not a certificate', () => {
    const p7 = makePkcs7([seq(int(1)), inter.der]).pem;
    const text = p7 + root.pem;
    const scan = scanCertificates(text, { source: SOURCE });
    expect(scan.problems.map((p) => p.location.index)).toEqual([0]);
    expect(scan.certificates.map((c) => c.location.index)).toEqual([1, 2]);
    const all = [...scan.problems.map((p) => p.location.index), ...scan.certificates.map((c) => c.location.index)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('readCertificate: exactly one', () => {
    expect(readCertificate(root.der).der).toEqual(root.der);
    const e = errorOf(() => readCertificate(root.pem + inter.pem, { source: SOURCE }));
    expect(e).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', source: SOURCE });
  });
});

// ---------------------------------------------------------------------------------------------
// Private keys
// ---------------------------------------------------------------------------------------------

describe('private keys → ERR_PRIVATE_KEY, and the key material never reaches an error', () => {
  function pemKeys(): readonly (readonly [string, string, Secret])[] {
    const ssh = opensshKey(derOf(edKey, 'pkcs8'));
    const entry = (label: string, pem: string): readonly [string, string, Secret] => {
      const body = pemBody(pem);
      const raw = new Uint8Array(Buffer.from(body, 'base64'));
      const line3 = pem.split('\n').filter((l) => l && !l.startsWith('-----') && !l.includes(':'))[2] ?? body.slice(0, 40);
      return [label, pem, secretOf(raw, [line3.slice(5, 40), body.slice(100, 140)])];
    };
    return [
      entry('PRIVATE KEY', pemOf(rsaKey, 'pkcs8')),
      entry('RSA PRIVATE KEY', pemOf(rsaKey, 'pkcs1')),
      entry('EC PRIVATE KEY', pemOf(ecKey, 'sec1')),
      entry('ENCRYPTED PRIVATE KEY', pemOf(rsaKey, 'pkcs8', 'aes-256-cbc')),
      entry('OPENSSH PRIVATE KEY', ssh.pem),
    ];
  }

  it('PEM labels: ERR_PRIVATE_KEY with source and BEGIN line, no key material', () => {
    for (const [label, pem, secret] of pemKeys()) {
      expect(pem).toContain(`-----BEGIN ${label}-----`);
      // The needles taken from the PEM body really are in the input.
      expect(pem).toContain(secret.needles[secret.needles.length - 2]);
      expect(pemBody(pem)).toContain(secret.needles[secret.needles.length - 1]);
      const text = 'key for the device below\n\n' + pem;
      const e = expectReadError(text, 'ERR_PRIVATE_KEY', { source: 'key.pem', line: 3, index: 0 });
      expectNoLeak(e, secret);
      const scan = scanCertificates(text, { source: 'key.pem' });
      expect(scan.certificates).toEqual([]);
      expect(scan.problems.map((p) => p.location)).toEqual([{ source: 'key.pem', index: 0, line: 3 }]);
      expectScanNoLeak(scan, secret);
    }
  });

  it('legacy encrypted PKCS#1 PEM (RFC 1421 Proc-Type/DEK-Info headers) → ERR_PRIVATE_KEY, not ERR_PEM_MALFORMED', () => {
    const pem = pemOf(rsaKey, 'pkcs1', 'aes-128-cbc');
    expect(pem).toContain('Proc-Type: 4,ENCRYPTED');
    const e = expectReadError(pem, 'ERR_PRIVATE_KEY', { line: 1 });
    expectNoLeak(e, secretOf(new Uint8Array(Buffer.from(pemBody(pem), 'base64')), [pemBody(pem).slice(50, 90)]));
  });

  it('a private key in a bundle: the certificates are still read, the key is a problem at its line', () => {
    const [, keyPem, secret] = pemKeys()[0]!;
    const text = root.pem + keyPem + inter.pem;
    const scan = scanCertificates(text, { source: SOURCE });
    expect(ders(scan.certificates.map((c) => c.certificate))).toEqual([root.der, inter.der]);
    expect(scan.certificates.map((c) => c.location.index)).toEqual([0, 2]);
    expect(scan.problems).toHaveLength(1);
    expect(scan.problems[0]!.error).toMatchObject({ code: 'ERR_PRIVATE_KEY', source: SOURCE, line: lineOf(text, '-----BEGIN', 1), index: 1 });
    expect(scan.problems[0]!.location).toEqual({ source: SOURCE, index: 1, line: lineOf(text, '-----BEGIN', 1) });
    expectScanNoLeak(scan, secret);
    expectReadError(text, 'ERR_PRIVATE_KEY', { line: lineOf(text, '-----BEGIN', 1), index: 1 });
  });

  it('an unterminated private-key block, or one whose body is not base64 → ERR_PRIVATE_KEY, no material', () => {
    const [, keyPem, secret] = pemKeys()[0]!;
    const unterminated = keyPem.replace(/-----END[^\n]*\n?/, '');
    expectNoLeak(expectReadError(unterminated, 'ERR_PRIVATE_KEY', { line: 1 }), secret);
    const broken = keyPem.replace(/\n(.{10})/, '\n$1!');
    expectNoLeak(expectReadError(broken, 'ERR_PRIVATE_KEY', { line: 1 }), secret);
  });

  it('a private-key block with a mismatched END or cut by a new BEGIN is still refused as a private key, no material', () => {
    const [, keyPem, secret] = pemKeys()[0]!;
    const mismatched = keyPem.replace('-----END PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----');
    const eMismatch = errorOf(() => readCertificates(mismatched, { source: SOURCE }));
    expectNoLeak(eMismatch, secret);
    const cut = keyPem.replace(/-----END[^\n]*\n?/, '') + root.pem;
    const scan = scanCertificates(cut, { source: SOURCE });
    expect(ders(scan.certificates.map((c) => c.certificate))).toEqual([root.der]);
    expectScanNoLeak(scan, secret);
    expect(eMismatch.code).toBe('ERR_PRIVATE_KEY');
    expect(scan.problems[0]!.error.code).toBe('ERR_PRIVATE_KEY');
  });

  function derKeys(): readonly (readonly [string, Uint8Array])[] {
    return [
      ['PKCS#8 RSA', derOf(rsaKey, 'pkcs8')],
      ['PKCS#8 EC', derOf(ecKey, 'pkcs8')],
      ['PKCS#8 Ed25519', derOf(edKey, 'pkcs8')],
      ['PKCS#1 RSA', derOf(rsaKey, 'pkcs1')],
      ['SEC1 EC', derOf(ecKey, 'sec1')],
      ['encrypted PKCS#8', derOf(rsaKey, 'pkcs8', 'aes-256-cbc')],
      ['PKCS#12', pkcs12(derOf(ecKey, 'pkcs8'), root.der)],
    ];
  }

  it('DER private keys (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8, PKCS#12) → ERR_PRIVATE_KEY, no material', () => {
    for (const [name, der] of derKeys()) {
      const secret = secretOf(der, name === 'PKCS#12' ? [hex(derOf(ecKey, 'pkcs8').subarray(36, 52))] : []);
      const e = expectReadError(der, 'ERR_PRIVATE_KEY', { source: 'key.der', index: 0 });
      expect(e.line, name).toBeUndefined();
      expectNoLeak(e, secret);
      expectScanNoLeak(scanCertificates(der, { source: 'key.der' }), secret);
    }
  });

  it('base64 private keys (one line, wrapped, CRLF) → ERR_PRIVATE_KEY, no material', () => {
    for (const [, der] of derKeys()) {
      const secret = secretOf(der);
      for (const text of [b64(der), wrap(b64(der)), wrap(b64(der), 76, '\r\n') + '\r\n']) {
        const e = expectReadError(text, 'ERR_PRIVATE_KEY', { source: 'key.txt' });
        expectNoLeak(e, secret);
        expectScanNoLeak(scanCertificates(text, { source: 'key.txt' }), secret);
      }
    }
  });

  it("a private key mislabelled 'CERTIFICATE' in PEM → ERR_PRIVATE_KEY at its line, no material", () => {
    for (const [, der] of derKeys()) {
      const text = root.pem + toPem(der, 'CERTIFICATE');
      const line = lineOf(text, '-----BEGIN', 1);
      const scan = scanCertificates(text, { source: SOURCE });
      expect(ders(scan.certificates.map((c) => c.certificate))).toEqual([root.der]);
      expect(scan.problems.map((p) => [p.error.code, p.location])).toEqual([['ERR_PRIVATE_KEY', { source: SOURCE, index: 1, line }]]);
      expect(scan.problems[0]!.error).toMatchObject({ source: SOURCE, line, index: 1 });
      expectScanNoLeak(scan, secretOf(der));
    }
  });

  it('keys in forms that are not refused by shape (hex text, broken base64, JWK) still never leak', () => {
    const der = derOf(rsaKey, 'pkcs8');
    const secret = secretOf(der);
    const jwk = JSON.stringify(rsaKey.export({ format: 'jwk' }));
    const jwkSecret = { der, needles: [...secret.needles, String((rsaKey.export({ format: 'jwk' }) as { d: string }).d).slice(20, 60)] };
    const inputs = [hex(der), hex(der).toUpperCase(), b64(der).slice(0, -1), b64(der).replace(/(.{100})./, '$1-'), jwk, utf8(jwk), der.subarray(0, der.length - 7), concat(der, Uint8Array.of(0))];
    for (const input of inputs) {
      let error: unknown;
      try {
        readCertificates(input, { source: 'k' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).source).toBe('k');
      expectNoLeak(error, jwkSecret);
      expectScanNoLeak(scanCertificates(input, { source: 'k' }), jwkSecret);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Other non-certificates
// ---------------------------------------------------------------------------------------------

describe('other objects that are not certificates', () => {
  it('CSR: PEM (both labels), DER and base64 → ERR_CSR', async () => {
    const csr = await makeCsr(root.keys, 'CN=req');
    expectReadError('x\n' + csr.pem, 'ERR_CSR', { line: 2, index: 0 });
    expectReadError(toPem(csr.der, 'NEW CERTIFICATE REQUEST'), 'ERR_CSR', { line: 1 });
    expectReadError(csr.der, 'ERR_CSR', { source: 'req.der', index: 0 });
    expectReadError(wrap(b64(csr.der)), 'ERR_CSR', { source: 'req.txt' });
    expectReadError(toPem(csr.der, 'CERTIFICATE'), 'ERR_CSR', { line: 1 });
  });

  it('CRL: PEM, DER and base64 → ERR_CRL', async () => {
    const crl = await makeCrl(root.keys.privateKey, root.subjectDer);
    expectReadError(root.pem + crl.pem, 'ERR_CRL', { line: lineOf(root.pem + crl.pem, '-----BEGIN', 1), index: 1 });
    expectReadError(crl.der, 'ERR_CRL', { source: 'list.crl', index: 0 });
    expectReadError(b64(crl.der), 'ERR_CRL', { source: 'list.txt' });
    expectReadError(toPem(crl.der, 'CERTIFICATE'), 'ERR_CRL', { line: 1 });
  });

  it('public keys: PEM (PUBLIC KEY, RSA PUBLIC KEY), DER and base64 SubjectPublicKeyInfo → ERR_PUBLIC_KEY', async () => {
    const rsaPub = (await getKey('rsa2048')).publicKey;
    expectReadError(String(rsaPub.export({ type: 'spki', format: 'pem' })), 'ERR_PUBLIC_KEY', { line: 1 });
    expectReadError(String(rsaPub.export({ type: 'pkcs1', format: 'pem' })), 'ERR_PUBLIC_KEY', { line: 1 });
    expectReadError(root.key.spki, 'ERR_PUBLIC_KEY', { source: 'pub.der', index: 0 });
    expectReadError(b64(root.key.spki), 'ERR_PUBLIC_KEY', { source: 'pub.txt' });
  });

  it("OpenSSL 'TRUSTED CERTIFICATE' → ERR_TRUSTED_CERTIFICATE", () => {
    const trusted = toPem(concat(root.der, seq(seq(oid(OIDS.clientAuth)))), 'TRUSTED CERTIFICATE');
    expectReadError('\n\n' + trusted, 'ERR_TRUSTED_CERTIFICATE', { line: 3, index: 0 });
  });

  it('other PEM labels → ERR_PEM_UNSUPPORTED_LABEL', () => {
    for (const label of ['DH PARAMETERS', 'EC PARAMETERS', 'PGP PUBLIC KEY BLOCK', 'SSH2 PUBLIC KEY', 'ATTRIBUTE CERTIFICATE', 'X'.repeat(200)]) {
      const text = root.pem + toPem(Uint8Array.of(1, 2, 3), label);
      expectReadError(text, 'ERR_PEM_UNSUPPORTED_LABEL', { line: lineOf(text, '-----BEGIN', 1), index: 1 });
    }
  });

  it('a long unsupported label is not echoed in full (cap ~60 chars)', () => {
    const e = expectReadError(toPem(Uint8Array.of(1, 2, 3), 'X'.repeat(2000)), 'ERR_PEM_UNSUPPORTED_LABEL', { line: 1 });
    expect(e.message.length).toBeLessThan(300);
  });

  it('garbage text, JSON and an openssl -text dump without a PEM block → ERR_NOT_A_CERTIFICATE with the line', () => {
    expectReadError('hello, world', 'ERR_NOT_A_CERTIFICATE', { line: 1 });
    // Text made only of base64 letters is read as base64.
    expectReadError('hello world', 'ERR_BASE64_INVALID');
    expectReadError('MIIB\nMIIB\nnot base64!\n', 'ERR_NOT_A_CERTIFICATE', { line: 3 });
    expectReadError('{"certificate": "MIIB"}', 'ERR_NOT_A_CERTIFICATE', { line: 1 });
    expectReadError(utf8('Certificate:\n    Data:\n        Version: 3 (0x2)\n'), 'ERR_NOT_A_CERTIFICATE', { line: 1 });
  });

  it('binary garbage → ERR_NOT_A_CERTIFICATE', () => {
    expectReadError(Uint8Array.of(0x00, 0x01, 0x02, 0xff, 0xfe, 0x80), 'ERR_NOT_A_CERTIFICATE', { source: 'a.bin' });
    expectReadError(Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251), 'ERR_NOT_A_CERTIFICATE', { source: 'b.bin' });
    // PNG / ZIP headers, i.e. the wrong file picked.
    expectReadError(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), 'ERR_NOT_A_CERTIFICATE', { source: 'c.png' });
    expectReadError(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00), 'ERR_NOT_A_CERTIFICATE', { source: 'd.zip' });
  });

  it('valid base64 of something that is not DER → ERR_NOT_A_CERTIFICATE', () => {
    expectReadError('AAAA', 'ERR_NOT_A_CERTIFICATE', { source: 'zeros' });
    expectReadError(b64(utf8('just some text, base64-encoded')), 'ERR_NOT_A_CERTIFICATE', { source: 't' });
  });

  it('an empty PKCS#7 bundle → ERR_NOT_A_CERTIFICATE', () => {
    expectReadError(makePkcs7([]).der, 'ERR_NOT_A_CERTIFICATE', { source: 'empty.p7b' });
    expectReadError(makePkcs7([]).pem, 'ERR_NOT_A_CERTIFICATE', { line: 1, index: 0 });
  });

  it("text with '-----BEGIN ' only inside a line → ERR_PEM_NO_BLOCKS", () => {
    expectReadError('paste here: -----BEGIN CERTIFICATE----- MIIB... -----END CERTIFICATE-----', 'ERR_PEM_NO_BLOCKS');
  });

  it('empty input → ERR_INPUT_EMPTY', () => {
    for (const input of ['', ' ', '\n\r\n\t  \n', '\ufeff', new Uint8Array(0), utf8('  \n'), Uint8Array.of(0xef, 0xbb, 0xbf)]) {
      expectReadError(input, 'ERR_INPUT_EMPTY', { source: 'empty.txt' });
    }
  });

  it('bad base64 in a bare base64 input → ERR_BASE64_INVALID', () => {
    expectReadError(b64(root.der).slice(0, -2), 'ERR_BASE64_INVALID', { source: 'cut.txt' });
    expectReadError(b64(root.der).replace(/=*$/, '') + '=A==', 'ERR_BASE64_INVALID', { source: 'pad.txt' });
  });

  it('bad base64 inside a PEM block → ERR_BASE64_INVALID at the BEGIN line; the later certificates are still read', () => {
    const lines = inter.pem.split('\n');
    lines[3] = lines[3]!.slice(0, 10) + '*' + lines[3]!.slice(11);
    const text = root.pem + lines.join('\n') + device.pem;
    const scan = scanCertificates(text, { source: SOURCE });
    expect(ders(scan.certificates.map((c) => c.certificate))).toEqual([root.der, device.der]);
    const begin = lineOf(text, '-----BEGIN', 1);
    expect(scan.problems[0]!.error).toMatchObject({ code: 'ERR_BASE64_INVALID', source: SOURCE, line: begin, index: 1 });
    expect(scan.problems[0]!.error.reason).toMatch(new RegExp(`line ${begin + 3}\\b`));
  });

  it('malformed PEM → ERR_PEM_MALFORMED at the BEGIN line', () => {
    const unterminated = root.pem + inter.pem.replace(/-----END[^\n]*\n/, '');
    expectReadError(unterminated, 'ERR_PEM_MALFORMED', { line: lineOf(unterminated, '-----BEGIN', 1), index: 1 });
    const mismatched = root.pem.replace('END CERTIFICATE', 'END X509 CRL');
    expectReadError(mismatched, 'ERR_PEM_MALFORMED', { line: 1, index: 0 });
  });

  it('RFC 1421 headers in a CERTIFICATE block → ERR_PEM_MALFORMED; error.line agrees with the problem location', () => {
    const lines = root.pem.split('\n');
    lines.splice(1, 0, 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF', '');
    const text = inter.pem + lines.join('\n');
    const begin = lineOf(text, '-----BEGIN', 1);
    const scan = scanCertificates(text, { source: SOURCE });
    expect(ders(scan.certificates.map((c) => c.certificate))).toEqual([inter.der]);
    expect(scan.problems[0]!.location).toEqual({ source: SOURCE, index: 1, line: begin });
    expect(scan.problems[0]!.error.code).toBe('ERR_PEM_MALFORMED');
    expect(scan.problems[0]!.error.line).toBe(begin);
  });
});

// ---------------------------------------------------------------------------------------------
// Broken DER
// ---------------------------------------------------------------------------------------------

describe('broken DER', () => {
  it('truncated DER → ERR_DER_TRUNCATED (DER, base64 and PEM), with an offset', () => {
    const cut = root.der.subarray(0, root.der.length - 10);
    const e = expectReadError(cut, 'ERR_DER_TRUNCATED', { source: 'cut.der', index: 0 });
    expect(e.offset).toBeTypeOf('number');
    expectReadError(b64(cut), 'ERR_DER_TRUNCATED', { source: 'cut.txt' });
    const text = inter.pem + toPem(cut);
    expectReadError(text, 'ERR_DER_TRUNCATED', { line: lineOf(text, '-----BEGIN', 1), index: 1 });
    expectReadError(root.der.subarray(0, 1), 'ERR_DER_TRUNCATED', { source: 'one.der' });
    expectReadError(root.der.subarray(0, 3), 'ERR_DER_TRUNCATED', { source: 'three.der' });
  });

  it('trailing bytes after a certificate → ERR_DER_TRAILING_DATA at the first extra byte', () => {
    const e = expectReadError(concat(root.der, Uint8Array.of(0, 0)), 'ERR_DER_TRAILING_DATA', { source: 'extra.der', index: 0 });
    expect(e.offset).toBe(root.der.length);
    expectReadError(concat(root.der, inter.der), 'ERR_DER_TRAILING_DATA', { source: 'two.der' });
    expectReadError(b64(concat(root.der, Uint8Array.of(0x0a))), 'ERR_DER_TRAILING_DATA', { source: 'extra.txt' });
    const text = toPem(concat(inter.der, Uint8Array.of(1, 2, 3)));
    expectReadError(text, 'ERR_DER_TRAILING_DATA', { line: 1, index: 0 });
  });

  it('BER where DER is required → ERR_DER_BER_ENCODING', () => {
    const content = outerContent(root.der);
    // Outer SEQUENCE: indefinite length; long form with a leading zero octet.
    expectReadError(indefinite(0x30, content), 'ERR_DER_BER_ENCODING', { source: 'ber.der', index: 0 });
    expectReadError(berTlv(0x30, content, 3), 'ERR_DER_BER_ENCODING', { source: 'ber.der' });
    // tbsCertificate with a non-minimal length.
    const tbs = readTlv(content, 0);
    const tbsBer = berTlv(0x30, content.subarray(tbs.contentStart, tbs.end), 4);
    expectReadError(seq(tbsBer, content.subarray(tbs.end)), 'ERR_DER_BER_ENCODING', { source: 'ber.der' });
    // critical BOOLEAN encoded 01 instead of FF.
    const boolBer = replaceOnce(root.der, [0x01, 0x01, 0xff], [0x01, 0x01, 0x01]);
    const text = 'x\n' + toPem(boolBer);
    expectReadError(text, 'ERR_DER_BER_ENCODING', { line: 2, index: 0 });
    // An explicit v1 version field (DEFAULT, so DER omits it).
    const v1 = seq(seq(explicit(0, int(0)), ...[...readChildren(content.subarray(tbs.start, tbs.end))].slice(1)), content.subarray(tbs.end));
    expectReadError(b64(v1), 'ERR_DER_BER_ENCODING', { source: 'v1.txt' });
  });

  it('PKCS#7 in BER (as Java and Bouncy Castle write it) → ERR_PKCS7_UNSUPPORTED', () => {
    const p7 = makePkcs7([root.der]).der;
    const ci = readTlv(p7, 0);
    const ciContent = p7.subarray(ci.contentStart, ci.end);
    // DER ContentInfo around an indefinite-length [0] content.
    const oidLen = readTlv(ciContent, 0).end;
    const explicitTlv = readTlv(ciContent, oidLen);
    const innerBer = seq(ciContent.subarray(0, oidLen), indefinite(0xa0, ciContent.subarray(explicitTlv.contentStart, explicitTlv.end)));
    expectReadError(innerBer, 'ERR_PKCS7_UNSUPPORTED', { source: 'inner-ber.p7b' });
    // Indefinite length from the outermost ContentInfo down.
    const fullBer = indefinite(0x30, ciContent.subarray(0, oidLen), indefinite(0xa0, ciContent.subarray(explicitTlv.contentStart, explicitTlv.end)));
    expectReadError(fullBer, 'ERR_PKCS7_UNSUPPORTED', { source: 'ber.p7b' });
  });

  it('a structure that is a SEQUENCE but nothing known → a DER error code, with source and index', () => {
    const e = expectReadError(seq(int(1), int(2)), 'ERR_DER_UNEXPECTED_TAG', { source: 's.der', index: 0 });
    expect(e.offset).toBeTypeOf('number');
  });

  it('an invalid value inside a certificate → ERR_DER_INVALID_VALUE (e.g. Feb 30 notAfter)', async () => {
    const bad = await makeCertificate({ key: 'p256', notAfter: tlv(0x17, utf8('340230000000Z')) });
    expectReadError(bad.pem, 'ERR_DER_INVALID_VALUE', { line: 1, index: 0 });
  });
});

function* readChildren(der: Uint8Array): Generator<Uint8Array> {
  const outer = readTlv(der, 0);
  let p = outer.contentStart;
  while (p < outer.end) {
    const t = readTlv(der, p);
    yield der.subarray(t.start, t.end);
    p = t.end;
  }
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

describe('limits', () => {
  it('a string is measured in characters: explanatory text in UTF-8 may take more bytes than maxInputBytes', () => {
    const text = `${'é'.repeat(200)}\n${root.pem}`;
    expect(new TextEncoder().encode(text).length).toBeGreaterThan(text.length);
    expect(readCertificates(text, { limits: { maxInputBytes: text.length } })).toHaveLength(1);
    expectReadError(text, 'ERR_INPUT_TOO_LARGE', {}, { limits: { maxInputBytes: text.length - 1 } });
  });

  it('maxInputBytes → ERR_INPUT_TOO_LARGE for text and bytes', () => {
    const limits = { maxInputBytes: root.pem.length - 1 };
    expectReadError(root.pem, 'ERR_INPUT_TOO_LARGE', {}, { limits });
    expectReadError(root.der, 'ERR_INPUT_TOO_LARGE', { source: 'x.der' }, { limits: { maxInputBytes: root.der.length - 1 } });
    expect(readCertificates(root.der, { limits: { maxInputBytes: root.der.length } })).toHaveLength(1);
    expect(errorOf(() => scanCertificates(root.pem, { source: SOURCE, limits }))).toMatchObject({ code: 'ERR_INPUT_TOO_LARGE', source: SOURCE });
  });

  // These two handle tens of MB: their timeouts leave room for a loaded machine or an instrumented (mutation testing) run.
  it('a 64 MiB hostile input is refused with ERR_INPUT_TOO_LARGE (small limit, and the default limit)', () => {
    const big = 'A'.repeat(64 * 1024 * 1024);
    expectReadError(big, 'ERR_INPUT_TOO_LARGE', { source: 'big.txt' }, { limits: { maxInputBytes: 4096 } });
    const bytes = new Uint8Array(64 * 1024 * 1024 + 1).fill(0x30);
    expectReadError(bytes, 'ERR_INPUT_TOO_LARGE', { source: 'big.der' }, { limits: { maxInputBytes: 4096 } });
    expectReadError(bytes, 'ERR_INPUT_TOO_LARGE', { source: 'big.der' });
    expectReadError(big + 'AAAA', 'ERR_INPUT_TOO_LARGE', { source: 'big.txt' });
    expect(DEFAULT_LIMITS.maxInputBytes).toBe(64 * 1024 * 1024);
  }, 120_000);

  it('hostile input just under the default size ends in a coded error (PEM BEGIN flood, base64 of zeros, nested DER)', () => {
    const flood = '-----BEGIN CERTIFICATE-----\n'.repeat(200_000);
    expect(errorOf(() => readCertificates(flood, { source: 'flood.pem' }))).toMatchObject({ code: 'ERR_LIMIT_EXCEEDED', source: 'flood.pem' });
    const zeros = 'AAAA'.repeat(4 * 1024 * 1024);
    expect(errorOf(() => readCertificates(zeros, { source: 'zeros.txt' }))).toMatchObject({ code: 'ERR_LIMIT_EXCEEDED', source: 'zeros.txt' });
    const deep = new Uint8Array(32 * 1024 * 1024);
    for (let i = 0; i < deep.length; i += 2) [deep[i], deep[i + 1]] = [0x30, 0x80];
    expect(errorOf(() => readCertificates(deep, { source: 'deep.der' }))).toMatchObject({ code: 'ERR_LIMIT_EXCEEDED', source: 'deep.der' });
  }, 120_000);

  it('maxCertificates → ERR_LIMIT_EXCEEDED: PEM bundle, PKCS#7 DER, PKCS#7 PEM, and a mix', () => {
    const limits = { maxCertificates: 2 };
    const bundle = chain.map((c) => c.pem).join('');
    expect(readCertificates(bundle, { limits: { maxCertificates: 3 } })).toHaveLength(3);
    expectReadError(bundle, 'ERR_LIMIT_EXCEEDED', { line: lineOf(bundle, '-----BEGIN', 2) }, { limits });
    expectReadError(makePkcs7(ders(chain)).der, 'ERR_LIMIT_EXCEEDED', { source: 'c.p7b' }, { limits });
    expectReadError(makePkcs7(ders(chain)).pem, 'ERR_LIMIT_EXCEEDED', { line: 1 }, { limits });
    const mix = root.pem + makePkcs7([inter.der, device.der]).pem;
    expectReadError(mix, 'ERR_LIMIT_EXCEEDED', { line: lineOf(mix, '-----BEGIN', 1) }, { limits });
  });

  it('maxCertificateBytes → ERR_LIMIT_EXCEEDED', () => {
    expectReadError(root.pem, 'ERR_LIMIT_EXCEEDED', { line: 1, index: 0 }, { limits: { maxCertificateBytes: 100 } });
    expectReadError(root.der, 'ERR_LIMIT_EXCEEDED', { source: 'r.der', index: 0 }, { limits: { maxCertificateBytes: 100 } });
  });

  it('maxDepth → ERR_DER_TOO_DEEP', () => {
    expectReadError(root.pem, 'ERR_DER_TOO_DEEP', { line: 1, index: 0 }, { limits: { maxDepth: 2 } });
  });

  it('maxExtensions → ERR_LIMIT_EXCEEDED', () => {
    expect(root.cert.extensions.length).toBe(4);
    expect(readCertificates(root.pem, { limits: { maxExtensions: 4 } })).toHaveLength(1);
    const text = 'x\n' + root.pem;
    expectReadError(text, 'ERR_LIMIT_EXCEEDED', { line: 2, index: 0 }, { limits: { maxExtensions: 3 } });
    expectReadError(root.der, 'ERR_LIMIT_EXCEEDED', { source: 'r.der', index: 0 }, { limits: { maxExtensions: 3 } });
  });

  it('maxNameAttributes → ERR_LIMIT_EXCEEDED (subject or issuer)', async () => {
    const many = await makeCertificate({ key: 'p256', subject: 'CN=a, OU=b, OU=c, O=d, L=e, ST=f, C=US' });
    expect(readCertificates(many.pem, { limits: { maxNameAttributes: 7 } })).toHaveLength(1);
    expectReadError(many.pem, 'ERR_LIMIT_EXCEEDED', { line: 1, index: 0 }, { limits: { maxNameAttributes: 6 } });
    const issued = await makeCertificate({ key: 'p256', subject: 'CN=short', issuerName: 'CN=a, OU=b, OU=c, O=d, L=e, ST=f, C=US' });
    expectReadError(issued.der, 'ERR_LIMIT_EXCEEDED', { source: 'i.der', index: 0 }, { limits: { maxNameAttributes: 6 } });
  });

  it('maxSanEntries → ERR_LIMIT_EXCEEDED when subjectAltName is read', async () => {
    const names = Array.from({ length: 12 }, (_, i) => ({ dns: `host${i}.example.test` }));
    const cert = await makeCertificate({ key: 'p256', subjectAltName: names });
    const [entry] = scanCertificates(cert.pem, { source: SOURCE, limits: { maxSanEntries: 11 } }).certificates;
    expect(entry!.location).toEqual({ source: SOURCE, index: 0, line: 1 });
    const e = errorOf(() => entry!.certificate.subjectAltName);
    expect(e.code).toBe('ERR_LIMIT_EXCEEDED');
    const [roomy] = readCertificates(cert.pem, { limits: { maxSanEntries: 12 } });
    expect(roomy!.subjectAltName!.names).toHaveLength(12);
    expect(errorOf(() => readCertificates(cert.der, { limits: { maxSanEntries: 3 } })[0]!.subjectAltName).code).toBe('ERR_LIMIT_EXCEEDED');
  });
});
