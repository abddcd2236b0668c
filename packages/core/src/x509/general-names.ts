// GeneralNames (RFC 5280 §4.2.1.6): the entries of subjectAltName, issuerAltName, the
// authorityKeyIdentifier issuer and CRL distribution points. dNSName, rfc822Name and URI are
// IA5String (ASCII); iPAddress is 4 or 16 octets (RFC 5280 §4.2.1.6, no masks outside
// nameConstraints); the other choices are kept as DER for callers that need them.

import { DerReader, contextConstructed, contextTag } from '../encoding/der.ts';
import { ascii } from '../encoding/utf8.ts';
import { InputError } from '../errors.ts';
import { formatIpAddress } from './ip-address.ts';
import { decodeName } from './name/decode.ts';
import type { Name } from './name/types.ts';

/** One GeneralName (RFC 5280 §4.2.1.6), by its choice. */
export type GeneralName =
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string }
  | { readonly type: 'ip'; readonly value: string; readonly bytes: Uint8Array }
  | { readonly type: 'directoryName'; readonly name: Name }
  | { readonly type: 'registeredId'; readonly value: string }
  | { readonly type: 'otherName'; readonly typeId: string; readonly der: Uint8Array }
  | { readonly type: 'x400Address' | 'ediPartyName'; readonly der: Uint8Array };

/** The choices of GeneralName. */
export type GeneralNameType = GeneralName['type'];

/** An iPAddress entry; its text (RFC 5952 for IPv6) is made when first read. */
class IpAddressName {
  readonly type = 'ip';
  readonly bytes: Uint8Array;
  #value: string | undefined;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get value(): string {
    return (this.#value ??= formatIpAddress(this.bytes));
  }
}

const TAG_OTHER_NAME = contextConstructed(0);
const TAG_RFC822 = contextTag(1);
const TAG_DNS = contextTag(2);
const TAG_X400 = contextConstructed(3);
const TAG_DIRECTORY_NAME = contextConstructed(4);
const TAG_EDI_PARTY = contextConstructed(5);
const TAG_URI = contextTag(6);
const TAG_IP = contextTag(7);
const TAG_REGISTERED_ID = contextTag(8);

/**
 * Reads the GeneralName elements of `reader` until its end. An entry that does not decode is
 * named in the error by its 0-based position and its choice: "subjectAltName[1] (dNSName [2]): ...".
 */
export function decodeGeneralNames(reader: DerReader, what: string, maxEntries: number, maxAttributes = 128): GeneralName[] {
  const names: GeneralName[] = [];
  while (!reader.done) {
    if (names.length >= maxEntries) {
      throw new InputError('ERR_LIMIT_EXCEEDED', `${what}: expected at most ${maxEntries} names, received more`, { offset: reader.pos });
    }
    const tag = reader.peek();
    try {
      names.push(decodeGeneralName(reader, what, maxAttributes));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // Named here, on failure, so reading builds no string per entry. The entry's own subject
      // ("subjectAltName: ...", "subjectAltName.directoryName ...") loses the repeated prefix.
      const detail = error.reason.startsWith(what) ? error.reason.slice(what.length).replace(/^(: |\.)/, '') : error.reason;
      throw new InputError(error.code, `${what}[${names.length}] (${choiceName(tag)}): ${detail}`, { offset: error.offset, cause: error });
    }
  }
  return names.slice(); // exact size (see checkCertificate)
}

/** RFC 5280 §4.2.1.6's name of a GeneralName choice, with its tag. */
function choiceName(tag: number): string {
  const n = tag & 0x1f;
  const choice = (tag & 0xc0) === 0x80 ? CHOICE_NAMES[n] : undefined;
  return choice === undefined ? `tag 0x${tag.toString(16).padStart(2, '0')}` : `${choice} [${n}]`;
}

const CHOICE_NAMES: readonly string[] = [
  'otherName',
  'rfc822Name',
  'dNSName',
  'x400Address',
  'directoryName',
  'ediPartyName',
  'uniformResourceIdentifier',
  'iPAddress',
  'registeredID',
];

/** Reads one GeneralName (the next element of `reader`). */
export function decodeGeneralName(reader: DerReader, what: string, maxAttributes: number): GeneralName {
  const tag = reader.peek();
  switch (tag) {
    case TAG_DNS:
      reader.next(what);
      return { type: 'dns', value: ia5(reader, what) };
    case TAG_RFC822:
      reader.next(what);
      return { type: 'email', value: ia5(reader, what) };
    case TAG_URI:
      reader.next(what);
      return { type: 'uri', value: ia5(reader, what) };
    case TAG_IP: {
      reader.next(what);
      const bytes = reader.value();
      if (bytes.length !== 4 && bytes.length !== 16) throw reader.invalid(`${what}: expected a 4- or 16-byte iPAddress, received ${bytes.length} bytes`);
      return new IpAddressName(bytes);
    }
    case TAG_DIRECTORY_NAME: {
      reader.next(what);
      const inner = reader.child(what);
      const name = decodeName(inner, `${what}.directoryName`, maxAttributes);
      inner.finish(what);
      return { type: 'directoryName', name };
    }
    case TAG_REGISTERED_ID:
      reader.next(what);
      return { type: 'registeredId', value: reader.oid(what) };
    case TAG_OTHER_NAME: {
      reader.next(what);
      const der = reader.element();
      const inner = reader.child(what);
      inner.expect(0x06, `${what}.type-id`);
      const typeId = inner.oid(`${what}.type-id`);
      inner.expect(contextConstructed(0), `${what}.value`);
      inner.finish(what);
      return { type: 'otherName', typeId, der };
    }
    case TAG_X400:
    case TAG_EDI_PARTY:
      reader.next(what);
      return { type: tag === TAG_X400 ? 'x400Address' : 'ediPartyName', der: reader.element() };
    default: {
      const start = reader.pos;
      reader.next(what);
      throw new InputError('ERR_DER_UNEXPECTED_TAG', `${what}: expected a GeneralName choice [0] to [8], received tag 0x${reader.tag.toString(16)}`, { offset: start });
    }
  }
}

function ia5(reader: DerReader, what: string): string {
  const b = reader.bytes;
  const text = ascii(b, reader.valueStart, reader.valueEnd);
  if (text !== null) return text;
  let i = reader.valueStart;
  while (b[i]! < 0x80) i++;
  throw reader.invalid(`${what}: expected an IA5String (ASCII), received byte 0x${b[i]!.toString(16)}`);
}
