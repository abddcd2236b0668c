// Names read from DER (x509/name/decode.ts, RFC 5280 §4.1.2.4): every string type, malformed
// values refused with their place, names in generated certificates.

import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DerReader } from '../../../src/encoding/der.ts';
import { decodeName } from '../../../src/x509/name/decode.ts';
import { formatDotNet } from '../../../src/x509/name/dotnet.ts';
import { formatRfc4514 } from '../../../src/x509/name/rfc4514.ts';
import type { Name } from '../../../src/x509/name/types.ts';
import { bmp, concat, oid, tlv, universal, utf8 } from '@graph-mtls/test/fixtures/der-builder.ts';

import { codeOf } from '@graph-mtls/test/helpers.ts';
import { CN, SERIAL, C, ST, O, OU, DC, UID, EMAIL, UTF8, PRINTABLE, TELETEX, IA5, VISIBLE, NUMERIC, UNIVERSAL, BMP, ava, rdn, nameDer, decode, plain, hex } from './fixtures.ts';

describe('decodeName', () => {
  it('decodes a Name into RDNs in certificate order', () => {
    const der = nameDer(rdn(ava(C, 'US', PRINTABLE)), rdn(ava(O, 'Example')), rdn(ava(CN, 'Test')));
    const name = decode(der);
    expect(name.rdns).toHaveLength(3);
    expect(name.rdns.map((r) => r[0]!.type)).toEqual([C, O, CN]);
    expect(name.rdns.map((r) => r[0]!.value)).toEqual(['US', 'Example', 'Test']);
    expect(name.rdns[0]![0]!.valueTag).toBe(PRINTABLE);
    expect(name.rdns[1]![0]!.valueTag).toBe(UTF8);
    expect(hex(name.rdns[0]![0]!.valueDer)).toBe('13025553');
    expect(hex(name.der)).toBe(hex(der));
    expect(formatRfc4514(name)).toBe('CN=Test,O=Example,C=US');
  });

  it('reads only the next element and leaves the reader after it', () => {
    const der = nameDer(rdn(ava(CN, 'a')));
    const outer = concat(der, Uint8Array.of(0x05, 0x00));
    const reader = new DerReader(outer);
    const name = decodeName(reader, 'issuer', 8);
    expect(hex(name.der)).toBe(hex(der));
    expect(reader.pos).toBe(der.length);
    expect(reader.peek()).toBe(0x05);
  });

  it('decodes the empty Name', () => {
    const name = decode(nameDer());
    expect(name.rdns).toEqual([]);
    expect(formatRfc4514(name)).toBe('');
    expect(formatDotNet(name)).toBe('');
  });

  it('keeps multi-valued RDNs together, in encoded order', () => {
    const name = decode(nameDer(rdn(ava(O, 'Example')), rdn(ava(CN, 'John'), ava(UID, 'jsmith'))));
    expect(name.rdns[1]!.map((a) => a.type)).toEqual([CN, UID]);
    expect(formatRfc4514(name)).toBe('CN=John+UID=jsmith,O=Example');
  });

  it('decodes UTF8String text, keeping non-ASCII as characters', () => {
    for (const text of ['Ünïcødé', '東京都', '한국어', '😀 emoji 🎉', 'mixed ASCII ü 中 😀']) {
      const name = decode(nameDer(rdn(ava(CN, text))));
      expect(name.rdns[0]![0]!.value).toBe(text);
      expect(formatRfc4514(name)).toBe(`CN=${text}`);
    }
  });

  it('decodes PrintableString, IA5String, VisibleString and NumericString as ASCII', () => {
    const name = decode(
      nameDer(
        rdn(ava(C, 'US', PRINTABLE)),
        rdn(ava(DC, 'example', IA5)),
        rdn(ava(O, 'Visible Org', VISIBLE)),
        rdn(ava(SERIAL, '12345', NUMERIC)),
      ),
    );
    expect(name.rdns.map((r) => r[0]!.value)).toEqual(['US', 'example', 'Visible Org', '12345']);
    expect(name.rdns.map((r) => r[0]!.valueTag)).toEqual([PRINTABLE, IA5, VISIBLE, NUMERIC]);
  });

  it('decodes TeletexString as Latin-1', () => {
    const name = decode(nameDer(rdn(ava(CN, tlv(TELETEX, Uint8Array.of(0x43, 0x61, 0x66, 0xe9, 0x20, 0xfc))))));
    expect(name.rdns[0]![0]!.value).toBe('Café ü');
  });

  it('decodes BMPString as UTF-16BE, surrogate pairs included', () => {
    const name = decode(nameDer(rdn(ava(CN, bmp('Ünï東 😀')))));
    expect(name.rdns[0]![0]!.value).toBe('Ünï東 😀');
    expect(name.rdns[0]![0]!.valueTag).toBe(BMP);
  });

  it('decodes UniversalString as UTF-32BE', () => {
    const name = decode(nameDer(rdn(ava(CN, universal('Ωmega 😀 東')))));
    expect(name.rdns[0]![0]!.value).toBe('Ωmega 😀 東');
  });

  it('leaves value undefined for non-string types and keeps their TLV', () => {
    const octets = tlv(0x04, Uint8Array.of(1, 2, 3));
    const name = decode(nameDer(rdn(ava(CN, octets)), rdn(ava('1.2.3.4', tlv(0x02, Uint8Array.of(0x05))))));
    expect(name.rdns[0]![0]!).toMatchObject({ type: CN, valueTag: 0x04, value: undefined });
    expect(hex(name.rdns[0]![0]!.valueDer)).toBe('0403010203');
    expect(formatRfc4514(name)).toBe('1.2.3.4=#020105,CN=#0403010203');
  });

  it('refuses malformed string contents with ERR_DER_INVALID_VALUE', () => {
    const bad = [
      tlv(UTF8, Uint8Array.of(0xc3)), // truncated sequence
      tlv(UTF8, Uint8Array.of(0xc0, 0xaf)), // overlong
      tlv(UTF8, Uint8Array.of(0xed, 0xa0, 0x80)), // surrogate
      tlv(PRINTABLE, Uint8Array.of(0x41, 0x80)),
      tlv(IA5, Uint8Array.of(0xff)),
      tlv(VISIBLE, Uint8Array.of(0xc3, 0xbc)),
      tlv(NUMERIC, Uint8Array.of(0x31, 0x90)),
      tlv(BMP, Uint8Array.of(0x00, 0x41, 0x00)), // odd length
      tlv(BMP, Uint8Array.of(0xd8, 0x3d)), // lone high surrogate
      tlv(BMP, Uint8Array.of(0xde, 0x00, 0x00, 0x41)), // lone low surrogate
      tlv(UNIVERSAL, Uint8Array.of(0, 0, 0x41)), // not a multiple of 4
      tlv(UNIVERSAL, Uint8Array.of(0, 0x11, 0, 0)), // above U+10FFFF
      tlv(UNIVERSAL, Uint8Array.of(0, 0, 0xd8, 0)), // surrogate code point
    ];
    for (const value of bad) expect(codeOf(() => decode(nameDer(rdn(ava(CN, value)))))).toBe('ERR_DER_INVALID_VALUE');
  });

  it('refuses an empty RDN SET (SET SIZE (1..MAX)) with ERR_DER_SIZE_CONSTRAINT, a strictness lenient readers waive', () => {
    expect(codeOf(() => decode(nameDer(rdn(ava(C, 'US')), tlv(0x31))))).toBe('ERR_DER_SIZE_CONSTRAINT');
  });

  it('refuses bad structure with ERR_DER_* codes', () => {
    expect(codeOf(() => decode(tlv(0x31, rdn(ava(CN, 'x')))))).toBe('ERR_DER_UNEXPECTED_TAG'); // Name not a SEQUENCE
    expect(codeOf(() => decode(nameDer(tlv(0x30, ava(CN, 'x')))))).toBe('ERR_DER_UNEXPECTED_TAG'); // RDN not a SET
    expect(codeOf(() => decode(nameDer(rdn(tlv(0x30, utf8('x'), oid(CN))))))).toBe('ERR_DER_UNEXPECTED_TAG');
    expect(codeOf(() => decode(nameDer(rdn(tlv(0x30, oid(CN))))))).toBe('ERR_DER_TRUNCATED'); // no value
    expect(codeOf(() => decode(nameDer(rdn(tlv(0x30, oid(CN), utf8('x'), tlv(0x05))))))).toBe('ERR_DER_TRAILING_DATA');
    expect(codeOf(() => decode(Uint8Array.from([0x30, 0x05, 0x31, 0x03])))).toBe('ERR_DER_TRUNCATED');
    expect(codeOf(() => decode(Uint8Array.from([0x30, 0x80, 0x00, 0x00])))).toBe('ERR_DER_BER_ENCODING');
    expect(codeOf(() => decode(nameDer(rdn(tlv(0x30, tlv(0x06), utf8('x'))))))).toBe('ERR_DER_INVALID_VALUE');
  });

  it('enforces maxAttributes across all RDNs with ERR_LIMIT_EXCEEDED', () => {
    const der = nameDer(rdn(ava(C, 'US')), rdn(ava(CN, 'a'), ava(UID, 'b')));
    expect(decode(der, 3).rdns).toHaveLength(2);
    expect(codeOf(() => decode(der, 2))).toBe('ERR_LIMIT_EXCEEDED');
    expect(codeOf(() => decode(der, 0))).toBe('ERR_LIMIT_EXCEEDED');
  });
});

describe('names in generated certificates', () => {
  x509.cryptoProvider.set(globalThis.crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

  async function selfSigned(subject: Uint8Array): Promise<Uint8Array> {
    const keys = await globalThis.crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: new x509.Name(new Uint8Array(subject)),
      keys,
      signingAlgorithm: alg,
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2034-01-01T00:00:00Z'),
    });
    return new Uint8Array(cert.rawData);
  }

  /** tbsCertificate's issuer and subject, read with DerReader. */
  function namesOf(certDer: Uint8Array): { issuer: Name; subject: Name } {
    const tbs = new DerReader(certDer).enter(0x30, 'certificate').enter(0x30, 'tbsCertificate');
    tbs.optional(0xa0, 'version');
    tbs.expect(0x02, 'serialNumber');
    tbs.expect(0x30, 'signature');
    const issuer = decodeName(tbs, 'issuer', 128);
    tbs.expect(0x30, 'validity');
    const subject = decodeName(tbs, 'subject', 128);
    return { issuer, subject };
  }

  it('decodes the subject and issuer of a certificate, byte for byte', async () => {
    const subjectDer = nameDer(
      rdn(ava(C, 'US', PRINTABLE)),
      rdn(ava(ST, 'WA', PRINTABLE)),
      rdn(ava(O, 'Contoso, Ltd')),
      rdn(ava(CN, 'Device Ünï 東京'), ava(SERIAL, 'SN-1', PRINTABLE)),
      rdn(ava(EMAIL, 'dev@contoso.example', IA5)),
    );
    const der = await selfSigned(subjectDer);
    const { issuer, subject } = namesOf(der);
    expect(hex(subject.der)).toBe(hex(subjectDer));
    expect(hex(issuer.der)).toBe(hex(subjectDer));
    expect(formatRfc4514(subject)).toBe(
      'emailAddress=dev@contoso.example,CN=Device Ünï 東京+serialNumber=SN-1,O=Contoso\\, Ltd,ST=WA,C=US',
    );
    expect(formatDotNet(subject)).toBe('E=dev@contoso.example, CN=Device Ünï 東京 + SERIALNUMBER=SN-1, O="Contoso, Ltd", S=WA, C=US');
  });

  it("agrees with node's X509Certificate for plain names", async () => {
    const subjectDer = nameDer(rdn(ava(C, 'US', PRINTABLE)), rdn(ava(O, 'Example Org')), rdn(ava(OU, 'IoT')), rdn(ava(CN, 'device-01')));
    const der = await selfSigned(subjectDer);
    const nodeLines = new X509Certificate(der).subject.split('\n');
    expect(formatRfc4514(namesOf(der).subject)).toBe(nodeLines.reverse().join(','));
  });

  it('decodes BMPString and TeletexString values kept in a certificate', async () => {
    const subjectDer = nameDer(rdn(ava(O, tlv(TELETEX, Uint8Array.of(0x43, 0x61, 0x66, 0xe9)))), rdn(ava(CN, bmp('Ωmega'))));
    const der = await selfSigned(subjectDer);
    const { subject } = namesOf(der);
    expect(subject.rdns.map((r) => r[0]!.value)).toEqual(['Café', 'Ωmega']);
    expect(subject.rdns.map((r) => r[0]!.valueTag)).toEqual([TELETEX, BMP]);
  });
});
