// GeneralName (x509/general-names.ts, RFC 5280 §4.2.1.6): each of the nine choices read, iPAddress
// of 4 or 16 bytes as canonical text, IA5String values ASCII only, the entry limit, and an entry
// that does not decode named by its position and choice.

import { describe, expect, it } from 'vitest';
import { DerReader } from '../../src/encoding/der.ts';
import { decodeGeneralNames, type GeneralName } from '../../src/x509/general-names.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';
import { inputErrorOf } from '@graph-mtls/test/helpers.ts';

const read = (names: readonly Uint8Array[], maxEntries = 16): GeneralName[] => decodeGeneralNames(new DerReader(d.concat(...names)), 'san', maxEntries);

describe('decodeGeneralNames', () => {
  it('reads every choice, in order', () => {
    const names = read([
      d.gnOtherName('1.3.6.1.4.1.311.20.2.3', d.explicit(0, d.utf8('upn@example.com'))),
      d.gnEmail('device@example.com'),
      d.gnDns('door-camera-0042.example.com'),
      d.gnX400(d.seq()),
      d.gnDirectoryName(d.dn([['CN', 'Directory Name']])),
      d.gnEdiParty('party'),
      d.gnUri('urn:device:0042'),
      d.gnIp('2001:db8::1'),
      d.gnRegisteredId('1.2.3.4'),
    ]);
    expect(names.map((n) => n.type)).toEqual(['otherName', 'email', 'dns', 'x400Address', 'directoryName', 'ediPartyName', 'uri', 'ip', 'registeredId']);
    expect(names[0]).toMatchObject({ type: 'otherName', typeId: '1.3.6.1.4.1.311.20.2.3' });
    expect(names[1]).toEqual({ type: 'email', value: 'device@example.com' });
    expect(names[2]).toEqual({ type: 'dns', value: 'door-camera-0042.example.com' });
    expect(names[4]!.type === 'directoryName' && names[4]!.name.rdns[0]![0]!.value).toBe('Directory Name');
    expect(names[6]).toEqual({ type: 'uri', value: 'urn:device:0042' });
    expect(names[7]!.type === 'ip' && [names[7]!.value, Array.from(names[7]!.bytes).length]).toEqual(['2001:db8::1', 16]);
    expect(names[8]).toEqual({ type: 'registeredId', value: '1.2.3.4' });
  });

  it('iPAddress: 4 bytes are IPv4, 16 bytes IPv6 in RFC 5952 form; any other length is refused', () => {
    expect(read([d.gnIp('192.0.2.7')])[0]!).toMatchObject({ type: 'ip', value: '192.0.2.7' });
    expect(read([d.gnIp(Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))])[0]!).toMatchObject({ value: '2001:db8::1' });
    const e = inputErrorOf(() => read([d.gnIp(Uint8Array.of(192, 0, 2, 7, 255, 255, 255, 0))]));
    expect([e.code, e.reason]).toEqual(['ERR_DER_INVALID_VALUE', 'san[0] (iPAddress [7]): expected a 4- or 16-byte iPAddress, received 8 bytes']);
  });

  it('IA5String values (dNSName, rfc822Name, URI) must be ASCII', () => {
    const e = inputErrorOf(() => read([d.context(2, Uint8Array.of(0x61, 0xc3, 0xa9))]));
    expect([e.code, e.reason]).toEqual(['ERR_DER_INVALID_VALUE', 'san[0] (dNSName [2]): expected an IA5String (ASCII), received byte 0xc3']);
  });

  it('a tag outside [0] to [8] is refused at its offset', () => {
    const e = inputErrorOf(() => read([d.gnDns('a.example'), d.context(9, Uint8Array.of(1))]));
    expect([e.code, e.offset]).toEqual(['ERR_DER_UNEXPECTED_TAG', d.gnDns('a.example').length]);
    expect(e.reason).toBe('san[1] (tag 0x89): expected a GeneralName choice [0] to [8], received tag 0x89');
  });

  it('an entry that does not decode is named by its 0-based position and its choice, whatever failed', () => {
    const good = [d.gnDns('a.example'), d.gnUri('urn:device:1')];
    const reasonOf = (bad: Uint8Array): string => inputErrorOf(() => read([...good, bad])).reason;
    expect(reasonOf(d.context(1, Uint8Array.of(0x61, 0xe9)))).toBe('san[2] (rfc822Name [1]): expected an IA5String (ASCII), received byte 0xe9');
    expect(reasonOf(d.context(6, Uint8Array.of(0xff)))).toBe('san[2] (uniformResourceIdentifier [6]): expected an IA5String (ASCII), received byte 0xff');
    expect(reasonOf(d.context(8, new Uint8Array(0)))).toBe('san[2] (registeredID [8]): expected a non-empty OBJECT IDENTIFIER, received an empty one');
    expect(reasonOf(d.gnRegisteredId('1.2.3').subarray(0, 3))).toBe('san[2] (registeredID [8]): expected 2 bytes of value, received 1');
    // Inside a directoryName, the name's own subject follows the entry's.
    const badName = d.gnDirectoryName(d.seq(d.set(d.seq(d.oid('2.5.4.3'), d.tlv(0x0c, Uint8Array.of(0xff))))));
    expect(reasonOf(badName)).toBe('san[2] (directoryName [4]): directoryName attribute value: expected a UTF8String of well-formed UTF-8 (RFC 3629), received malformed content');
    const badOther = d.tlv(0xa0, d.oid('1.3.6.1.4.1.311.20.2.3'), d.utf8('not in [0]'));
    expect(reasonOf(badOther)).toBe('san[2] (otherName [0]): value: expected [0] constructed (0xa0), received UTF8String (0x0c)');
  });

  it('naming the entry keeps the code, the offset and the original error as the cause', () => {
    const inner = inputErrorOf(() => read([d.gnIp(Uint8Array.of(1, 2, 3))]));
    const e = inputErrorOf(() => read([d.gnDns('a.example'), d.gnIp(Uint8Array.of(1, 2, 3))]));
    expect([e.code, e.offset]).toEqual(['ERR_DER_INVALID_VALUE', d.gnDns('a.example').length + inner.offset!]);
    expect((e.cause as { reason: string }).reason).toBe('san: expected a 4- or 16-byte iPAddress, received 3 bytes');
  });

  it('more entries than maxEntries are refused; exactly maxEntries are read', () => {
    const three = [d.gnDns('a.example'), d.gnDns('b.example'), d.gnDns('c.example')];
    expect(read(three, 3)).toHaveLength(3);
    const e = inputErrorOf(() => read(three, 2));
    expect([e.code, e.reason]).toEqual(['ERR_LIMIT_EXCEEDED', 'san: expected at most 2 names, received more']);
  });
});
