// lint(), summarize() and inputFinding() (lint.ts): every block of a bundle reported with its
// place, private-key content never echoed, whole-input limits.

import { describe, expect, it } from 'vitest';
import { inputFinding, type Finding } from '../src/checks/finding.ts';
import type { RuleCode } from '../src/checks/rules.ts';
import { GRAPH_CERTIFICATE_ERROR } from '../src/checks/graph-errors.ts';
import { createWebCryptoVerifier } from '../src/checks/verify-signature.ts';
import { InputError, type InputErrorCode } from '../src/errors.ts';
import { lint, summarize, type LintReport } from '../src/lint.ts';
import {
  getKey,
  makeCrl,
  makeCsr,
  makeDeviceCert,
  makeIntermediateCa,
  makePkcs7,
  makeRootCa,
  pkcs8Der,
  toPem,
  type CertificateOptions,
  type GeneratedCertificate,
  type HashName,
  type KeyKind,
} from '@graph-mtls/test/fixtures/certificates.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';

import { NOW } from '@graph-mtls/test/clock.ts';

const NOT_BEFORE = new Date(Date.UTC(2024, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2034, 0, 1));
const CRL_URL = 'http://crl.example.test/ca.crl';

const verifier = createWebCryptoVerifier(globalThis.crypto.subtle);

function root(opts: CertificateOptions = {}): Promise<GeneratedCertificate> {
  return makeRootCa({ key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER, crlDistributionPoints: [CRL_URL], ...opts });
}

function codes(findings: readonly Finding[]): RuleCode[] {
  return [...new Set(findings.map((f) => f.code))].sort();
}

interface KeyCase {
  readonly name: string;
  readonly key: KeyKind;
  readonly hash?: HashName;
  readonly pss?: boolean | { readonly saltLength: number };
}

function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  expect(at).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split('\n').length;
}

describe('lint() on a mixed PEM bundle', () => {
  async function bundle(): Promise<{ text: string; keyBody: string; first: GeneratedCertificate; second: GeneratedCertificate }> {
    const first = await root();
    const r = await root({ key: 'rsa2048' });
    const second = await makeIntermediateCa(r, { key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
    const keyPem = toPem(pkcs8Der((await getKey('rsa2048')).privateKey), 'PRIVATE KEY');
    const csrPem = (await makeCsr((await getKey('p256')).webCrypto!)).pem;
    const garbage = '-----BEGIN CERTIFICATE-----\nMIIB!!not*base64@@\n-----END CERTIFICATE-----\n';
    const text = ['Bag Attributes: ignored text\n', first.pem, '\n', keyPem, 'some notes\n', csrPem, garbage, second.pem].join('');
    // A distinctive piece of the key's base64 body, from its middle.
    const body = keyPem.split('\n').slice(1, -2).join('');
    return { text, keyBody: body.slice(400, 440), first, second };
  }

  it('reports both certificates with their index and line, and one input finding per bad block', async () => {
    const { text, first, second } = await bundle();
    const report = await lint(text, { now: NOW, verifier, source: 'bundle.pem' });

    const beginLines: number[] = [];
    let from = 0;
    for (;;) {
      const at = text.indexOf('-----BEGIN ', from);
      if (at < 0) break;
      beginLines.push(text.slice(0, at).split('\n').length);
      from = at + 1;
    }
    expect(beginLines).toHaveLength(5);

    expect(report.certificates).toHaveLength(2);
    expect(report.certificates.map((c) => c.location)).toEqual([
      { source: 'bundle.pem', index: 0, line: beginLines[0] },
      { source: 'bundle.pem', index: 4, line: beginLines[4] },
    ]);
    expect(report.certificates.map((c) => c.format)).toEqual(['pem', 'pem']);
    expect(report.certificates[0]!.certificate.der).toEqual(first.der);
    expect(report.certificates[1]!.certificate.der).toEqual(second.der);
    expect(report.certificates.map((c) => c.isRootAuthority)).toEqual([true, false]);
    expect(report.certificates.map((c) => c.findings)).toEqual([[], []]);

    expect(report.inputs.map((i) => i.location)).toEqual([
      { source: 'bundle.pem', index: 1, line: beginLines[1] },
      { source: 'bundle.pem', index: 2, line: beginLines[2] },
      { source: 'bundle.pem', index: 3, line: beginLines[3] },
    ]);
    expect(report.inputs.map((i) => i.findings.map((f) => [f.code, f.errorCode]))).toEqual([
      [['INPUT_PRIVATE_KEY', 'ERR_PRIVATE_KEY']],
      [['INPUT_NOT_A_CERTIFICATE', 'ERR_CSR']],
      [['INPUT_UNREADABLE', 'ERR_BASE64_INVALID']],
    ]);
    for (const input of report.inputs) {
      for (const f of input.findings) {
        expect(f.severity).toBe('error');
        expect(f.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
        expect(f.location).toEqual(input.location);
      }
    }
  });

  it('never shows the private key body', async () => {
    const { text, keyBody } = await bundle();
    expect(text).toContain(keyBody);
    const report = await lint(text, { now: NOW, verifier });
    expect(JSON.stringify(report)).not.toContain(keyBody);
    expect(JSON.stringify(report.inputs)).not.toContain(keyBody.slice(0, 16));
    for (const input of report.inputs) for (const f of input.findings) expect(f.message).not.toContain(keyBody.slice(0, 12));
  });

  it.each([
    ['PRIVATE KEY', async () => pkcs8Der((await getKey('p384')).privateKey)],
    ['RSA PRIVATE KEY', async () => d.rsaPrivateKeyDer((await getKey('rsa2048')).privateKey)],
    ['EC PRIVATE KEY', async () => d.ecPrivateKeyDer((await getKey('p256')).privateKey)],
    ['ENCRYPTED PRIVATE KEY', async () => pkcs8Der((await getKey('ed25519')).privateKey)],
  ] as const)("a '%s' block is refused without echoing it, in PEM, DER and base64", async (label, der) => {
    const bytes = await der();
    const b64 = Buffer.from(bytes).toString('base64');
    const distinctive = b64.slice(Math.floor(b64.length / 2) - 12, Math.floor(b64.length / 2) + 12);
    for (const input of [toPem(bytes, label), bytes, b64]) {
      const report = await lint(input, { now: NOW });
      expect(report.certificates).toEqual([]);
      expect(report.inputs.flatMap((i) => i.findings.map((f) => f.code))).toEqual(['INPUT_PRIVATE_KEY']);
      expect(JSON.stringify(report)).not.toContain(distinctive);
    }
  });

  it('a private key block whose body is broken is still refused as a key', async () => {
    const report = await lint('-----BEGIN PRIVATE KEY-----\nMIIE***secret-material***\n-----END PRIVATE KEY-----\n', { now: NOW });
    expect(report.inputs.flatMap((i) => i.findings.map((f) => [f.code, f.errorCode]))).toEqual([['INPUT_PRIVATE_KEY', 'ERR_PRIVATE_KEY']]);
    expect(JSON.stringify(report)).not.toContain('secret-material');
  });

  it('certificate findings carry the certificate location', async () => {
    const weak = await root({ key: 'rsa1024', serialNumber: 0 });
    const good = await root();
    const report = await lint(good.pem + weak.pem, { now: NOW, source: 'two.pem' });
    expect(report.certificates[0]!.findings).toEqual([]);
    const findings = report.certificates[1]!.findings;
    expect(codes(findings)).toEqual(['CERT_SERIAL_NOT_POSITIVE', 'KEY_RSA_TOO_SMALL']);
    for (const f of findings) expect(f.location).toEqual({ source: 'two.pem', index: 1, line: good.pem.split('\n').length });
  });
});

describe('lint() inputs', () => {
  it('DER, bare base64 and PKCS#7 inputs', async () => {
    const r = await root();
    const i = await makeIntermediateCa(r, { key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER });

    const der = await lint(r.der, { now: NOW, source: 'ca.cer' });
    expect(der.certificates.map((c) => [c.format, c.location])).toEqual([['der', { source: 'ca.cer', index: 0 }]]);

    const b64 = await lint(Buffer.from(r.der).toString('base64'), { now: NOW });
    expect(b64.certificates.map((c) => c.format)).toEqual(['base64']);

    const p7 = makePkcs7([r.der, i.der]);
    const p7der = await lint(p7.der, { now: NOW });
    expect(p7der.certificates.map((c) => [c.format, c.location.index])).toEqual([['pkcs7-der', 0], ['pkcs7-der', 1]]);
    const p7pem = await lint(p7.pem, { now: NOW });
    expect(p7pem.certificates.map((c) => [c.format, c.location.index, c.location.line])).toEqual([['pkcs7-pem', 0, 1], ['pkcs7-pem', 1, 1]]);
    for (const report of [der, b64, p7der, p7pem]) {
      expect(report.inputs).toEqual([]);
      for (const c of report.certificates) expect(c.findings).toEqual([]);
    }
  });

  it('a CSR, a CRL and a public key are not certificates', async () => {
    const key = await getKey('p256');
    const csr = await makeCsr(key.webCrypto!);
    const crl = await makeCrl(key.webCrypto!.privateKey);
    for (const [input, errorCode] of [
      [csr.pem, 'ERR_CSR'],
      [csr.der, 'ERR_CSR'],
      [crl.pem, 'ERR_CRL'],
      [crl.der, 'ERR_CRL'],
      [toPem(key.spki, 'PUBLIC KEY'), 'ERR_PUBLIC_KEY'],
      [key.spki, 'ERR_PUBLIC_KEY'],
    ] as const) {
      const report = await lint(input, { now: NOW });
      expect(report.certificates).toEqual([]);
      expect(report.inputs.flatMap((i) => i.findings.map((f) => [f.code, f.errorCode]))).toEqual([['INPUT_NOT_A_CERTIFICATE', errorCode]]);
    }
  });

  it('a problem with the whole input becomes one input finding', async () => {
    const r = await root();
    const tooLarge = await lint(r.pem, { now: NOW, source: 'big.pem', limits: { maxInputBytes: 100 } });
    expect(tooLarge.certificates).toEqual([]);
    expect(tooLarge.inputs).toHaveLength(1);
    expect(tooLarge.inputs[0]!.location.source).toBe('big.pem');
    expect(tooLarge.inputs[0]!.findings.map((f) => [f.code, f.errorCode])).toEqual([['INPUT_UNREADABLE', 'ERR_INPUT_TOO_LARGE']]);

    const tooMany = await lint(r.pem + r.pem + r.pem, { now: NOW, limits: { maxCertificates: 2 } });
    expect(tooMany.certificates).toEqual([]);
    expect(tooMany.inputs.flatMap((i) => i.findings.map((f) => [f.code, f.errorCode]))).toEqual([['INPUT_UNREADABLE', 'ERR_LIMIT_EXCEEDED']]);
  });

  it('empty input, text and binary junk', async () => {
    for (const [input, code, errorCode] of [
      ['', 'INPUT_NOT_A_CERTIFICATE', 'ERR_INPUT_EMPTY'],
      ['   \n', 'INPUT_NOT_A_CERTIFICATE', 'ERR_INPUT_EMPTY'],
      ['not a certificate!', 'INPUT_NOT_A_CERTIFICATE', 'ERR_NOT_A_CERTIFICATE'],
      ['not a certificate', 'INPUT_UNREADABLE', 'ERR_BASE64_INVALID'],
      [Uint8Array.of(0x00, 0x01, 0x02, 0xff), 'INPUT_NOT_A_CERTIFICATE', 'ERR_NOT_A_CERTIFICATE'],
      ['QUJD', 'INPUT_NOT_A_CERTIFICATE', 'ERR_NOT_A_CERTIFICATE'],
      ['MAMCAQ==', 'INPUT_UNREADABLE', undefined],
    ] as const) {
      const report = await lint(input, { now: NOW });
      const found = report.inputs.flatMap((i) => i.findings);
      expect(found.map((f) => f.code), String(input)).toEqual([code]);
      if (errorCode !== undefined) expect(found[0]!.errorCode).toBe(errorCode);
      else expect(found[0]!.errorCode).toMatch(/^ERR_/);
    }
  });

  it('CA_SELF_ISSUED_NOT_SELF_SIGNED (a notice, no 400) only for the altered root of a bundle, which becomes an intermediate', async () => {
    const good = await root();
    const other = await root({ key: 'rsa2048' });
    const i = await makeIntermediateCa(other, { key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
    const text = [good.der, d.tamperSignature(other.der), d.tamperSignature(i.der)].map((der) => toPem(der)).join('');
    const report = await lint(text, { now: NOW, verifier });
    expect(report.certificates.map((c) => [c.selfIssued, c.selfSignature, c.isRootAuthority])).toEqual([
      [true, 'valid', true],
      [true, 'invalid', false],
      [false, 'not-verified', false],
    ]);
    expect(report.certificates.map((c) => codes(c.findings))).toEqual([[], ['CA_SELF_ISSUED_NOT_SELF_SIGNED'], []]);
    const bad = report.certificates[1]!.findings[0]!;
    expect(bad).toMatchObject({ severity: 'notice', ref: 'signatureValue', location: report.certificates[1]!.location });
    expect(bad).not.toHaveProperty('graphError');
    // The good root has another name: its key is not tried.
    expect(bad.message).toMatch(/no self-issued CA read before it in this run has a key that verifies it$/);

    const unverified = await lint(text, { now: NOW });
    expect(unverified.certificates.map((c) => codes(c.findings))).toEqual([[], [], []]);
    expect(unverified.certificates.map((c) => c.selfSignature)).toEqual(['not-verified', 'not-verified', 'not-verified']);
  });

  it('the device role checks device rules and skips CA_SELF_ISSUED_NOT_SELF_SIGNED', async () => {
    const r = await root();
    const dev = await makeDeviceCert(r, { key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER, extendedKeyUsage: ['serverAuth'] });
    const report = await lint(dev.pem + toPem(d.tamperSignature(r.der)), { now: NOW, verifier, role: 'device', parameter: 'tls_client_auth_san_dns' });
    expect(report.certificates.map((c) => codes(c.findings))).toEqual([
      ['DEVICE_EKU_NO_CLIENT_AUTH', 'DEVICE_IDENTITY_MISSING'],
      ['DEVICE_IDENTITY_MISSING', 'DEVICE_IS_CA', 'DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE'],
    ]);
    expect(report.certificates[1]!.selfSignature).toBe('invalid');
  });

  it('findings within a certificate are sorted errors first', async () => {
    const r = await root({ key: 'rsa1024', keyUsage: ['keyCertSign'], basicConstraints: { ca: false } });
    const report = await lint(d.tamperSignature(r.der), { now: new Date(NOT_AFTER.getTime() + 1), verifier });
    const severities = report.certificates[0]!.findings.map((f) => f.severity);
    expect(severities).toEqual([...severities].sort((a, b) => ['error', 'warning', 'notice'].indexOf(a) - ['error', 'warning', 'notice'].indexOf(b)));
    expect(codes(report.certificates[0]!.findings)).toEqual([
      'CA_BASIC_CONSTRAINTS_NOT_CA',
      'CA_KEY_USAGE_NO_CRL_SIGN',
      'CA_SELF_ISSUED_NOT_SELF_SIGNED',
      'CERT_EXPIRED',
      'KEY_RSA_TOO_SMALL',
    ]);
  });

  it('rejects an invalid now like checkCertificate', async () => {
    const r = await root();
    await expect(lint(r.pem, { now: new Date(NaN) })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('inputFinding', () => {
  const MAPPING: readonly [InputErrorCode, string][] = [
    ['ERR_PRIVATE_KEY', 'INPUT_PRIVATE_KEY'],
    ['ERR_CSR', 'INPUT_NOT_A_CERTIFICATE'],
    ['ERR_CRL', 'INPUT_NOT_A_CERTIFICATE'],
    ['ERR_PUBLIC_KEY', 'INPUT_NOT_A_CERTIFICATE'],
    ['ERR_TRUSTED_CERTIFICATE', 'INPUT_NOT_A_CERTIFICATE'],
    ['ERR_NOT_A_CERTIFICATE', 'INPUT_NOT_A_CERTIFICATE'],
    ['ERR_PEM_NO_BLOCKS', 'INPUT_NOT_A_CERTIFICATE'],
    ['ERR_PEM_UNSUPPORTED_LABEL', 'INPUT_NOT_A_CERTIFICATE'],
    ['ERR_INPUT_EMPTY', 'INPUT_NOT_A_CERTIFICATE'],
    ['ERR_DER_TRUNCATED', 'INPUT_UNREADABLE'],
    ['ERR_DER_TRAILING_DATA', 'INPUT_UNREADABLE'],
    ['ERR_DER_BER_ENCODING', 'INPUT_NOT_STRICT_DER'],
    ['ERR_DER_SIZE_CONSTRAINT', 'INPUT_NOT_STRICT_DER'],
    ['ERR_BASE64_INVALID', 'INPUT_UNREADABLE'],
    ['ERR_PEM_MALFORMED', 'INPUT_UNREADABLE'],
    ['ERR_INPUT_TOO_LARGE', 'INPUT_UNREADABLE'],
    ['ERR_LIMIT_EXCEEDED', 'INPUT_UNREADABLE'],
    ['ERR_PKCS7_UNSUPPORTED', 'INPUT_UNREADABLE'],
  ];

  it.each(MAPPING)('%s → %s', (errorCode, code) => {
    const location = { source: 'x.pem', index: 2, line: 7 };
    const f = inputFinding(new InputError(errorCode, 'input: expected a thing, received another'), location);
    expect(f).toMatchObject({ code, severity: 'error', errorCode, location });
    // Strict DER that lenient readers accept predicts no 400.
    if (code === 'INPUT_NOT_STRICT_DER') expect(f).not.toHaveProperty('graphError');
    else expect(f.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
  });
});

describe('summarize', () => {
  it('counts certificates and findings by severity over several reports', async () => {
    const good = await root();
    const warned = await root({ basicConstraints: { ca: true, critical: false }, keyUsage: ['keyCertSign'] });
    const a = await lint(good.pem + warned.pem, { now: NOW });
    const b = await lint(toPem(pkcs8Der((await getKey('p256')).privateKey), 'PRIVATE KEY') + good.pem, { now: new Date(NOT_AFTER.getTime() + 1) });
    expect(codes(a.certificates[1]!.findings)).toEqual(['CA_BASIC_CONSTRAINTS_NOT_CRITICAL', 'CA_KEY_USAGE_NO_CRL_SIGN']);
    expect(codes(b.certificates[0]!.findings)).toEqual(['CERT_EXPIRED']);
    expect(summarize([a])).toEqual({ certificates: 2, errors: 0, warnings: 1, notices: 1 });
    expect(summarize([b])).toEqual({ certificates: 1, errors: 2, warnings: 0, notices: 0 });
    expect(summarize([a, b])).toEqual({ certificates: 3, errors: 2, warnings: 1, notices: 1 });
  });

  it('is all zero for no reports', () => {
    const none: LintReport[] = [];
    expect(summarize(none)).toEqual({ certificates: 0, errors: 0, warnings: 0, notices: 0 });
  });
});
