// The CRL view (x509/crl.ts, RFC 5280 §5): the CertificateList fields read in one strict pass,
// revoked entries looked up by serial (exact DER INTEGER content), entry and CRL extensions
// decoded when first read (a malformed one throws then, naming it), the bounds a hostile CRL
// meets, DER strictness errors with their codes and offsets, and a field-by-field comparison
// with @peculiar/x509's X509Crl on CRLs its generator wrote.

import 'reflect-metadata';
import { verify } from 'node:crypto';
import * as asn1X509 from '@peculiar/asn1-x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, InputError } from '../../src/errors.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { DEFAULT_MAX_REVOKED_ENTRIES, parseCrl, type CertificateList } from '../../src/x509/crl.ts';
import { getKey, makeRootCa, type KeyKind, type TestKey } from '@graph-mtls/test/fixtures/certificates.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';
import {
  CRL_OIDS,
  buildCrl,
  buildTbsCertList,
  crlNumberValue,
  idpUris,
  issuingDistributionPointValue,
  reasonCodeValue,
  revokedEntry,
  seqOf,
  type CrlSpec,
  type RevokedSpec,
} from '@graph-mtls/test/fixtures/crl-builder.ts';
import { errorOf, inputErrorOf } from '@graph-mtls/test/helpers.ts';

const JAN_2024 = Date.UTC(2024, 0, 1);
const JAN_2034 = Date.UTC(2034, 0, 1);

let p256: TestKey;
let rsa: TestKey;
let ed25519: TestKey;

beforeAll(async () => {
  [p256, rsa, ed25519] = await Promise.all([getKey('p256'), getKey('rsa2048'), getKey('ed25519')]);
});

function crl(spec: Partial<CrlSpec> = {}): Uint8Array {
  return buildCrl({ signingKey: p256.privateKey, ...spec });
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
/** Where `needle` starts in `haystack` (fails the test when it is not there). */
function offsetOf(haystack: Uint8Array, needle: Uint8Array): number {
  const at = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle));
  expect(at).toBeGreaterThanOrEqual(0);
  return at;
}

describe('parseCrl: the CertificateList fields', () => {
  it('reads a CRL written by @peculiar/x509, each field as its DER says, and the signature verifies over tbs', async () => {
    const made = await d.makeCrl(p256.webCrypto!.privateKey, 'CN=Issuing CA, O=graph-mtls tests', ['01', '0a']);
    const c = parseCrl(made.der);
    expect(c.der).toBe(made.der);
    expect(c.version).toBe(2);
    expect(c.issuerDn).toBe('O=graph-mtls tests,CN=Issuing CA');
    expect(hex(c.issuer.der)).toBe(hex(new Uint8Array(new x509.X509Crl(d.ab(made.der)).issuerName.toArrayBuffer())));
    expect([c.thisUpdateTime, c.nextUpdateTime]).toEqual([JAN_2024, JAN_2034]);
    expect([c.thisUpdateEncoding, c.nextUpdateEncoding]).toEqual(['utcTime', 'utcTime']);
    expect(c.signatureAlgorithm.name).toBe('ecdsaWithSHA256');
    expect(c.tbsSignatureAlgorithm).toBe(c.signatureAlgorithm);
    expect(c.revokedCount).toBe(2);
    expect([...c.entries()].map((e) => e.serialNumberHex)).toEqual(['01', '0a']);
    // tbs is the first element of the CertificateList, and a view of der.
    const outer = d.readTlv(made.der);
    expect(c.tbs.byteOffset - made.der.byteOffset).toBe(outer.contentStart);
    expect(c.tbs.buffer).toBe(made.der.buffer);
    expect(verify('sha256', c.tbs, p256.publicKey, c.signature)).toBe(true);
  });

  it('hands out the real signature over tbs for RSA, ECDSA and Ed25519 issuers', () => {
    for (const [key, hash] of [[p256, 'sha256'], [rsa, 'sha256'], [ed25519, null]] as const) {
      const c = parseCrl(buildCrl({ signingKey: key.privateKey, revoked: [{ serial: 7 }] }));
      expect(verify(hash, c.tbs, key.publicKey, c.signature)).toBe(true);
      expect(verify(hash, c.tbs.slice(1), key.publicKey, c.signature)).toBe(false);
    }
    expect(parseCrl(buildCrl({ signingKey: rsa.privateKey })).signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
    expect(parseCrl(buildCrl({ signingKey: ed25519.privateKey })).signatureAlgorithm.name).toBe('Ed25519');
  });

  it('reads a v1 CRL (version absent) with neither entries nor extensions', () => {
    const c = parseCrl(crl({ version: null }));
    expect(c.version).toBe(1);
    expect(c.revokedCount).toBe(0);
    expect([...c.entries()]).toEqual([]);
    expect(c.isRevoked(Uint8Array.of(1))).toBeUndefined();
    expect(c.extensions).toEqual([]);
    expect([c.authorityKeyIdentifier, c.crlNumber, c.baseCrlNumber, c.issuingDistributionPoint, c.freshestCrl]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(c.isDelta).toBe(false);
    expect([c.unknownCriticalExtensions, c.unknownCriticalEntryExtensions, c.duplicateExtensions]).toEqual([[], [], []]);
    expect(c.hasCertificateIssuerEntries).toBe(false);
  });

  it('reads a v1 CRL whose entries carry no extensions', () => {
    const c = parseCrl(crl({ version: null, revoked: [{ serial: 1 }, { serial: 2 }] }));
    expect(c.version).toBe(1);
    expect(c.isRevoked(Uint8Array.of(2))?.extensions).toEqual([]);
  });

  it('reads GeneralizedTime times and an absent nextUpdate', () => {
    const c = parseCrl(crl({ thisUpdate: new Date(Date.UTC(2051, 5, 30, 12, 0, 1)), nextUpdate: null }));
    expect(c.thisUpdateTime).toBe(Date.UTC(2051, 5, 30, 12, 0, 1));
    expect(c.thisUpdateEncoding).toBe('generalizedTime');
    expect(c.nextUpdateTime).toBeUndefined();
    expect(c.nextUpdateEncoding).toBeUndefined();
    // GeneralizedTime before 2050 is read, and its encoding said, as the certificate view does.
    const early = parseCrl(crl({ nextUpdate: d.genTime(new Date(Date.UTC(2030, 0, 1))) }));
    expect([early.nextUpdateTime, early.nextUpdateEncoding]).toEqual([Date.UTC(2030, 0, 1), 'generalizedTime']);
    // UTCTime years 50 to 99 are 19xx (RFC 5280 §5.1.2.4).
    expect(parseCrl(crl({ thisUpdate: d.utcTime('500101000000Z') })).thisUpdateTime).toBe(Date.UTC(1950, 0, 1));
  });

  it('reads an empty revokedCertificates SEQUENCE, which RFC 5280 §5.1.2.6 says to leave out, as no entries', () => {
    const c = parseCrl(crl({ revoked: d.seq() }));
    expect(c.revokedCount).toBe(0);
    expect(c.isRevoked(Uint8Array.of(1))).toBeUndefined();
  });

  it('reads an empty crlEntryExtensions SEQUENCE, as @peculiar/x509 writes one, as no extensions', () => {
    const c = parseCrl(crl({ revoked: [{ serial: 3, rawExtensions: d.seq() }] }));
    expect(c.isRevoked(Uint8Array.of(3))?.extensions).toEqual([]);
  });
});

describe('revoked entries', () => {
  it('each entry has its serial (bytes and hex), revocation time, reason, invalidity date and extensions', () => {
    const c = parseCrl(
      crl({
        revoked: [
          { serial: 0x1234, date: new Date(Date.UTC(2024, 2, 3, 4, 5, 6)), reason: 1, invalidity: new Date(Date.UTC(2024, 2, 1)) },
          { serial: 0x80, date: d.genTime(new Date(Date.UTC(2051, 0, 1))) },
        ],
      }),
    );
    const [first, second] = [...c.entries()];
    expect(hex(first!.serialNumber)).toBe('1234');
    expect(first!.serialNumberHex).toBe('1234');
    expect(first!.revocationTime).toBe(Date.UTC(2024, 2, 3, 4, 5, 6));
    expect([first!.reasonCode, first!.reason]).toEqual([1, 'keyCompromise']);
    expect(first!.invalidityTime).toBe(Date.UTC(2024, 2, 1));
    expect(first!.extensions.map((e) => [e.oid, e.critical])).toEqual([[CRL_OIDS.reasonCode, false], [CRL_OIDS.invalidityDate, false]]);
    expect(first!.extension(CRL_OIDS.invalidityDate)?.value).toEqual(d.genTime(new Date(Date.UTC(2024, 2, 1))));
    expect(first!.hasCertificateIssuer).toBe(false);
    expect(second!.serialNumberHex).toBe('0080');
    expect(second!.revocationTime).toBe(Date.UTC(2051, 0, 1));
    expect([second!.reasonCode, second!.reason, second!.invalidityTime]).toEqual([undefined, undefined, undefined]);
  });

  it('names every CRLReason value of RFC 5280 §5.3.1', () => {
    const codes = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10];
    const c = parseCrl(crl({ revoked: codes.map((reason, i) => ({ serial: i + 1, reason })) }));
    expect([...c.entries()].map((e) => [e.reasonCode, e.reason])).toEqual([
      [0, 'unspecified'],
      [1, 'keyCompromise'],
      [2, 'cACompromise'],
      [3, 'affiliationChanged'],
      [4, 'superseded'],
      [5, 'cessationOfOperation'],
      [6, 'certificateHold'],
      [8, 'removeFromCRL'],
      [9, 'privilegeWithdrawn'],
      [10, 'aACompromise'],
    ]);
  });

  it('an entry with certificateIssuer is marked, and so is the CRL (indirect, RFC 5280 §5.3.3)', () => {
    const other = d.gnDirectoryName(d.dn([['CN', 'Other CA']]));
    const c = parseCrl(crl({ revoked: [{ serial: 1 }, { serial: 2, certificateIssuer: [other] }, { serial: 3 }] }));
    expect(c.hasCertificateIssuerEntries).toBe(true);
    expect([...c.entries()].map((e) => e.hasCertificateIssuer)).toEqual([false, true, false]);
    expect(c.isRevoked(Uint8Array.of(2))?.extension(CRL_OIDS.certificateIssuer)?.critical).toBe(true);
    expect(c.unknownCriticalEntryExtensions).toEqual([]);
    expect(parseCrl(crl({ revoked: [{ serial: 1, reason: 4 }] })).hasCertificateIssuerEntries).toBe(false);
  });

  it('lists critical entry extensions outside RFC 5280 §5.3, per entry and for the whole CRL', () => {
    const c = parseCrl(
      crl({
        revoked: [
          { serial: 1, extensions: [{ oid: '1.2.3.4', critical: true, value: d.nul() }, { oid: '1.2.3.5', value: d.nul() }] },
          { serial: 2, reason: 1, extensions: [{ oid: '1.2.3.6', critical: true, value: d.nul() }, { oid: '1.2.3.4', critical: true, value: d.nul() }] },
          // RFC 5280 §5.3 entry extensions marked critical are known, not listed.
          { serial: 3, extensions: [{ oid: CRL_OIDS.reasonCode, critical: true, value: reasonCodeValue(0) }, { oid: CRL_OIDS.invalidityDate, critical: true, value: d.genTime(new Date(JAN_2024)) }] },
        ],
      }),
    );
    expect(c.unknownCriticalEntryExtensions).toEqual(['1.2.3.4', '1.2.3.6']);
    expect([...c.entries()].map((e) => e.unknownCriticalExtensions)).toEqual([['1.2.3.4'], ['1.2.3.6', '1.2.3.4'], []]);
  });

  it('a malformed entry extension is no error until it is read, and then names it', () => {
    const cases: [RevokedSpec['extensions'], 'reasonCode' | 'invalidityTime', string][] = [
      [[{ oid: CRL_OIDS.reasonCode, value: reasonCodeValue(7) }], 'reasonCode', 'ERR_DER_INVALID_VALUE'],
      [[{ oid: CRL_OIDS.reasonCode, value: reasonCodeValue(11) }], 'reasonCode', 'ERR_DER_INVALID_VALUE'],
      [[{ oid: CRL_OIDS.reasonCode, value: reasonCodeValue(-1) }], 'reasonCode', 'ERR_DER_INVALID_VALUE'],
      [[{ oid: CRL_OIDS.reasonCode, value: reasonCodeValue(Uint8Array.of(0, 1)) }], 'reasonCode', 'ERR_DER_BER_ENCODING'],
      [[{ oid: CRL_OIDS.reasonCode, value: d.int(1) }], 'reasonCode', 'ERR_DER_UNEXPECTED_TAG'],
      [[{ oid: CRL_OIDS.reasonCode, value: d.concat(reasonCodeValue(1), d.nul()) }], 'reasonCode', 'ERR_DER_TRAILING_DATA'],
      [[{ oid: CRL_OIDS.invalidityDate, value: d.utcTime(new Date(JAN_2024)) }], 'invalidityTime', 'ERR_DER_UNEXPECTED_TAG'],
    ];
    for (const [extensions, field, code] of cases) {
      const c = parseCrl(crl({ revoked: [{ serial: 9, extensions }] }));
      const entry = c.isRevoked(Uint8Array.of(9))!;
      expect(entry.serialNumberHex).toBe('09');
      const e = inputErrorOf(() => entry[field]);
      expect(e.code).toBe(code);
      expect(e.reason).toMatch(field === 'reasonCode' ? /^reasonCode: expected .+, received/ : /^invalidityDate: expected .+, received/);
      expect(e.offset).toBeUndefined();
      if (field === 'reasonCode') expect(inputErrorOf(() => entry.reason).code).toBe(code);
    }
  });
});

describe('isRevoked', () => {
  it('finds each listed serial and no other', () => {
    const serials = [1, 2, 0x7f, 0x80, 0xff, 0x1_0000, 2n ** 159n + 12345n];
    const c = parseCrl(crl({ revoked: serials.map((serial) => ({ serial })) }));
    for (const s of serials) expect(c.isRevoked(d.integerContent(s))?.serialNumberHex).toBe(hex(d.integerContent(s)));
    for (const s of [0, 3, 0x7e, 0x100, 2n ** 159n]) expect(c.isRevoked(d.integerContent(s))).toBeUndefined();
  });

  it('finds a certificate by its serialNumber as the certificate view reads it', async () => {
    const device = await makeRootCa({ key: 'p256', serialNumber: '8f00aa' });
    const serial = parseCertificate(device.der).serialNumber;
    expect(hex(serial)).toBe('008f00aa');
    const c = parseCrl(crl({ revoked: [{ serial: 5 }, { serial }] }));
    expect(c.isRevoked(serial)?.serialNumberHex).toBe('008f00aa');
    expect(c.isRevoked(parseCertificate((await makeRootCa({ key: 'p256', serialNumber: '8f00ab' })).der).serialNumber)).toBeUndefined();
  });

  it('compares INTEGER content bytes: 00 80 (128) and 80 (-128) are different serials', () => {
    const c = parseCrl(crl({ revoked: [{ serial: 128, reason: 1 }, { serial: -128, reason: 2 }] }));
    expect(c.isRevoked(bytes('0080'))?.reason).toBe('keyCompromise');
    expect(c.isRevoked(bytes('80'))?.reason).toBe('cACompromise');
  });

  it('refuses a serial that is no DER INTEGER content (empty, or with a redundant leading byte such as 00 01)', () => {
    const c = parseCrl(crl({ revoked: [{ serial: 1 }] }));
    for (const bad of ['', '0001', '007f', 'ff80', 'ffff']) {
      const e = errorOf(() => c.isRevoked(bytes(bad)));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.code).toBe('ERR_INVALID_ARGUMENT');
      expect(e.message).toMatch(/^serial: expected the content bytes of a DER INTEGER .+, received/);
    }
    // 00 80 and ff 7f are minimal (128 and -129).
    expect(c.isRevoked(bytes('0080'))).toBeUndefined();
    expect(c.isRevoked(bytes('ff7f'))).toBeUndefined();
  });

  it('gives the first entry of a serial listed twice', () => {
    const c = parseCrl(crl({ revoked: [{ serial: 5, reason: 4 }, { serial: 6 }, { serial: 5, reason: 1 }] }));
    expect(c.revokedCount).toBe(3);
    expect(c.isRevoked(Uint8Array.of(5))?.reason).toBe('superseded');
  });

  it('gives the same answers on every call', () => {
    const c = parseCrl(crl({ revoked: [{ serial: 5, reason: 4 }] }));
    expect(c.isRevoked(Uint8Array.of(5))?.reason).toBe('superseded');
    expect(c.isRevoked(Uint8Array.of(6))).toBeUndefined();
    expect(c.isRevoked(Uint8Array.of(5))?.reason).toBe('superseded');
  });
});

describe('CRL extensions', () => {
  it('reads authorityKeyIdentifier, cRLNumber and freshestCRL, each when first read', () => {
    const c = parseCrl(
      crl({
        extensions: [
          { oid: CRL_OIDS.authorityKeyIdentifier, value: d.authorityKeyIdentifierValue({ keyIdentifier: p256.keyId }) },
          { oid: CRL_OIDS.crlNumber, value: crlNumberValue(42) },
          { oid: CRL_OIDS.freshestCrl, value: d.crlDistributionPointsValue(['http://crl.example/delta.crl']) },
        ],
      }),
    );
    expect(c.extensions.map((e) => e.oid)).toEqual([CRL_OIDS.authorityKeyIdentifier, CRL_OIDS.crlNumber, CRL_OIDS.freshestCrl]);
    expect(c.authorityKeyIdentifier?.keyIdentifier).toEqual(p256.keyId);
    expect(c.crlNumber).toBe(42n);
    expect(c.freshestCrl?.urls).toEqual(['http://crl.example/delta.crl']);
    expect(c.isDelta).toBe(false);
    expect(c.baseCrlNumber).toBeUndefined();
  });

  it('reads cRLNumber up to 20 octets (RFC 5280 §5.2.3), 0 included', () => {
    const max = 2n ** 160n - 1n;
    expect(parseCrl(crl({ extensions: [{ oid: CRL_OIDS.crlNumber, value: crlNumberValue(max) }] })).crlNumber).toBe(max);
    expect(parseCrl(crl({ extensions: [{ oid: CRL_OIDS.crlNumber, value: crlNumberValue(0) }] })).crlNumber).toBe(0n);
  });

  it('a malformed cRLNumber or deltaCRLIndicator is an error when read, naming the extension', () => {
    const cases: [string, Uint8Array, string][] = [
      [CRL_OIDS.crlNumber, crlNumberValue(-1), 'ERR_DER_INVALID_VALUE'],
      [CRL_OIDS.crlNumber, crlNumberValue(2n ** 160n), 'ERR_DER_INVALID_VALUE'],
      [CRL_OIDS.crlNumber, crlNumberValue(Uint8Array.of(0, 5)), 'ERR_DER_BER_ENCODING'],
      [CRL_OIDS.crlNumber, d.octet(Uint8Array.of(5)), 'ERR_DER_UNEXPECTED_TAG'],
      [CRL_OIDS.deltaCrlIndicator, crlNumberValue(-5), 'ERR_DER_INVALID_VALUE'],
    ];
    for (const [oid, value, code] of cases) {
      const c = parseCrl(crl({ extensions: [{ oid, critical: true, value }] }));
      const e = inputErrorOf(() => (oid === CRL_OIDS.crlNumber ? c.crlNumber : c.baseCrlNumber));
      expect(e.code).toBe(code);
      expect(e.reason).toMatch(oid === CRL_OIDS.crlNumber ? /^cRLNumber: CRLNumber: expected .+, received/ : /^deltaCRLIndicator: CRLNumber: expected .+, received/);
      expect(e.offset).toBeUndefined();
    }
  });

  it('a delta CRL has deltaCRLIndicator and its BaseCRLNumber (RFC 5280 §5.2.4)', () => {
    const c = parseCrl(crl({ extensions: [{ oid: CRL_OIDS.crlNumber, value: crlNumberValue(43) }, { oid: CRL_OIDS.deltaCrlIndicator, critical: true, value: crlNumberValue(40) }] }));
    expect(c.isDelta).toBe(true);
    expect(c.baseCrlNumber).toBe(40n);
    expect(c.crlNumber).toBe(43n);
    expect(c.unknownCriticalExtensions).toEqual([]);
  });

  it('reads every field of issuingDistributionPoint (RFC 5280 §5.2.5)', () => {
    const all = issuingDistributionPointValue({
      fullName: [d.gnUri('http://crl.example/a.crl'), d.gnDns('crl.example'), d.gnUri('ldap://dir.example/cn=CA')],
      onlyContainsUserCerts: true,
      onlySomeReasons: [1, 2, 8],
      indirectCrl: true,
    });
    const c = parseCrl(crl({ extensions: [{ oid: CRL_OIDS.issuingDistributionPoint, critical: true, value: all }] }));
    expect(c.issuingDistributionPoint).toEqual({
      critical: true,
      fullName: [
        { type: 'uri', value: 'http://crl.example/a.crl' },
        { type: 'dns', value: 'crl.example' },
        { type: 'uri', value: 'ldap://dir.example/cn=CA' },
      ],
      urls: ['http://crl.example/a.crl', 'ldap://dir.example/cn=CA'],
      onlyContainsUserCerts: true,
      onlyContainsCACerts: false,
      onlySomeReasons: ['keyCompromise', 'cACompromise', 'aACompromise'],
      indirectCrl: true,
      onlyContainsAttributeCerts: false,
    });
    expect(c.unknownCriticalExtensions).toEqual([]);

    const ca = parseCrl(crl({ extensions: [{ oid: CRL_OIDS.issuingDistributionPoint, critical: true, value: issuingDistributionPointValue({ onlyContainsCACerts: true }) }] }));
    expect(ca.issuingDistributionPoint).toEqual({ critical: true, urls: [], onlyContainsUserCerts: false, onlyContainsCACerts: true, indirectCrl: false, onlyContainsAttributeCerts: false });
    const attributes = parseCrl(crl({ extensions: [{ oid: CRL_OIDS.issuingDistributionPoint, value: issuingDistributionPointValue({ onlyContainsAttributeCerts: true }) }] }));
    expect(attributes.issuingDistributionPoint).toMatchObject({ critical: false, onlyContainsAttributeCerts: true, onlyContainsUserCerts: false });
    const rdn = d.set(d.atv(['CN', 'Partition 1']));
    const relative = parseCrl(crl({ extensions: [{ oid: CRL_OIDS.issuingDistributionPoint, value: issuingDistributionPointValue({ relativeName: rdn.subarray(2) }) }] }));
    expect(relative.issuingDistributionPoint?.relativeName).toEqual(d.tlv(0xa1, rdn.subarray(2)));
    expect(relative.issuingDistributionPoint?.fullName).toBeUndefined();
    expect(parseCrl(crl({ extensions: [{ oid: CRL_OIDS.issuingDistributionPoint, value: idpUris('http://a.example/x.crl') }] })).issuingDistributionPoint?.urls).toEqual(['http://a.example/x.crl']);
  });

  it('a malformed issuingDistributionPoint is an error when read, naming the field', () => {
    const cases: [Uint8Array, string, RegExp][] = [
      [seqOf([d.context(1, Uint8Array.of(0x01))]), 'ERR_DER_BER_ENCODING', /^issuingDistributionPoint\.onlyContainsUserCerts: expected BOOLEAN 0x00 or 0xFF/],
      [seqOf([d.context(3, Uint8Array.of(6, 0x00, 0x40))]), 'ERR_DER_INVALID_VALUE', /^issuingDistributionPoint\.onlySomeReasons: expected ReasonFlags bits 0 to 8 .+, received bit 9/],
      [seqOf([d.context(4, Uint8Array.of(0xff)), d.context(1, Uint8Array.of(0xff))]), 'ERR_DER_TRAILING_DATA', /^issuingDistributionPoint: expected no more data/],
      [seqOf([d.explicit(0, d.tlv(0xa2, d.nul()))]), 'ERR_DER_UNEXPECTED_TAG', /^issuingDistributionPoint\.nameRelativeToCRLIssuer: expected \[1\] constructed/],
      [d.octet(Uint8Array.of(1)), 'ERR_DER_UNEXPECTED_TAG', /^issuingDistributionPoint: expected SEQUENCE/],
    ];
    for (const [value, code, reason] of cases) {
      const c = parseCrl(crl({ extensions: [{ oid: CRL_OIDS.issuingDistributionPoint, critical: true, value }] }));
      const e = inputErrorOf(() => c.issuingDistributionPoint);
      expect(e.code).toBe(code);
      expect(e.reason).toMatch(reason);
    }
    const freshest = parseCrl(crl({ extensions: [{ oid: CRL_OIDS.freshestCrl, value: d.int(1) }] }));
    expect(inputErrorOf(() => freshest.freshestCrl).reason).toMatch(/^freshestCRL: cRLDistributionPoints: expected SEQUENCE/);
  });

  it('lists the OIDs of critical CRL extensions it does not decode (RFC 5280 §5.2), and repeated ones', () => {
    const c = parseCrl(
      crl({
        extensions: [
          { oid: CRL_OIDS.crlNumber, critical: true, value: crlNumberValue(1) },
          { oid: '1.2.3.4', critical: true, value: d.nul() },
          { oid: '1.2.3.5', value: d.nul() },
          { oid: CRL_OIDS.issuerAltName, critical: true, value: d.seq(d.gnDns('ca.example')) },
          { oid: CRL_OIDS.crlNumber, value: crlNumberValue(2) },
        ],
      }),
    );
    expect(c.unknownCriticalExtensions).toEqual(['1.2.3.4', CRL_OIDS.issuerAltName]);
    expect(c.duplicateExtensions).toEqual([CRL_OIDS.crlNumber]);
    expect(c.crlNumber).toBe(1n);
    expect(c.extension('1.2.3.5')?.critical).toBe(false);
    expect(c.extension('1.2.3.6')).toBeUndefined();
  });

  it('reads an explicit critical FALSE (DEFAULT, which DER leaves out) and says so, as the certificate view does', () => {
    const c = parseCrl(crl({ extensions: [{ oid: CRL_OIDS.crlNumber, value: crlNumberValue(1), encodeCriticalFalse: true }] }));
    expect(c.extension(CRL_OIDS.crlNumber)).toMatchObject({ critical: false, defaultEncoded: true });
  });
});

describe('limits', () => {
  it('reads a CRL of 100,000 entries and finds every serial in it', () => {
    const n = 100_000;
    const entries: Uint8Array[] = [];
    for (let i = 1; i <= n; i++) entries.push(revokedEntry(i % 10 === 0 ? { serial: i, reason: 1 } : { serial: i }));
    const c = parseCrl(crl({ revoked: seqOf(entries) }));
    expect(c.revokedCount).toBe(n);
    let found = 0;
    for (let i = 1; i <= n; i++) {
      const entry = c.isRevoked(d.integerContent(i));
      if (entry?.serialNumberHex === hex(d.integerContent(i)) && entry.reasonCode === (i % 10 === 0 ? 1 : undefined)) found++;
    }
    expect(found).toBe(n);
    expect(c.isRevoked(d.integerContent(0))).toBeUndefined();
    expect(c.isRevoked(d.integerContent(n + 1))).toBeUndefined();
    let listed = 0;
    for (const entry of c.entries()) if (entry.revocationTime === JAN_2024) listed++;
    expect(listed).toBe(n);
  });

  it('more entries than maxRevokedEntries is ERR_LIMIT_EXCEEDED at the first entry past the bound', () => {
    const revoked = Array.from({ length: 10 }, (_, i) => ({ serial: i + 1 }));
    const der = crl({ revoked });
    expect(parseCrl(der, { maxRevokedEntries: 10 }).revokedCount).toBe(10);
    const e = inputErrorOf(() => parseCrl(der, { maxRevokedEntries: 9 }));
    expect(e.code).toBe('ERR_LIMIT_EXCEEDED');
    expect(e.reason).toBe('tbsCertList.revokedCertificates: expected at most 9 entries, received more');
    expect(e.offset).toBe(offsetOf(der, revokedEntry({ serial: 10 })));
    expect(DEFAULT_MAX_REVOKED_ENTRIES).toBe(1_000_000);
  });

  it('a CRL over limits.maxInputBytes is ERR_LIMIT_EXCEEDED before anything is read', () => {
    const der = crl({ revoked: [{ serial: 1 }] });
    expect(parseCrl(der, { limits: { maxInputBytes: der.length } }).revokedCount).toBe(1);
    const e = inputErrorOf(() => parseCrl(der, { limits: { maxInputBytes: der.length - 1 } }));
    expect(e.code).toBe('ERR_LIMIT_EXCEEDED');
    expect(e.reason).toBe(`certificateList: expected at most ${der.length - 1} bytes, received ${der.length}`);
  });

  it('more CRL or entry extensions than limits.maxExtensions is ERR_LIMIT_EXCEEDED', () => {
    const three = [1, 2, 3].map((i) => ({ oid: `1.2.3.${i}`, value: d.nul() }));
    expect(inputErrorOf(() => parseCrl(crl({ extensions: three }), { limits: { maxExtensions: 2 } })).code).toBe('ERR_LIMIT_EXCEEDED');
    const entries = crl({ revoked: [{ serial: 1, extensions: three }] });
    expect(inputErrorOf(() => parseCrl(entries, { limits: { maxExtensions: 2 } })).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(parseCrl(entries, { limits: { maxExtensions: 3 } }).isRevoked(Uint8Array.of(1))?.extensions).toHaveLength(3);
  });

  it('nesting deeper than limits.maxDepth is ERR_DER_TOO_DEEP', () => {
    const der = crl({ revoked: [{ serial: 1, reason: 1 }] });
    expect(inputErrorOf(() => parseCrl(der, { limits: { maxDepth: 3 } })).code).toBe('ERR_DER_TOO_DEEP');
  });
});

describe('strict DER: what is refused, with its code and byte offset', () => {
  interface Case {
    readonly name: string;
    readonly der: () => Uint8Array;
    readonly code: string;
    /** The offset the error must carry, from the DER. */
    readonly offset: (der: Uint8Array) => number;
  }
  const tbsStart = (der: Uint8Array): number => d.readTlv(der).contentStart;
  const tbsFirst = (der: Uint8Array): number => d.readTlv(der, tbsStart(der)).contentStart;
  const resign = (tbs: Uint8Array): Uint8Array => d.signCertificate(tbs, p256.privateKey);
  const tbsWith = (extra: Partial<CrlSpec>): Uint8Array => buildTbsCertList({ signingKey: p256.privateKey, ...extra });

  const cases: Case[] = [
    { name: 'not a SEQUENCE', der: () => d.int(1), code: 'ERR_NOT_A_CRL', offset: () => 0 },
    { name: 'empty input', der: () => new Uint8Array(0), code: 'ERR_NOT_A_CRL', offset: () => 0 },
    { name: 'a version written as v1 (INTEGER 0): version is absent or v2', der: () => crl({ version: 1 }), code: 'ERR_NOT_A_CRL', offset: (der) => tbsFirst(der) + 2 },
    { name: 'version v3', der: () => crl({ version: 3 }), code: 'ERR_NOT_A_CRL', offset: (der) => tbsFirst(der) + 2 },
    { name: 'v1 with CRL extensions', der: () => crl({ version: null, extensions: [{ oid: CRL_OIDS.crlNumber, value: crlNumberValue(1) }] }), code: 'ERR_NOT_A_CRL', offset: tbsStart },
    { name: 'v1 with entry extensions', der: () => crl({ version: null, revoked: [{ serial: 1, reason: 1 }] }), code: 'ERR_NOT_A_CRL', offset: tbsStart },
    { name: 'a length with a leading zero byte (BER)', der: () => d.berLength(crl(), 3), code: 'ERR_DER_BER_ENCODING', offset: () => 2 },
    { name: 'an indefinite length (BER)', der: () => d.toIndefinite(crl()), code: 'ERR_DER_BER_ENCODING', offset: () => 1 },
    { name: 'an indefinite-length tbsCertList (BER)', der: () => resign(d.toIndefinite(tbsWith({}))), code: 'ERR_DER_BER_ENCODING', offset: (der) => tbsStart(der) + 1 },
    {
      name: 'a long-form length inside an entry (BER)',
      der: () => crl({ revoked: d.seq(d.seq(d.berTlv(0x02, Uint8Array.of(0x35), 1), d.utcTime(new Date(JAN_2024)))) }),
      code: 'ERR_DER_BER_ENCODING',
      offset: (der) => offsetOf(der, Uint8Array.of(0x02, 0x81, 0x01, 0x35)) + 1,
    },
    { name: 'a serial with a redundant leading 00 (non-minimal INTEGER)', der: () => crl({ revoked: [{ serial: Uint8Array.of(0, 0x35) }] }), code: 'ERR_DER_BER_ENCODING', offset: (der) => offsetOf(der, Uint8Array.of(0x02, 0x02, 0x00, 0x35)) + 2 },
    { name: 'an empty serial INTEGER', der: () => crl({ revoked: [{ serial: new Uint8Array(0) }] }), code: 'ERR_DER_INVALID_VALUE', offset: (der) => offsetOf(der, Uint8Array.of(0x02, 0x00, 0x17)) + 2 },
    { name: 'a revocationDate without seconds', der: () => crl({ revoked: [{ serial: 1, date: d.utcTime('2401010000Z') }] }), code: 'ERR_DER_INVALID_VALUE', offset: (der) => offsetOf(der, d.utcTime('2401010000Z')) + 2 },
    { name: 'a revocationDate that is no time', der: () => crl({ revoked: [{ serial: 1, date: d.int(5) }] }), code: 'ERR_DER_UNEXPECTED_TAG', offset: (der) => offsetOf(der, Uint8Array.of(0x02, 0x01, 0x01, 0x02, 0x01, 0x05)) + 3 },
    { name: 'a thisUpdate with fractional seconds', der: () => crl({ thisUpdate: d.genTime('20240101000000.5Z') }), code: 'ERR_DER_INVALID_VALUE', offset: (der) => offsetOf(der, d.genTime('20240101000000.5Z')) + 2 },
    { name: 'crlEntryExtensions that is no SEQUENCE', der: () => crl({ revoked: [{ serial: 1, rawExtensions: d.int(0) }] }), code: 'ERR_DER_UNEXPECTED_TAG', offset: (der) => offsetOf(der, d.int(0)) },
    {
      name: 'a fourth element in an entry',
      der: () => crl({ revoked: d.seq(d.seq(d.int(1), d.utcTime(new Date(JAN_2024)), d.seq(d.extension({ oid: CRL_OIDS.reasonCode, value: reasonCodeValue(1) })), d.nul())) }),
      code: 'ERR_DER_TRAILING_DATA',
      offset: (der) => offsetOf(der, Uint8Array.of(0x0a, 0x01, 0x01, 0x05, 0x00)) + 3,
    },
    { name: 'an empty crlExtensions SEQUENCE (SIZE (1..MAX))', der: () => crl({ extensions: [] }), code: 'ERR_DER_SIZE_CONSTRAINT', offset: (der) => offsetOf(der, Uint8Array.of(0xa0, 0x02, 0x30, 0x00)) + 4 },
    {
      name: 'critical as BOOLEAN 0x01 (BER)',
      der: () => crl({ extensions: d.explicit(0, d.seq(d.seq(d.oid(CRL_OIDS.crlNumber), d.bool(0x01), d.octet(crlNumberValue(1))))) }),
      code: 'ERR_DER_BER_ENCODING',
      offset: (der) => offsetOf(der, d.bool(0x01)) + 2,
    },
    {
      name: 'an extnValue as a constructed OCTET STRING (BER)',
      der: () => crl({ extensions: d.explicit(0, d.seq(d.seq(d.oid(CRL_OIDS.crlNumber), d.tlv(0x24, d.octet(crlNumberValue(1)))))) }),
      code: 'ERR_DER_BER_ENCODING',
      offset: (der) => offsetOf(der, d.tlv(0x24, d.octet(crlNumberValue(1)))),
    },
    { name: 'an empty RDN in the issuer', der: () => crl({ issuer: d.seq(d.tlv(0x31)) }), code: 'ERR_DER_SIZE_CONSTRAINT', offset: (der) => offsetOf(der, Uint8Array.of(0x30, 0x02, 0x31, 0x00)) + 2 },
    { name: 'revokedCertificates as a SET', der: () => crl({ revoked: d.tlv(0x31, revokedEntry({ serial: 1 })) }), code: 'ERR_DER_TRAILING_DATA', offset: (der) => offsetOf(der, d.tlv(0x31, revokedEntry({ serial: 1 }))) },
    { name: 'bytes after the CertificateList', der: () => d.concat(crl(), Uint8Array.of(0, 0)), code: 'ERR_DER_TRAILING_DATA', offset: (der) => der.length - 2 },
    { name: 'an element after the extensions in tbsCertList', der: () => crl({ trailing: d.int(7) }), code: 'ERR_DER_TRAILING_DATA', offset: (der) => offsetOf(der, d.int(7)) },
    { name: 'an element after the signature', der: () => crl({ sign: { trailing: d.int(7) } }), code: 'ERR_DER_TRAILING_DATA', offset: (der) => der.length - 3 },
    { name: 'a truncated CRL', der: () => crl().subarray(0, 100), code: 'ERR_DER_TRUNCATED', offset: (der) => d.readTlv(der).contentStart },
    {
      name: 'a signature BIT STRING with set unused bits',
      der: () => d.seq(tbsWith({}), d.signatureAlgorithmId(p256.privateKey), d.bits(Uint8Array.of(0x01), 1)),
      code: 'ERR_DER_BER_ENCODING',
      offset: (der) => der.length - 1,
    },
    { name: 'no signature', der: () => d.seq(tbsWith({}), d.signatureAlgorithmId(p256.privateKey)), code: 'ERR_DER_TRUNCATED', offset: (der) => der.length },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const der = c.der();
    const e = inputErrorOf(() => parseCrl(der));
    expect(e.code).toBe(c.code);
    expect(e.offset).toBe(c.offset(der));
    expect(e.reason).toMatch(/^[\w.]+(?: [\w ]+)?: expected .+, received/);
  });

  it('a certificate is refused at its [0] version field, as a certificate', async () => {
    const root = await makeRootCa({ key: 'p256' });
    const e = inputErrorOf(() => parseCrl(root.der));
    expect(e.code).toBe('ERR_NOT_A_CRL');
    expect(e.reason).toMatch(/received the \[0\] version field of a TBSCertificate \(a certificate\)$/);
    expect(e.offset).toBe(tbsFirst(root.der));
  });
});

describe('hostile input', () => {
  it('every truncation and every single-byte change of a CRL is read or refused with an InputError, lazily read fields included', () => {
    const der = crl({
      revoked: [{ serial: 1, reason: 1, invalidity: new Date(JAN_2024) }, { serial: 0x80, certificateIssuer: [d.gnDns('ca.example')] }],
      extensions: [
        { oid: CRL_OIDS.authorityKeyIdentifier, value: d.authorityKeyIdentifierValue({ keyIdentifier: Uint8Array.of(1, 2, 3) }) },
        { oid: CRL_OIDS.crlNumber, value: crlNumberValue(7) },
        { oid: CRL_OIDS.issuingDistributionPoint, critical: true, value: issuingDistributionPointValue({ fullName: [d.gnUri('http://x.example/a.crl')], onlySomeReasons: [1] }) },
        { oid: CRL_OIDS.freshestCrl, value: d.crlDistributionPointsValue(['http://x.example/d.crl']) },
      ],
    });
    const variants: Uint8Array[] = [];
    for (let i = 0; i < der.length; i++) {
      variants.push(der.subarray(0, i));
      for (const b of [0x00, 0x80, 0xff, der[i]! ^ 0x01]) {
        const changed = Uint8Array.from(der);
        changed[i] = b;
        variants.push(changed);
      }
    }
    let read = 0;
    for (const v of variants) {
      const outcome = (fn: () => unknown): void => {
        try {
          fn();
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      };
      outcome(() => {
        const c = parseCrl(v);
        read++;
        for (const field of ['issuerDn', 'authorityKeyIdentifier', 'crlNumber', 'baseCrlNumber', 'issuingDistributionPoint', 'freshestCrl'] as const) outcome(() => c[field]);
        for (const entry of c.entries()) for (const field of ['reasonCode', 'invalidityTime'] as const) outcome(() => entry[field]);
        expect(c.isRevoked(Uint8Array.of(1))?.serialNumberHex ?? '01').toBe('01');
      });
    }
    // Some changes (in the signature, in names) leave a readable CRL.
    expect(read).toBeGreaterThan(0);
  });
});

describe('differential: every field as @peculiar/x509 reads it', () => {
  x509.cryptoProvider.set(globalThis.crypto);
  const KINDS: readonly KeyKind[] = ['p256', 'p384', 'rsa2048', 'ed25519'];
  const REASONS = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10];
  let generated: { der: Uint8Array; key: TestKey }[];

  /** A small deterministic PRNG (mulberry32), so a failure reproduces. */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function signing(key: TestKey): Algorithm | EcdsaParams | RsaHashedImportParams {
    if (key.curve !== undefined) return { name: 'ECDSA', hash: key.curve === 'P-384' ? 'SHA-384' : 'SHA-256' } as EcdsaParams;
    if (key.kind.startsWith('rsa')) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as RsaHashedImportParams;
    return { name: 'Ed25519' };
  }

  beforeAll(async () => {
    const next = random(20240101);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    generated = [];
    for (let n = 0; n < 36; n++) {
      const key = await getKey(KINDS[n % KINDS.length]!);
      const serials = new Set<string>();
      const count = Math.floor(next() * 12);
      while (serials.size < count) {
        const length = 1 + Math.floor(next() * 20);
        const serial = Array.from({ length }, (_, i) => Math.floor(next() * 256) | (i === 0 ? 1 : 0));
        serials.add(Buffer.from(serial).toString('hex'));
      }
      const entries: x509.X509CrlEntryParams[] = [...serials].map((serialNumber, i) => ({
        serialNumber,
        revocationDate: new Date(Date.UTC(2020 + (i % 40), i % 12, 1 + i, i, 2 * i, 0)),
        ...(next() < 0.6 ? { reason: pick(REASONS) } : {}),
        ...(next() < 0.3 ? { invalidity: new Date(Date.UTC(2019, i % 12, 1)) } : {}),
        ...(next() < 0.15 ? { issuer: `CN=Indirect ${i}` } : {}),
      }));
      const extensions: x509.Extension[] = [];
      if (next() < 0.7) extensions.push(new x509.AuthorityKeyIdentifierExtension(Buffer.from(key.keyId).toString('hex')));
      if (next() < 0.7) extensions.push(new x509.Extension(CRL_OIDS.crlNumber, false, d.ab(crlNumberValue(Math.floor(next() * 2 ** 31)))));
      if (next() < 0.3) extensions.push(new x509.Extension(CRL_OIDS.deltaCrlIndicator, true, d.ab(crlNumberValue(Math.floor(next() * 1000)))));
      if (next() < 0.5) {
        const idp = issuingDistributionPointValue({
          fullName: [d.gnUri(`http://crl.example/${n}.crl`)],
          onlyContainsUserCerts: next() < 0.3,
          ...(next() < 0.3 ? { onlySomeReasons: [1, 3, 5] } : {}),
          indirectCrl: next() < 0.3,
        });
        extensions.push(new x509.Extension(CRL_OIDS.issuingDistributionPoint, true, d.ab(idp)));
      }
      if (next() < 0.3) extensions.push(new x509.Extension(CRL_OIDS.freshestCrl, false, d.ab(d.crlDistributionPointsValue([`http://crl.example/delta-${n}.crl`]))));
      // Always a nextUpdate: @peculiar/x509 2.2 drops every entry of a CRL without one.
      const made = await x509.X509CrlGenerator.create({
        issuer: `CN=Differential CA ${n}, O=graph-mtls tests${n % 3 === 0 ? ', C=US' : ''}`,
        thisUpdate: new Date(Date.UTC(2024, n % 12, 1 + n)),
        nextUpdate: new Date(Date.UTC(n % 2 === 0 ? 2034 : 2061, 0, 1)),
        entries,
        extensions,
        signingKey: key.webCrypto!.privateKey,
        signingAlgorithm: signing(key),
      });
      generated.push({ der: new Uint8Array(made.rawData), key });
    }
  });

  /** @peculiar/x509 gives serials as unsigned hex: the 00 that keeps a DER INTEGER positive is left out. */
  const unsigned = (serialHex: string): string => serialHex.replace(/^00(?=[89a-f])/, '');

  function compare(ours: CertificateList, der: Uint8Array): void {
    const theirs = new x509.X509Crl(d.ab(der));
    const asn = AsnConvert.parse(der, asn1X509.CertificateList);
    expect(ours.version).toBe(theirs.version === undefined ? 1 : theirs.version + 1);
    expect(hex(ours.issuer.der)).toBe(hex(new Uint8Array(theirs.issuerName.toArrayBuffer())));
    expect(ours.thisUpdateTime).toBe(theirs.thisUpdate.getTime());
    expect(ours.nextUpdateTime).toBe(theirs.nextUpdate?.getTime());
    expect(hex(ours.signature)).toBe(hex(new Uint8Array(theirs.signature)));
    expect(ours.signatureAlgorithm.oid).toBe(asn.signatureAlgorithm.algorithm);
    expect(ours.tbsSignatureAlgorithm.oid).toBe(asn.tbsCertList.signature.algorithm);
    expect(hex(ours.tbs)).toBe(hex(new Uint8Array(asn.tbsCertListRaw!)));

    expect(ours.revokedCount).toBe(theirs.entries.length);
    const entries = [...ours.entries()];
    theirs.entries.forEach((entry, i) => {
      const mine = entries[i]!;
      expect(unsigned(mine.serialNumberHex)).toBe(entry.serialNumber);
      expect(mine.revocationTime).toBe(entry.revocationDate.getTime());
      expect(mine.reasonCode).toBe(entry.reason);
      expect(mine.invalidityTime).toBe(entry.invalidity?.getTime());
      expect(mine.extensions.map((e) => [e.oid, e.critical, hex(e.value)])).toEqual(entry.extensions.map((e) => [e.type, e.critical, hex(new Uint8Array(e.value))]));
      expect(mine.hasCertificateIssuer).toBe(entry.extensions.some((e) => e.type === CRL_OIDS.certificateIssuer));
      expect(ours.isRevoked(mine.serialNumber)?.serialNumberHex).toBe(mine.serialNumberHex);
      expect(theirs.findRevoked(entry.serialNumber)?.serialNumber).toBe(entry.serialNumber);
    });
    expect(ours.hasCertificateIssuerEntries).toBe(theirs.entries.some((e) => e.extensions.some((x) => x.type === CRL_OIDS.certificateIssuer)));

    expect(ours.extensions.map((e) => [e.oid, e.critical, hex(e.value)])).toEqual(theirs.extensions.map((e) => [e.type, e.critical, hex(new Uint8Array(e.value))]));
    const aki = theirs.getExtension(x509.AuthorityKeyIdentifierExtension);
    expect(ours.authorityKeyIdentifier === undefined ? undefined : hex(ours.authorityKeyIdentifier.keyIdentifier!)).toBe(aki?.keyId);
    const value = (oid: string): ArrayBuffer | undefined => theirs.getExtension(oid)?.value;
    const number = value(CRL_OIDS.crlNumber);
    expect(ours.crlNumber).toBe(number === undefined ? undefined : BigInt(AsnConvert.parse(number, asn1X509.CRLNumber).value));
    const base = value(CRL_OIDS.deltaCrlIndicator);
    expect(ours.isDelta).toBe(base !== undefined);
    expect(ours.baseCrlNumber).toBe(base === undefined ? undefined : BigInt(AsnConvert.parse(base, asn1X509.BaseCRLNumber).value));
    const idpValue = value(CRL_OIDS.issuingDistributionPoint);
    if (idpValue === undefined) expect(ours.issuingDistributionPoint).toBeUndefined();
    else {
      const idp = AsnConvert.parse(idpValue, asn1X509.IssuingDistributionPoint);
      expect(ours.issuingDistributionPoint).toMatchObject({
        urls: (idp.distributionPoint?.fullName ?? []).flatMap((n) => (n.uniformResourceIdentifier === undefined ? [] : [n.uniformResourceIdentifier])),
        onlyContainsUserCerts: idp.onlyContainsUserCerts,
        onlyContainsCACerts: idp.onlyContainsCACerts,
        indirectCrl: idp.indirectCRL,
        onlyContainsAttributeCerts: idp.onlyContainsAttributeCerts,
      });
      expect(ours.issuingDistributionPoint?.onlySomeReasons?.slice().sort()).toEqual(idp.onlySomeReasons?.toJSON().sort());
    }
    const freshest = value(CRL_OIDS.freshestCrl);
    expect(ours.freshestCrl?.urls).toEqual(
      freshest === undefined
        ? undefined
        : AsnConvert.parse(freshest, asn1X509.FreshestCRL).flatMap((p) => (p.distributionPoint?.fullName ?? []).flatMap((n) => (n.uniformResourceIdentifier === undefined ? [] : [n.uniformResourceIdentifier]))),
    );
  }

  it('agrees on a few dozen CRLs written by X509CrlGenerator (RSA, ECDSA, Ed25519 issuers)', () => {
    expect(generated).toHaveLength(36);
    let entries = 0;
    for (const { der, key } of generated) {
      const ours = parseCrl(der);
      compare(ours, der);
      entries += ours.revokedCount;
      expect(verify(key.kind === 'ed25519' ? null : key.curve === 'P-384' ? 'sha384' : 'sha256', ours.tbs, key.publicKey, ours.signature)).toBe(true);
      expect(ours.signatureAlgorithm.name).toMatch(key.kind === 'ed25519' ? /^Ed25519$/ : key.kind === 'rsa2048' ? /^sha256WithRSAEncryption$/ : /^ecdsaWithSHA(256|384)$/);
    }
    // The set covers entries, extensions, indirect entries and delta CRLs.
    expect(entries).toBeGreaterThan(100);
    expect(generated.some(({ der }) => parseCrl(der).hasCertificateIssuerEntries)).toBe(true);
    expect(generated.some(({ der }) => parseCrl(der).isDelta)).toBe(true);
    expect(generated.some(({ der }) => parseCrl(der).issuingDistributionPoint?.onlySomeReasons !== undefined)).toBe(true);
    expect(generated.some(({ der }) => parseCrl(der).nextUpdateEncoding === 'generalizedTime')).toBe(true);
  });

  it('agrees on CRLs of the fixture builder: v1, GeneralizedTime, reason codes and invalidity dates', () => {
    const specs: Partial<CrlSpec>[] = [
      { version: null, revoked: [{ serial: 1 }, { serial: 0x8000 }] },
      { thisUpdate: new Date(Date.UTC(2055, 1, 2)), nextUpdate: new Date(Date.UTC(2056, 1, 2)), revoked: [{ serial: 77, reason: 6 }] },
      { revoked: REASONS.map((reason, i) => ({ serial: 1000 + i, reason, invalidity: new Date(Date.UTC(2023, i, 1)) })) },
      { extensions: [{ oid: CRL_OIDS.crlNumber, value: crlNumberValue(9) }, { oid: CRL_OIDS.authorityKeyIdentifier, value: d.authorityKeyIdentifierValue({ keyIdentifier: p256.keyId }) }] },
    ];
    for (const spec of specs) {
      const der = crl(spec);
      compare(parseCrl(der), der);
    }
  });
});
