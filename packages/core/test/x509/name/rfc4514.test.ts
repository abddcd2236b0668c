// The RFC 4514 writer (x509/name/rfc4514.ts): the nine keywords, '#' hex for everything else,
// escaping per §2.4.

import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RFC4514_KEYWORDS } from '../../../src/x509/name/keywords.ts';
import { formatRfc4514 } from '../../../src/x509/name/rfc4514.ts';
import type { Name } from '../../../src/x509/name/types.ts';
import { tlv } from '@graph-mtls/test/fixtures/der-builder.ts';
import { CN, SERIAL, C, L, ST, STREET, O, OU, TITLE, DC, UID, EMAIL, PRINTABLE, IA5, ava, rdn, nameDer, decode, textAva, hex } from './fixtures.ts';

describe('formatRfc4514', () => {
  const one = (type: string, value: string): string => formatRfc4514([[textAva(type, value)]]);

  it('escapes each special character with a backslash (RFC 4514 §2.4)', () => {
    expect(one(CN, 'a,b')).toBe('CN=a\\,b');
    expect(one(CN, 'a+b')).toBe('CN=a\\+b');
    expect(one(CN, 'a"b')).toBe('CN=a\\"b');
    expect(one(CN, 'a\\b')).toBe('CN=a\\\\b');
    expect(one(CN, 'a<b')).toBe('CN=a\\<b');
    expect(one(CN, 'a>b')).toBe('CN=a\\>b');
    expect(one(CN, 'a;b')).toBe('CN=a\\;b');
    expect(one(CN, ',+"\\<>;')).toBe('CN=\\,\\+\\"\\\\\\<\\>\\;');
  });

  it('escapes a leading # or space, a trailing space, and NUL', () => {
    expect(one(CN, '#tag')).toBe('CN=\\#tag');
    expect(one(CN, 'a#b#')).toBe('CN=a#b#');
    expect(one(CN, ' lead')).toBe('CN=\\ lead');
    expect(one(CN, 'trail ')).toBe('CN=trail\\ ');
    expect(one(CN, ' ')).toBe('CN=\\ ');
    expect(one(CN, '  ')).toBe('CN=\\ \\ ');
    expect(one(CN, 'in  side')).toBe('CN=in  side');
    expect(one(CN, 'a\u0000b')).toBe('CN=a\\00b');
    expect(one(CN, '\ttab\n')).toBe('CN=\\09tab\\0A');
    expect(one(CN, 'del\u007f\u001f')).toBe('CN=del\\7F\\1F');
    expect(one(CN, 'a=b')).toBe('CN=a=b');
    expect(one(CN, '')).toBe('CN=');
  });

  it('keeps UTF-8 as characters', () => {
    expect(one(O, 'Ünïcødé 東京 😀')).toBe('O=Ünïcødé 東京 😀');
  });

  it('uses the RFC 4514 §3 keywords and nothing else', () => {
    const all = [CN, L, ST, O, OU, C, STREET, DC, UID].map((t) => [textAva(t, 'v')]).reverse();
    expect(formatRfc4514(all)).toBe('CN=v,L=v,ST=v,O=v,OU=v,C=v,STREET=v,DC=v,UID=v');
    expect(formatRfc4514([[textAva(TITLE, 'v')]])).toBe('2.5.4.12=#0c0176');
  });

  it('writes emailAddress and serialNumber as dotted OID with #hex of the BER value', () => {
    const name = decode(nameDer(rdn(ava(SERIAL, 'ABC123', PRINTABLE)), rdn(ava(EMAIL, 'a@b.c', IA5)), rdn(ava(CN, 'Dev'))));
    expect(formatRfc4514(name)).toBe('CN=Dev,1.2.840.113549.1.9.1=#1605614062' + '2e63,2.5.4.5=#1306414243313233');
  });

  it('writes a keyword with #hex when the value has no string form', () => {
    const name = decode(nameDer(rdn(ava(O, tlv(0x04, Uint8Array.of(0xde, 0xad))))));
    expect(formatRfc4514(name)).toBe('O=#0402dead');
  });

  it('accepts a Name or an RDN array', () => {
    const name = decode(nameDer(rdn(ava(C, 'US')), rdn(ava(CN, 'x'))));
    expect(formatRfc4514(name.rdns)).toBe(formatRfc4514(name));
  });
});

describe('RFC4514_KEYWORDS', () => {
  it('holds exactly the RFC 4514 §3 types', () => {
    expect([...RFC4514_KEYWORDS.values()].sort()).toEqual(['C', 'CN', 'DC', 'L', 'O', 'OU', 'ST', 'STREET', 'UID']);
    expect(RFC4514_KEYWORDS.get(ST)).toBe('ST');
    expect(RFC4514_KEYWORDS.get(EMAIL)).toBeUndefined();
    expect(RFC4514_KEYWORDS.get(SERIAL)).toBeUndefined();
  });
});
