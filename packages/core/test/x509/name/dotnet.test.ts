// The .NET X500DistinguishedName.Name writer (x509/name/dotnet.ts), the form Graph shows in issuer.

import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DerReader } from '../../../src/encoding/der.ts';
import { decodeName } from '../../../src/x509/name/decode.ts';
import { formatDotNet } from '../../../src/x509/name/dotnet.ts';
import { parseDistinguishedName } from '../../../src/x509/name/parse.ts';
import type { AttributeTypeAndValue, Name } from '../../../src/x509/name/types.ts';
import { latin1Bytes, oid, seq, setUnsorted, tlv, utf8, utf8Bytes } from '@graph-mtls/test/fixtures/der-builder.ts';

// --- Hand-built Names (der-builder primitives) ---------------------------------------------

const CN = '2.5.4.3';
const SERIAL = '2.5.4.5';
const C = '2.5.4.6';
const L = '2.5.4.7';
const ST = '2.5.4.8';
const STREET = '2.5.4.9';
const O = '2.5.4.10';
const OU = '2.5.4.11';
const TITLE = '2.5.4.12';
const SURNAME = '2.5.4.4';
const GIVEN = '2.5.4.42';
const INITIALS = '2.5.4.43';
const DC = '0.9.2342.19200300.100.1.25';
const UID = '0.9.2342.19200300.100.1.1';
const EMAIL = '1.2.840.113549.1.9.1';
const JURISDICTION_C = '1.3.6.1.4.1.311.60.2.1.3';

const UTF8 = 0x0c;
const PRINTABLE = 0x13;
const IA5 = 0x16;
/** An AttributeTypeAndValue: SEQUENCE { OID, value }; a string value becomes a UTF8String. */
function ava(type: string, value: string | Uint8Array, tag = UTF8): Uint8Array {
  const valueTlv = typeof value === 'string' ? tlv(tag, tag === UTF8 ? utf8Bytes(value) : latin1Bytes(value)) : value;
  return seq(oid(type), valueTlv);
}
/** An RDN with the AVAs in the order given. */
const rdn = (...avas: Uint8Array[]): Uint8Array => setUnsorted(...avas);
const nameDer = (...rdns: Uint8Array[]): Uint8Array => seq(...rdns);

function decode(der: Uint8Array, maxAttributes = 128): Name {
  return decodeName(new DerReader(der), 'name', maxAttributes);
}

/** The AVA parseDistinguishedName builds for a text value: a UTF8String. */
function textAva(type: string, value: string): AttributeTypeAndValue {
  return { type, valueTag: UTF8, value, valueDer: utf8(value) };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// --- formatDotNet ----------------------------------------------------------------------------

describe('formatDotNet', () => {
  it("matches Graph's documented issuer sample", () => {
    const name = decode(
      nameDer(
        rdn(ava(C, 'US', PRINTABLE)),
        rdn(ava(ST, 'WA', PRINTABLE)),
        rdn(ava(L, 'Redmond')),
        rdn(ava(O, 'Microsoft Corporation')),
        rdn(ava(OU, 'IoT Org')),
        rdn(ava(CN, 'certauthority.com')),
      ),
    );
    expect(formatDotNet(name)).toBe('CN=certauthority.com, OU=IoT Org, O=Microsoft Corporation, L=Redmond, S=WA, C=US');
  });

  it('uses the Windows keywords and OID.<dotted> for the rest', () => {
    const name = decode(
      nameDer(
        rdn(ava(DC, 'com', IA5)),
        rdn(ava(STREET, '1 Main St')),
        rdn(ava(SERIAL, '42', PRINTABLE)),
        rdn(ava(GIVEN, 'Ann'), ava(SURNAME, 'Lee'), ava(INITIALS, 'AL'), ava(TITLE, 'Dr')),
        rdn(ava(JURISDICTION_C, 'US', PRINTABLE)),
        rdn(ava(UID, 'alee')),
        rdn(ava(EMAIL, 'ann@example.com', IA5)),
      ),
    );
    expect(formatDotNet(name)).toBe(
      'E=ann@example.com, OID.0.9.2342.19200300.100.1.1=alee, OID.1.3.6.1.4.1.311.60.2.1.3=US, ' +
        'G=Ann + SN=Lee + I=AL + T=Dr, SERIALNUMBER=42, STREET=1 Main St, DC=com',
    );
  });

  it('quotes values with special characters, doubling embedded quotes', () => {
    const dn = (value: string): string => formatDotNet([[textAva(CN, value)]]);
    expect(dn('Doe, John')).toBe('CN="Doe, John"');
    expect(dn('say "hi"')).toBe('CN="say ""hi"""');
    expect(dn('a+b')).toBe('CN="a+b"');
    expect(dn('a=b')).toBe('CN="a=b"');
    expect(dn('#1')).toBe('CN="#1"');
    expect(dn('a;b')).toBe('CN="a;b"');
    expect(dn('<a>')).toBe('CN="<a>"');
    expect(dn('line\nbreak')).toBe('CN="line\nbreak"');
    expect(dn(' lead')).toBe('CN=" lead"');
    expect(dn('trail\t')).toBe('CN="trail\t"');
    expect(dn('')).toBe('CN=""');
    expect(dn('back\\slash')).toBe('CN=back\\slash');
    expect(dn('Ünïcødé 東京')).toBe('CN=Ünïcødé 東京');
    expect(dn('nul\u0000\u0000')).toBe('CN=nul');
  });

  it('writes non-string values as # and upper-case hex, unwrapping one OCTET STRING', () => {
    const name = decode(nameDer(rdn(ava('1.2.3.4', tlv(0x02, Uint8Array.of(0x01, 0x00)))), rdn(ava(CN, tlv(0x04, Uint8Array.of(0xab, 0xcd))))));
    expect(formatDotNet(name)).toBe('CN=#ABCD, OID.1.2.3.4=#02020100');
  });
});
