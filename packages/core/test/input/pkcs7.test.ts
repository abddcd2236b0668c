// PKCS#7 / CMS certs-only bundles (input/pkcs7.ts, RFC 5652 §5.1): recognising a signedData
// ContentInfo from its first bytes (BER too), reading the certificates field as strict DER,
// skipping the CertificateChoices that are not certificates, and the errors (codes, offsets,
// messages, limits).

import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { DEFAULT_LIMITS, type Limits } from '../../src/limits.ts';
import { isPkcs7, readPkcs7Certificates } from '../../src/input/pkcs7.ts';
import { concat, explicit, indefinite, int, oid, seq, set, tlv } from '@graph-mtls/test/fixtures/der-builder.ts';
import { inputErrorOf } from '@graph-mtls/test/helpers.ts';

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const DATA = '1.2.840.113549.1.7.1';
/** Stand-ins for certificates: the reader takes any SEQUENCE as one. */
const certA = seq(int(1), int(2));
const certB = seq(int(3));
const certC = seq(seq(int(4)), int(5));

function signedData(certificates: readonly Uint8Array[] | undefined, ...extra: Uint8Array[]): Uint8Array {
  return seq(int(1), set(), seq(oid(DATA)), ...(certificates === undefined ? [] : [tlv(0xa0, ...certificates)]), ...extra);
}

function contentInfo(sd: Uint8Array, type = SIGNED_DATA): Uint8Array {
  return seq(oid(type), explicit(0, sd));
}

const limits = (over: Partial<Limits> = {}): Limits => ({ ...DEFAULT_LIMITS, ...over });
const read = (der: Uint8Array, over: Partial<Limits> = {}): Uint8Array[] => readPkcs7Certificates(der, limits(over));

describe('isPkcs7', () => {
  it('true for a ContentInfo of type signedData, with a short, long or indefinite outer length', () => {
    const p7 = contentInfo(signedData([certA]));
    expect(p7[1]! < 0x80).toBe(true);
    expect(isPkcs7(p7)).toBe(true);
    const long = contentInfo(signedData([new Uint8Array(200).fill(0), certA].map((x, i) => (i === 0 ? seq(x) : x))));
    expect(long[1]).toBe(0x81);
    expect(isPkcs7(long)).toBe(true);
    const longer = contentInfo(signedData([seq(new Uint8Array(300))]));
    expect(longer[1]).toBe(0x82);
    expect(isPkcs7(longer)).toBe(true);
    expect(isPkcs7(indefinite(0x30, oid(SIGNED_DATA), indefinite(0xa0, signedData([certA]))))).toBe(true);
    // Only the OID is looked at; what follows it is not.
    expect(isPkcs7(concat(Uint8Array.of(0x30, 0x0b), oid(SIGNED_DATA)))).toBe(true);
  });

  it('false for other content types, other tags, a certificate, short input', () => {
    expect(isPkcs7(contentInfo(signedData([certA]), DATA))).toBe(false);
    expect(isPkcs7(contentInfo(signedData([certA]), '1.2.840.113549.1.7.3'))).toBe(false);
    expect(isPkcs7(seq(int(1), oid(SIGNED_DATA)))).toBe(false);
    const p7 = contentInfo(signedData([certA]));
    expect(isPkcs7(concat(Uint8Array.of(0x31), p7.subarray(1)))).toBe(false);
    expect(isPkcs7(p7.subarray(0, 12))).toBe(false);
    expect(isPkcs7(p7.subarray(0, 13))).toBe(true);
    expect(isPkcs7(Uint8Array.of(0x30))).toBe(false);
    expect(isPkcs7(Uint8Array.of(0x30, 0x00))).toBe(false);
    expect(isPkcs7(new Uint8Array(0))).toBe(false);
    // Each byte of the OID's TLV matters, its tag and length included.
    for (let i = 2; i < 13; i++) {
      const changed = p7.slice();
      changed[i] = changed[i]! ^ 0x01;
      expect(isPkcs7(changed)).toBe(false);
    }
  });
});

describe('readPkcs7Certificates', () => {
  it('returns the certificates in order, as views into the input', () => {
    const p7 = contentInfo(signedData([certA, certB, certC]));
    const got = read(p7);
    expect(got).toEqual([certA, certB, certC]);
    expect(got[0]!.buffer).toBe(p7.buffer);
  });

  it('no certificates field, or an empty one: no certificates', () => {
    expect(read(contentInfo(signedData(undefined)))).toEqual([]);
    expect(read(contentInfo(signedData([])))).toEqual([]);
    expect(read(contentInfo(signedData(undefined, tlv(0xa1, seq()), set())))).toEqual([]);
  });

  it('skips CertificateChoices other than Certificate ([0]..[3]) and reads past the certificates (crls, signerInfos)', () => {
    const p7 = contentInfo(signedData([tlv(0xa1, int(1)), certA, tlv(0xa2, int(1)), tlv(0xa3, int(2)), certB], tlv(0xa1, seq()), set()));
    expect(read(p7)).toEqual([certA, certB]);
  });

  it('maxCertificates: exactly the limit is fine, one more → ERR_LIMIT_EXCEEDED (not wrapped)', () => {
    const p7 = contentInfo(signedData([certA, certB, certC]));
    expect(read(p7, { maxCertificates: 3 })).toHaveLength(3);
    const e = inputErrorOf(() => read(p7, { maxCertificates: 2 }));
    expect([e.code, e.reason]).toEqual(['ERR_LIMIT_EXCEEDED', 'PKCS#7: expected at most 2 certificates, received more']);
    expect(e.cause).toBeUndefined();
    expect(inputErrorOf(() => read(p7, { maxCertificates: 0 })).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(read(contentInfo(signedData([])), { maxCertificates: 0 })).toEqual([]);
  });

  it('another content type → ERR_PKCS7_UNSUPPORTED naming it', () => {
    const e = inputErrorOf(() => read(contentInfo(signedData([certA]), DATA)));
    expect([e.code, e.reason]).toEqual(['ERR_PKCS7_UNSUPPORTED', `PKCS#7: expected signedData (${SIGNED_DATA}), received content type ${DATA}`]);
    expect(e.cause).toBeUndefined();
  });

  it('BER (indefinite lengths) → ERR_PKCS7_UNSUPPORTED with the openssl hint, the offset and the DER error as cause', () => {
    const ber = indefinite(0x30, oid(SIGNED_DATA), indefinite(0xa0, signedData([certA])));
    const e = inputErrorOf(() => read(ber));
    expect(e.code).toBe('ERR_PKCS7_UNSUPPORTED');
    expect(e.reason).toBe(
      "PKCS#7: expected DER, received BER (ContentInfo: expected a definite length (DER), received the indefinite-length form (BER)); convert it with 'openssl pkcs7 -in FILE -print_certs'",
    );
    expect(e.offset).toBe(1);
    expect((e.cause as { code?: string } | undefined)?.code).toBe('ERR_DER_BER_ENCODING');
  });

  it('other DER problems → ERR_PKCS7_UNSUPPORTED "expected a certs-only SignedData", with the offset', () => {
    const cases: readonly (readonly [Uint8Array, string, number])[] = [
      [concat(contentInfo(signedData([certA])), Uint8Array.of(0)), 'ContentInfo: expected no more data, received 1 trailing bytes', 0],
      [seq(oid(SIGNED_DATA), explicit(0, signedData([certA])), int(0)), 'ContentInfo: expected no more data, received 3 trailing bytes', 0],
      [seq(oid(SIGNED_DATA), explicit(0, signedData([certA]), int(0))), 'ContentInfo.content: expected no more data, received 3 trailing bytes', 0],
      [seq(int(1)), 'ContentInfo.contentType: expected OBJECT IDENTIFIER (0x06), received INTEGER (0x02)', 2],
      [seq(oid(SIGNED_DATA)), 'ContentInfo.content: expected an element, received the end of its container', 13],
      [seq(oid(SIGNED_DATA), explicit(0, int(1))), 'SignedData: expected SEQUENCE (0x30), received INTEGER (0x02)', 15],
      [contentInfo(seq(set())), 'SignedData.version: expected INTEGER (0x02), received SET (0x31)', 17],
      [contentInfo(seq(int(1), seq())), 'SignedData.digestAlgorithms: expected SET (0x31), received SEQUENCE (0x30)', 20],
      [contentInfo(seq(int(1), set(), set())), 'SignedData.encapContentInfo: expected SEQUENCE (0x30), received SET (0x31)', 22],
      [contentInfo(seq(int(1), set())), 'SignedData.encapContentInfo: expected an element, received the end of its container', 22],
      [contentInfo(signedData([certA, Uint8Array.of(0x30, 0x05)])), 'SignedData.certificates[1]: expected 5 bytes of value, received 0', 0],
      [int(1), 'ContentInfo: expected SEQUENCE (0x30), received INTEGER (0x02)', 0],
      [seq(tlv(0x06), explicit(0, signedData([certA]))), 'ContentInfo.contentType: expected a non-empty OBJECT IDENTIFIER, received an empty one', 4],
      [contentInfo(seq(int(1), set(), seq(oid(DATA)), Uint8Array.of(0xa0, 0x05))), 'SignedData.certificates: expected 5 bytes of value, received 0', 0],
    ];
    for (const [der, inner, offset] of cases) {
      const e = inputErrorOf(() => read(der));
      expect(e.code).toBe('ERR_PKCS7_UNSUPPORTED');
      expect(e.reason).toBe(`PKCS#7: expected a certs-only SignedData, received ${inner}`);
      if (offset !== 0) expect(e.offset).toBe(offset);
      expect(e.cause).toBeInstanceOf(InputError);
    }
  });

  it('the offsets of wrapped errors are those of the DER error', () => {
    const p7 = concat(contentInfo(signedData([certA])), Uint8Array.of(0, 0));
    expect(inputErrorOf(() => read(p7)).offset).toBe(p7.length - 2);
    const bad = contentInfo(signedData([certA, Uint8Array.of(0x30, 0x05)]));
    expect(inputErrorOf(() => read(bad)).offset).toBe(bad.length);
  });

  it('uses the maxDepth limit', () => {
    const p7 = contentInfo(signedData([certA]));
    expect(read(p7, { maxDepth: 4 })).toEqual([certA]);
    const e = inputErrorOf(() => read(p7, { maxDepth: 3 }));
    expect(e.code).toBe('ERR_PKCS7_UNSUPPORTED');
    expect(e.reason).toBe('PKCS#7: expected a certs-only SignedData, received SignedData.certificates: expected nesting of at most 3 levels, received deeper');
  });
});
