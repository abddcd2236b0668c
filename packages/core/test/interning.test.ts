// Values decoded once and shared (encoding/intern.ts): issuer names, AlgorithmIdentifiers and
// short ASCII strings repeat across a fleet's certificates. Sharing must be invisible: the
// shared objects are frozen, hold their own bytes, equal a fresh decode, and never let a
// certificate skip a limit or report an offset that is not its own.

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DerReader } from '../src/encoding/der.ts';
import { GraphMtlsError } from '../src/errors.ts';
import { parseCertificate } from '../src/x509/certificate.ts';
import { decodeName } from '../src/x509/name.ts';
import * as d from '../../../test/fixtures/der-builder.ts';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function issued(issuer: Uint8Array, subject: string, serialNumber = 1): Uint8Array {
  return d.buildCertificate({ signingKey: privateKey, issuer, subject: d.dn([['CN', subject]]), serialNumber });
}

function errorOf(fn: () => unknown): GraphMtlsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphMtlsError) return error;
    throw error;
  }
  throw new Error('expected a GraphMtlsError');
}

describe('issuer names', () => {
  const issuer = d.dn([['C', 'US'], ['O', 'Interning Test CA Ltd'], ['CN', 'Interning Test Issuing CA 7']]);

  it('certificates of one issuer share a frozen Name over its own bytes from its second sighting, equal to a fresh decode', () => {
    const first = parseCertificate(issued(issuer, 'device-0'));
    const a = parseCertificate(issued(issuer, 'device-a'));
    const b = parseCertificate(issued(issuer, 'device-b', 2));
    expect(Object.isFrozen(first.issuer)).toBe(false);
    expect(a.issuer).not.toBe(first.issuer);
    expect(b.issuer).toBe(a.issuer);
    expect(Object.isFrozen(a.issuer)).toBe(true);
    expect(Object.isFrozen(a.issuer.rdns)).toBe(true);
    expect(Object.isFrozen(a.issuer.rdns[0])).toBe(true);
    expect(Object.isFrozen(a.issuer.rdns[0]![0])).toBe(true);
    expect(a.issuer.der.buffer).not.toBe(a.der.buffer);
    expect(b.issuer.der.buffer).not.toBe(b.der.buffer);
    const fresh = decodeName(new DerReader(issuer), 'name', 64);
    const plain = (n: typeof fresh): unknown => n.rdns.map((r) => r.map((x) => [x.type, x.valueTag, x.value, Array.from(x.valueDer)]));
    expect(plain(a.issuer)).toEqual(plain(fresh));
    expect(a.issuerDn).toBe('CN=Interning Test Issuing CA 7,O=Interning Test CA Ltd,C=US');
    expect(b.subjectDn).toBe('CN=device-b');
  });

  it('a cached issuer still meets a smaller maxNameAttributes or maxDepth of a later read', () => {
    parseCertificate(issued(issuer, 'warm'));
    parseCertificate(issued(issuer, 'warm'));
    expect(errorOf(() => parseCertificate(issued(issuer, 'device'), { limits: { maxNameAttributes: 2 } })).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(errorOf(() => parseCertificate(issued(issuer, 'device'), { limits: { maxDepth: 4 } })).code).toBe('ERR_DER_TOO_DEEP');
  });

  it('an issuer that does not decode reports the offset inside the certificate', () => {
    const bad = d.tlv(0x0c, Uint8Array.of(0x41, 0xc3, 0x28)); // a UTF8String with an invalid sequence
    const malformed = d.seq(d.set(d.seq(d.oid('2.5.4.3'), bad)));
    const der = issued(malformed, 'device');
    const at = Buffer.from(der).indexOf(Buffer.from(bad));
    // Twice: the first sighting is read in place, the second from a copy.
    for (let i = 0; i < 2; i++) {
      const e = errorOf(() => parseCertificate(der));
      expect(e.code).toBe('ERR_DER_INVALID_VALUE');
      expect(e.offset).toBe(at + 2);
    }
  });
});

describe('AlgorithmIdentifiers and attribute values', () => {
  it('one signature algorithm object per distinct encoding, frozen, shared by tbs and outer fields', () => {
    const a = parseCertificate(issued(d.dn([['CN', 'x']]), 'a'));
    const b = parseCertificate(issued(d.dn([['CN', 'y']]), 'b'));
    expect(a.signatureAlgorithm).toBe(a.tbsSignatureAlgorithm);
    expect(b.signatureAlgorithm).toBe(a.signatureAlgorithm);
    expect(Object.isFrozen(a.signatureAlgorithm)).toBe(true);
    expect(a.signatureAlgorithm.name).toBe('ecdsaWithSHA256');
    expect(a.signatureAlgorithm.der.buffer).not.toBe(a.der.buffer);
  });

  it('repeated and colliding ASCII values read back exactly', () => {
    // Many distinct values through the bounded table: each must come back as itself.
    for (let i = 0; i < 2500; i++) {
      const value = `value-${i.toString(36)}`;
      const c = parseCertificate(issued(d.dn([['O', 'Shared Org'], ['CN', value, 'printable']]), value, i + 1));
      expect(c.issuer.rdns[1]![0]!.value).toBe(value);
      expect(c.issuer.rdns[0]![0]!.value).toBe('Shared Org');
    }
  });
});
