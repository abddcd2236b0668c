// The extensions the checks read (x509/extensions.ts, RFC 5280 §4.2.1): each decoded from its
// DER value, DEFAULT values encoded explicitly noticed, and malformed values refused with an
// InputError that says which field.

import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/limits.ts';
import {
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCrlDistributionPoints,
  decodeExtendedKeyUsage,
  decodeKeyUsage,
  decodeSubjectAltName,
  decodeSubjectKeyIdentifier,
  type Extension,
} from '../../src/x509/extensions.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';
import { inputErrorOf } from '@graph-mtls/test/helpers.ts';

const ext = (value: Uint8Array, critical = false): Extension => ({ oid: '2.5.29.99', critical, value, defaultEncoded: false });

describe('basicConstraints (§4.2.1.9)', () => {
  it('cA and pathLenConstraint, and whether FALSE was written out', () => {
    expect(decodeBasicConstraints(ext(d.basicConstraintsValue(true, 2), true), DEFAULT_LIMITS)).toEqual({ critical: true, ca: true, pathLen: 2, defaultEncoded: false });
    expect(decodeBasicConstraints(ext(d.basicConstraintsValue(true)), DEFAULT_LIMITS)).toEqual({ critical: false, ca: true, defaultEncoded: false });
    expect(decodeBasicConstraints(ext(d.seq()), DEFAULT_LIMITS)).toEqual({ critical: false, ca: false, defaultEncoded: false });
    expect(decodeBasicConstraints(ext(d.basicConstraintsValue(false, undefined, true)), DEFAULT_LIMITS)).toEqual({ critical: false, ca: false, defaultEncoded: true });
    expect(decodeBasicConstraints(ext(d.basicConstraintsValue(true, -1)), DEFAULT_LIMITS).pathLen).toBe(-1);
  });

  it('anything but a SEQUENCE of those two is refused', () => {
    expect(inputErrorOf(() => decodeBasicConstraints(ext(d.int(1)), DEFAULT_LIMITS)).code).toBe('ERR_DER_UNEXPECTED_TAG');
    expect(inputErrorOf(() => decodeBasicConstraints(ext(d.seq(d.bool(true), d.int(1), d.int(2))), DEFAULT_LIMITS)).code).toMatch(/^ERR_DER_/);
  });
});

describe('keyUsage (§4.2.1.3)', () => {
  it('the named bits, in bit order', () => {
    expect(decodeKeyUsage(ext(d.keyUsageValue(['cRLSign', 'keyCertSign', 'digitalSignature']), true), DEFAULT_LIMITS)).toEqual({ critical: true, usages: ['digitalSignature', 'keyCertSign', 'cRLSign'], undefinedBits: [] });
    expect(decodeKeyUsage(ext(d.keyUsageValue(['decipherOnly'])), DEFAULT_LIMITS).usages).toEqual(['decipherOnly']);
  });

  it('bits past decipherOnly (8) are kept apart, not refused: readers ignore them', () => {
    // 0x06 0x41 with 0 unused bits: keyCertSign (5), cRLSign (6), bits 9 and 15.
    expect(decodeKeyUsage(ext(d.tlv(0x03, Uint8Array.of(0, 0x06, 0x41))), DEFAULT_LIMITS)).toEqual({ critical: false, usages: ['keyCertSign', 'cRLSign'], undefinedBits: [9, 15] });
  });

  it('a value that is not a BIT STRING is refused', () => {
    expect(inputErrorOf(() => decodeKeyUsage(ext(d.octet(Uint8Array.of(1))), DEFAULT_LIMITS)).code).toBe('ERR_DER_UNEXPECTED_TAG');
  });
});

describe('extendedKeyUsage (§4.2.1.12)', () => {
  it('every purpose OID, in order', () => {
    expect(decodeExtendedKeyUsage(ext(d.extKeyUsageValue(['1.3.6.1.5.5.7.3.2', '2.5.29.37.0'])), DEFAULT_LIMITS)).toEqual({ critical: false, purposes: ['1.3.6.1.5.5.7.3.2', '2.5.29.37.0'] });
  });

  it('a purpose that is not an OID is refused', () => {
    expect(inputErrorOf(() => decodeExtendedKeyUsage(ext(d.seq(d.int(1))), DEFAULT_LIMITS)).code).toBe('ERR_DER_UNEXPECTED_TAG');
  });
});

describe('key identifiers (§4.2.1.1, §4.2.1.2)', () => {
  it('subjectKeyIdentifier is the OCTET STRING; authorityKeyIdentifier its three optional parts', () => {
    expect(decodeSubjectKeyIdentifier(ext(d.subjectKeyIdentifierValue(Uint8Array.of(1, 2, 3))), DEFAULT_LIMITS)).toEqual(Uint8Array.of(1, 2, 3));
    expect(decodeAuthorityKeyIdentifier(ext(d.authorityKeyIdentifierValue({ keyIdentifier: Uint8Array.of(9, 8) })), DEFAULT_LIMITS)).toEqual({ keyIdentifier: Uint8Array.of(9, 8) });
    const full = decodeAuthorityKeyIdentifier(ext(d.authorityKeyIdentifierValue({ keyIdentifier: Uint8Array.of(7), issuer: [d.gnDns('ca.example')], serialNumber: Uint8Array.of(5) })), DEFAULT_LIMITS);
    expect(full.keyIdentifier).toEqual(Uint8Array.of(7));
    expect(full.issuer).toEqual([{ type: 'dns', value: 'ca.example' }]);
    expect(full.serialNumber).toEqual(Uint8Array.of(5));
  });

  it('a subjectKeyIdentifier that is not an OCTET STRING is refused', () => {
    expect(inputErrorOf(() => decodeSubjectKeyIdentifier(ext(d.int(5)), DEFAULT_LIMITS)).code).toBe('ERR_DER_UNEXPECTED_TAG');
  });
});

describe('subjectAltName (§4.2.1.6) and cRLDistributionPoints (§4.2.1.13)', () => {
  it('the names of a SAN, and every URI of the distribution points', () => {
    const san = decodeSubjectAltName(ext(d.generalNamesValue([d.gnDns('a.example'), d.gnUri('urn:device:1'), d.gnIp('192.0.2.1'), d.gnEmail('d@example.com')])), DEFAULT_LIMITS);
    expect(san.names.map((n) => [n.type, 'value' in n ? n.value : ''])).toEqual([['dns', 'a.example'], ['uri', 'urn:device:1'], ['ip', '192.0.2.1'], ['email', 'd@example.com']]);
    const cdp = decodeCrlDistributionPoints(ext(d.crlDistributionPointsValue(['http://crl.example/a.crl', 'http://crl.example/b.crl'])), DEFAULT_LIMITS);
    expect(cdp.urls).toEqual(['http://crl.example/a.crl', 'http://crl.example/b.crl']);
    expect(cdp.points).toHaveLength(2);
  });

  it('a SAN entry that does not decode refuses the whole SAN, and the error names the entry and why', () => {
    const value = d.generalNamesValue([d.gnDns('ok.example'), d.context(2, Uint8Array.of(0x62, 0xc3, 0xa9)), d.gnUri('urn:device:1')]);
    const e = inputErrorOf(() => decodeSubjectAltName(ext(value), DEFAULT_LIMITS));
    expect([e.code, e.reason]).toEqual(['ERR_DER_INVALID_VALUE', 'subjectAltName[1] (dNSName [2]): expected an IA5String (ASCII), received byte 0xc3']);
  });

  it('a SAN with more names than maxSanEntries is refused', () => {
    const names = Array.from({ length: 4 }, (_, i) => d.gnDns(`n${i}.example`));
    expect(inputErrorOf(() => decodeSubjectAltName(ext(d.generalNamesValue(names)), { ...DEFAULT_LIMITS, maxSanEntries: 3 })).code).toBe('ERR_LIMIT_EXCEEDED');
  });
});
