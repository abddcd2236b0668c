// Hand-built names for the name tests (der-builder primitives): attribute type OIDs, string
// tags, AVAs, RDNs and Names, and plain views of decoded RDNs for toEqual.

import { DerReader } from '../../../src/encoding/der.ts';
import { decodeName } from '../../../src/x509/name/decode.ts';
import type { AttributeTypeAndValue, Name, RelativeDistinguishedName } from '../../../src/x509/name/types.ts';
import { latin1Bytes, oid, seq, setUnsorted, tlv, utf8, utf8Bytes } from '@graph-mtls/test/fixtures/der-builder.ts';

export const CN = '2.5.4.3';
export const SERIAL = '2.5.4.5';
export const C = '2.5.4.6';
export const L = '2.5.4.7';
export const ST = '2.5.4.8';
export const STREET = '2.5.4.9';
export const O = '2.5.4.10';
export const OU = '2.5.4.11';
export const TITLE = '2.5.4.12';
export const SURNAME = '2.5.4.4';
export const GIVEN = '2.5.4.42';
export const INITIALS = '2.5.4.43';
export const DC = '0.9.2342.19200300.100.1.25';
export const UID = '0.9.2342.19200300.100.1.1';
export const EMAIL = '1.2.840.113549.1.9.1';
export const JURISDICTION_C = '1.3.6.1.4.1.311.60.2.1.3';

export const UTF8 = 0x0c;
export const PRINTABLE = 0x13;
export const TELETEX = 0x14;
export const IA5 = 0x16;
export const VISIBLE = 0x1a;
export const NUMERIC = 0x12;
export const UNIVERSAL = 0x1c;
export const BMP = 0x1e;

/** An AttributeTypeAndValue: SEQUENCE { OID, value }; a string value becomes a UTF8String. */
export function ava(type: string, value: string | Uint8Array, tag = UTF8): Uint8Array {
  const valueTlv = typeof value === 'string' ? tlv(tag, tag === UTF8 ? utf8Bytes(value) : latin1Bytes(value)) : value;
  return seq(oid(type), valueTlv);
}

/** An RDN with the AVAs in the order given. */
export const rdn = (...avas: Uint8Array[]): Uint8Array => setUnsorted(...avas);
export const nameDer = (...rdns: Uint8Array[]): Uint8Array => seq(...rdns);

export function decode(der: Uint8Array, maxAttributes = 128): Name {
  return decodeName(new DerReader(der), 'name', maxAttributes);
}

/** The AVA parseDistinguishedName builds for a text value: a UTF8String. */
export function textAva(type: string, value: string): AttributeTypeAndValue {
  return { type, valueTag: UTF8, value, valueDer: utf8(value) };
}

/** Plain objects for toEqual (Uint8Array subarrays compare by content). */
export function plain(rdns: readonly RelativeDistinguishedName[]): unknown {
  return rdns.map((r) => r.map((a) => ({ type: a.type, valueTag: a.valueTag, value: a.value, valueDer: Array.from(a.valueDer) })));
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
