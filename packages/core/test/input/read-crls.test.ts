// readCrls (input/read-crls.ts): CRLs from DER, PEM 'X509 CRL' blocks (several per text) and
// bare base64; each CRL and each problem with its place, one bad block never hiding the others;
// certificates, CSRs, public keys and PKCS#7 named as what they are; private keys refused
// without their content being decoded or shown; and the whole-input limits.

import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { readCrls, type CrlScanResult } from '../../src/input/read-crls.ts';
import { scanCertificates } from '../../src/input/read-certificates.ts';
import { getKey, makeRootCa, type GeneratedCertificate, type TestKey } from '@graph-mtls/test/fixtures/certificates.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';
import { buildCrl, type CrlSpec } from '@graph-mtls/test/fixtures/crl-builder.ts';
import { inputErrorOf } from '@graph-mtls/test/helpers.ts';

const SOURCE = 'issuing.crl';

let p256: TestKey;
let rsa: TestKey;
let root: GeneratedCertificate;

beforeAll(async () => {
  [p256, rsa] = await Promise.all([getKey('p256'), getKey('rsa2048')]);
  root = await makeRootCa({ key: 'p256', subject: 'CN=CRL Reader Root' });
});

function crl(serial: number, spec: Partial<CrlSpec> = {}): Uint8Array {
  return buildCrl({ signingKey: p256.privateKey, issuer: d.dn([['CN', `Issuer ${serial}`]]), revoked: [{ serial }], ...spec });
}

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

/** The codes and places of the problems, and the issuers and places of the CRLs. */
function summary(result: CrlScanResult): { crls: [string, number | undefined, number | undefined][]; problems: [string, number | undefined, number | undefined][] } {
  return {
    crls: result.crls.map(({ crl, location }) => [crl.issuerDn, location.index, location.line]),
    problems: result.problems.map(({ error, location }) => [error.code, location.index, location.line]),
  };
}

describe('readCrls: the forms a CRL comes in', () => {
  it('reads a DER CRL as bytes', () => {
    const der = crl(1);
    const { crls, problems } = readCrls(der, { source: SOURCE });
    expect(problems).toEqual([]);
    expect(crls).toHaveLength(1);
    expect(crls[0]!.format).toBe('der');
    expect(crls[0]!.location).toEqual({ source: SOURCE });
    expect(crls[0]!.crl.der).toEqual(der);
    expect(crls[0]!.crl.isRevoked(Uint8Array.of(1))?.serialNumberHex).toBe('01');
  });

  it('reads every X509 CRL block of a PEM text, as a string or as bytes, with its index and BEGIN line', () => {
    const text = `issued by the test CA\n${d.toPem(crl(1), 'X509 CRL')}\n${d.toPem(crl(2), 'X509 CRL', { eol: '\r\n' })}`;
    for (const input of [text, utf8(text), utf8(`\ufeff${text}`)]) {
      const result = readCrls(input, { source: SOURCE });
      expect(summary(result)).toEqual({ crls: [['CN=Issuer 1', 0, 2], ['CN=Issuer 2', 1, 2 + d.toPem(crl(1), 'X509 CRL').split('\n').length]], problems: [] });
      expect(result.crls.map((c) => c.format)).toEqual(['pem', 'pem']);
      expect(result.crls[0]!.location.source).toBe(SOURCE);
    }
  });

  it('reads bare base64 of a DER CRL, with or without line breaks', () => {
    const der = crl(3);
    const wrapped = b64(der).replace(/.{1,64}/g, '$&\n');
    for (const input of [b64(der), wrapped, utf8(wrapped)]) {
      const { crls, problems } = readCrls(input);
      expect(problems).toEqual([]);
      expect(crls.map((c) => [c.format, c.crl.issuerDn])).toEqual([['base64', 'CN=Issuer 3']]);
    }
  });

  it('reads a string as text, never as DER, even when it starts with 0', () => {
    // '0abc' is base64 of d1 a6 dc, which is then no CRL; as bytes, 0x30 would start DER.
    const { crls, problems } = readCrls('0abc');
    expect(crls).toEqual([]);
    expect(problems.map((p) => [p.error.code, p.error.reason])).toEqual([['ERR_NOT_A_CRL', 'certificateList: expected a DER SEQUENCE (0x30), received byte 0xd1']]);
  });
});

describe('readCrls: what is not a CRL', () => {
  it('a bad block between good ones is a problem at its place and hides none of them', () => {
    const good = (n: number): string => d.toPem(crl(n), 'X509 CRL');
    const text = [
      good(1),
      '-----BEGIN X509 CRL-----\nMIIB!!!!\n-----END X509 CRL-----\n',
      good(2),
      d.toPem(root.der, 'CERTIFICATE'),
      good(3),
      '-----BEGIN PRIVATE KEY-----\nnot base64 at all, and never decoded\n-----END PRIVATE KEY-----\n',
      d.toPem(d.seq(d.int(1)), 'X509 CRL'),
      d.toPem(crl(4), 'SOMETHING ELSE'),
      good(5),
      '-----BEGIN X509 CRL-----\nMIIB\n',
    ].join('');
    const lines = (upTo: number): number => 1 + text.split('-----BEGIN ').slice(0, upTo).join('-----BEGIN ').split('\n').length - 1;
    const result = readCrls(text, { source: SOURCE });
    expect(summary(result)).toEqual({
      crls: [['CN=Issuer 1', 0, lines(1)], ['CN=Issuer 2', 2, lines(3)], ['CN=Issuer 3', 4, lines(5)], ['CN=Issuer 5', 8, lines(9)]],
      problems: [
        ['ERR_BASE64_INVALID', 1, lines(2)],
        ['ERR_NOT_A_CRL', 3, lines(4)],
        ['ERR_PRIVATE_KEY', 5, lines(6)],
        ['ERR_DER_UNEXPECTED_TAG', 6, lines(7)],
        ['ERR_PEM_UNSUPPORTED_LABEL', 7, lines(8)],
        ['ERR_PEM_MALFORMED', 9, lines(10)],
      ],
    });
    const messages = result.problems.map((p) => p.error.message);
    expect(messages[0]).toMatch(new RegExp(`^${SOURCE}, line ${lines(2)}: `));
    expect(messages[1]).toBe(`${SOURCE}, line ${lines(4)}: PEM block 'CERTIFICATE' is a certificate, not a CRL`);
    expect(messages[2]).toBe(`${SOURCE}, line ${lines(6)}: PEM block 'PRIVATE KEY' is a private key, not a CRL; refused: the key's content is neither read nor shown`);
    expect(messages[4]).toBe(`${SOURCE}, line ${lines(8)}: PEM block: expected the label 'X509 CRL', received 'SOMETHING ELSE'`);
    // A malformed CRL keeps its own error and byte offset.
    expect(result.problems[3]!.error.offset).toBe(2);
  });

  it('a certificate is ERR_NOT_A_CRL in every form (v3 and v1, DER and base64)', async () => {
    const v1 = await makeRootCa({ key: 'p256', version: 1 });
    for (const input of [root.der, b64(root.der), v1.der]) {
      const { crls, problems } = readCrls(input, { source: SOURCE });
      expect(crls).toEqual([]);
      expect(problems.map((p) => [p.error.code, p.error.message])).toEqual([['ERR_NOT_A_CRL', `${SOURCE}: input is a certificate, not a CRL`]]);
    }
  });

  it('a private key is ERR_PRIVATE_KEY and nothing of it reaches the message', async () => {
    const keys: [Uint8Array, string][] = [
      [p256.pkcs8, 'a PKCS#8 private key'],
      [d.ecPrivateKeyDer(p256.privateKey), 'a SEC 1 EC private key'],
      [d.rsaPrivateKeyDer(rsa.privateKey), 'a PKCS#1 RSA private key'],
    ];
    for (const [der, what] of keys) {
      for (const input of [der, b64(der)]) {
        const { crls, problems } = readCrls(input, { source: SOURCE });
        expect(crls).toEqual([]);
        expect(problems).toHaveLength(1);
        const error = problems[0]!.error;
        expect(error.code).toBe('ERR_PRIVATE_KEY');
        expect(error.message).toBe(`${SOURCE}: input is ${what}, not a CRL; refused: the key's content is neither read nor shown`);
        expect(error.cause).toBeUndefined();
      }
    }
    const pem = readCrls(d.toPem(d.rsaPrivateKeyDer(rsa.privateKey), 'RSA PRIVATE KEY'));
    expect(pem.problems.map((p) => p.error.code)).toEqual(['ERR_PRIVATE_KEY']);
    expect(pem.problems[0]!.error.message).not.toMatch(/MII/);
  });

  it('a CSR, a bare public key and a PKCS#7 bundle are named as what they are', async () => {
    const csr = await d.makeCsr(root.keys);
    const bundle = d.makePkcs7([root.der]);
    const cases: [Uint8Array | string, string, string][] = [
      [csr.der, 'ERR_NOT_A_CRL', 'input is a certificate signing request (PKCS#10 CSR), not a CRL'],
      [csr.pem, 'ERR_NOT_A_CRL', "PEM block 'CERTIFICATE REQUEST' is a certificate signing request (PKCS#10 CSR), not a CRL"],
      [p256.spki, 'ERR_NOT_A_CRL', 'input is a bare public key (SubjectPublicKeyInfo), not a CRL'],
      [d.toPem(p256.spki, 'PUBLIC KEY'), 'ERR_NOT_A_CRL', "PEM block 'PUBLIC KEY' is a bare public key, not a CRL"],
      [bundle.der, 'ERR_PKCS7_UNSUPPORTED', 'input is a PKCS#7 bundle; CRLs are read from DER, base64 or PEM X509 CRL blocks, not from PKCS#7'],
      [bundle.pem, 'ERR_PKCS7_UNSUPPORTED', "PEM block 'PKCS7' is a PKCS#7 bundle; CRLs are read from DER, base64 or PEM X509 CRL blocks, not from PKCS#7"],
    ];
    for (const [input, code, reason] of cases) {
      const { crls, problems } = readCrls(input);
      expect(crls).toEqual([]);
      expect(problems.map((p) => [p.error.code, p.error.reason])).toEqual([[code, reason]]);
    }
  });

  it('a malformed DER CRL keeps its own code and byte offset, with the source', () => {
    const der = crl(1, { revoked: [{ serial: Uint8Array.of(0, 1) }] });
    const { problems } = readCrls(der, { source: SOURCE });
    expect(problems).toHaveLength(1);
    const error = problems[0]!.error;
    expect(error.code).toBe('ERR_DER_BER_ENCODING');
    expect(error.source).toBe(SOURCE);
    expect(der.subarray(error.offset!, error.offset! + 2)).toEqual(Uint8Array.of(0, 1));
    expect(error.message).toMatch(new RegExp(`^${SOURCE}, byte ${error.offset}: revokedCertificate.userCertificate: expected a minimally encoded INTEGER`));
  });

  it('empty input, binary data, JSON and text that is not base64 are each a problem that quotes nothing of the input', () => {
    const cases: [Uint8Array | string, string, string][] = [
      ['', 'ERR_INPUT_EMPTY', 'input: expected a CRL, received empty input'],
      [' \n\t', 'ERR_INPUT_EMPTY', 'input: expected a CRL, received empty input'],
      [Uint8Array.of(0x04, 0x01, 0x00, 0x05), 'ERR_NOT_A_CRL', 'input: expected PEM, DER or base64, received binary data that is not DER'],
      ['{"crl": "secret"}', 'ERR_NOT_A_CRL', 'input: expected PEM, DER or base64, received text that is none of these (first character outside base64 at line 1, column 1)'],
      ['QUJD\nsecret: hunter2', 'ERR_NOT_A_CRL', 'input: expected PEM, DER or base64, received text that is none of these (first character outside base64 at line 2, column 7)'],
      ['QUJDR', 'ERR_BASE64_INVALID', 'input: expected standard padded base64 (RFC 4648 §4), received length 5 is not a multiple of 4'],
      ['text before -----BEGIN X509 CRL----- on one line', 'ERR_PEM_NO_BLOCKS', "input: expected at least one '-----BEGIN X509 CRL-----' block, received none"],
    ];
    for (const [input, code, reason] of cases) {
      const { crls, problems } = readCrls(input, { source: SOURCE });
      expect(crls).toEqual([]);
      expect(problems.map((p) => [p.error.code, p.error.reason, p.location])).toEqual([[code, reason, { source: SOURCE }]]);
    }
  });

  it('the certificate reader still refuses a CRL, as ERR_CRL', () => {
    expect(scanCertificates(d.toPem(crl(1), 'X509 CRL')).problems.map((p) => p.error.code)).toEqual(['ERR_CRL']);
    expect(scanCertificates(crl(1)).problems.map((p) => p.error.code)).toEqual(['ERR_CRL']);
  });
});

describe('readCrls: limits', () => {
  it('an input over limits.maxInputBytes is refused as a whole', () => {
    const der = crl(1);
    expect(readCrls(der, { limits: { maxInputBytes: der.length } }).crls).toHaveLength(1);
    const e = inputErrorOf(() => readCrls(der, { source: SOURCE, limits: { maxInputBytes: der.length - 1 } }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.code).toBe('ERR_INPUT_TOO_LARGE');
    expect(e.source).toBe(SOURCE);
  });

  it('more PEM blocks than limits.maxCertificates is refused as a whole', () => {
    const text = [1, 2, 3].map((n) => d.toPem(crl(n), 'X509 CRL')).join('');
    expect(readCrls(text, { limits: { maxCertificates: 3 } }).crls).toHaveLength(3);
    const e = inputErrorOf(() => readCrls(text, { limits: { maxCertificates: 2 } }));
    expect(e.code).toBe('ERR_LIMIT_EXCEEDED');
    expect(e.line).toBe(1 + 2 * d.toPem(crl(1), 'X509 CRL').split('\n').length - 2);
  });

  it('maxRevokedEntries bounds each CRL: one past it is a problem, the others are read', () => {
    const text = d.toPem(crl(1, { revoked: [{ serial: 1 }, { serial: 2 }] }), 'X509 CRL') + d.toPem(crl(3), 'X509 CRL');
    const result = readCrls(text, { maxRevokedEntries: 1 });
    expect(summary(result).crls.map((c) => c[0])).toEqual(['CN=Issuer 3']);
    expect(result.problems.map((p) => p.error.code)).toEqual(['ERR_LIMIT_EXCEEDED']);
  });
});
