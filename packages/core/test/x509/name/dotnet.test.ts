// The .NET X500DistinguishedName.Name writer (x509/name/dotnet.ts), the form Graph shows in issuer.

import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDotNet } from '../../../src/x509/name/dotnet.ts';
import type { Name } from '../../../src/x509/name/types.ts';
import { tlv } from '@graph-mtls/test/fixtures/der-builder.ts';
import { CN, SERIAL, C, L, ST, STREET, O, OU, TITLE, SURNAME, GIVEN, INITIALS, DC, UID, EMAIL, JURISDICTION_C, PRINTABLE, IA5, ava, rdn, nameDer, decode, textAva, hex } from './fixtures.ts';

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
