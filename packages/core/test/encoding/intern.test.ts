// Values decoded once and shared (encoding/intern.ts): issuer names, AlgorithmIdentifiers and
// short ASCII strings repeat across a fleet's certificates. Sharing must be invisible: the
// shared objects are frozen, hold their own bytes, equal a fresh decode, and never let a
// certificate skip a limit or report an offset that is not its own.

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DerReader } from '../../src/encoding/der.ts';
import { Interner, freezeDeep, hashBytes, hashEnds } from '../../src/encoding/intern.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { decodeName } from '../../src/x509/name/decode.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';
import { inputErrorOf } from '@graph-mtls/test/helpers.ts';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function issued(issuer: Uint8Array, subject: string, serialNumber = 1): Uint8Array {
  return d.buildCertificate({ signingKey: privateKey, issuer, subject: d.dn([['CN', subject]]), serialNumber });
}

describe('issuer names', () => {
  const issuer = d.dn([['C', 'US'], ['O', 'Interning Test CA Ltd'], ['CN', 'Interning Test Issuing CA 7']]);

  it('certificates of one issuer share a frozen Name over its own bytes from its second sighting, equal to a fresh decode', () => {
    const first = parseCertificate(issued(issuer, 'device-0'));
    const a = parseCertificate(issued(issuer, 'device-a'));
    const b = parseCertificate(issued(issuer, 'device-b', 2));
    // The first sighting is not kept (a one-off issuer dies young) but is frozen all the same.
    expect(Object.isFrozen(first.issuer)).toBe(true);
    expect(Object.isFrozen(first.issuer.rdns[0]![0])).toBe(true);
    expect(first.issuer.der.buffer).toBe(first.der.buffer);
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
    expect(inputErrorOf(() => parseCertificate(issued(issuer, 'device'), { limits: { maxNameAttributes: 2 } })).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(inputErrorOf(() => parseCertificate(issued(issuer, 'device'), { limits: { maxDepth: 4 } })).code).toBe('ERR_DER_TOO_DEEP');
  });

  it('an issuer that does not decode reports the offset inside the certificate', () => {
    const bad = d.tlv(0x0c, Uint8Array.of(0x41, 0xc3, 0x28)); // a UTF8String with an invalid sequence
    const malformed = d.seq(d.set(d.seq(d.oid('2.5.4.3'), bad)));
    const der = issued(malformed, 'device');
    const at = Buffer.from(der).indexOf(Buffer.from(bad));
    // Twice: the first sighting is read in place, the second from a copy.
    for (let i = 0; i < 2; i++) {
      const e = inputErrorOf(() => parseCertificate(der));
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

describe('ByteCache, hashBytes, hashEnds (encoding/intern.ts)', () => {
  const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

  it('hashBytes is 32-bit FNV-1a (its published test vectors), over bytes[start, end) only', () => {
    expect(hashBytes(ascii(''), 0, 0)).toBe(0x811c9dc5);
    expect(hashBytes(ascii('a'), 0, 1)).toBe(0xe40c292c);
    expect(hashBytes(ascii('foobar'), 0, 6)).toBe(0xbf9cf968);
    expect(hashBytes(ascii('xxfoobaryy'), 2, 8)).toBe(0xbf9cf968);
  });

  it('hashEnds is hashBytes up to 32 bytes; past that only the length and the first and last 16 bytes count', () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i * 37 + 11) & 0xff);
    for (const n of [0, 1, 16, 31, 32]) expect(hashEnds(bytes, 3, 3 + n)).toBe(hashBytes(bytes, 3, 3 + n));
    const long = bytes.slice(0, 50);
    const h = hashEnds(long, 0, 50);
    expect(h).toBeGreaterThanOrEqual(0);
    expect(h).toBeLessThan(2 ** 32);
    expect(h).not.toBe(hashBytes(long, 0, 50));
    const middle = long.slice();
    middle[16] = middle[16]! ^ 0xff;
    middle[33] = middle[33]! ^ 0xff;
    expect(hashEnds(middle, 0, 50)).toBe(h);
    for (const at of [0, 15, 34, 49]) {
      const changed = long.slice();
      changed[at] = changed[at]! ^ 0x01;
      expect(hashEnds(changed, 0, 50)).not.toBe(h);
    }
    expect(hashEnds(bytes, 0, 51)).not.toBe(h);
    const shifted = new Uint8Array(60).fill(0xff);
    shifted.set(long, 5);
    expect(hashEnds(shifted, 5, 55)).toBe(h);
    // 33 bytes: the first and last 16 overlap nothing but leave one byte out.
    const b33 = bytes.slice(0, 33);
    const h33 = hashEnds(b33, 0, 33);
    const m33 = b33.slice();
    m33[16] = m33[16]! ^ 0xff;
    expect(hashEnds(m33, 0, 33)).toBe(h33);
  });

  const decodeText = (source: Uint8Array, start: number, end: number): string => String.fromCharCode(...source.subarray(start, end));

  it('get() answers only for the same bytes, compared in full (any length, any byte)', () => {
    const cache = new Interner<string>(4);
    for (let n = 0; n <= 9; n++) {
      const key = Uint8Array.from({ length: n }, (_, i) => i + 1);
      const hash = 7;
      expect(cache.add(key, 0, n, hash, () => `v${n}`)).toBe(`v${n}`);
      const framed = new Uint8Array(n + 4).fill(0xaa);
      framed.set(key, 2);
      expect(cache.get(framed, 2, 2 + n, hash)).toBe(`v${n}`);
      for (let at = 0; at < n; at++) {
        const other = framed.slice();
        other[2 + at] = other[2 + at]! ^ 0x80;
        expect(cache.get(other, 2, 2 + n, hash)).toBeUndefined();
      }
      expect(cache.get(framed, 2, 3 + n, hash)).toBeUndefined();
      if (n > 0) expect(cache.get(framed, 2, 1 + n, hash)).toBeUndefined();
    }
  });

  it('slots are hash & (slots - 1): a new entry replaces the one in its slot only', () => {
    const cache = new Interner<string>(4);
    const a = ascii('a');
    const b = ascii('b');
    expect(cache.get(a, 0, 1, 1)).toBeUndefined();
    cache.add(a, 0, 1, 1, () => 'A');
    cache.add(b, 0, 1, 2, () => 'B');
    expect(cache.get(a, 0, 1, 1)).toBe('A');
    expect(cache.get(a, 0, 1, 5)).toBe('A');
    expect(cache.get(a, 0, 1, 2)).toBeUndefined();
    expect(cache.get(b, 0, 1, 2)).toBe('B');
    cache.add(b, 0, 1, 5, () => 'B5');
    expect(cache.get(a, 0, 1, 1)).toBeUndefined();
    expect(cache.get(b, 0, 1, 1)).toBe('B5');
    expect(cache.get(b, 0, 1, 2)).toBe('B');
    cache.add(a, 0, 1, 3, () => 'A3');
    expect(cache.get(a, 0, 1, 3)).toBe('A3');
    expect(cache.get(b, 0, 1, 2)).toBe('B');
  });

  it('a kept value is decoded from its own copy of the bytes; with keepFrom second, from the second sighting only', () => {
    const framed = ascii('xxhelloyy');
    const sources: Uint8Array[] = [];
    const decode = (source: Uint8Array, start: number, end: number): string => {
      sources.push(source);
      return decodeText(source, start, end);
    };
    const first = new Interner<string>(8);
    expect(first.add(framed, 2, 7, 9, decode)).toBe('hello');
    expect(sources[0]).not.toBe(framed);
    expect(Array.from(sources[0]!)).toEqual(Array.from(ascii('hello')));
    framed[3] = 0x45; // the caller's buffer changes; the kept key does not
    expect(first.get(ascii('hello'), 0, 5, 9)).toBe('hello');

    const second = new Interner<string>(8, 'second');
    const bytes = ascii('hello');
    sources.length = 0;
    expect(second.add(bytes, 0, 5, 9, decode)).toBe('hello');
    expect(sources[0]).toBe(bytes);
    expect(second.get(bytes, 0, 5, 9)).toBeUndefined();
    expect(second.add(bytes, 0, 5, 9, decode)).toBe('hello');
    expect(sources[1]).not.toBe(bytes);
    expect(second.get(bytes, 0, 5, 9)).toBe('hello');
    // Another value seen in the slot does not evict the kept one until it is seen twice.
    const other = ascii('world');
    second.add(other, 0, 5, 1, decode);
    expect(second.get(bytes, 0, 5, 9)).toBe('hello');
    second.add(other, 0, 5, 1, decode);
    expect(second.get(other, 0, 5, 1)).toBe('world');
    expect(second.get(bytes, 0, 5, 9)).toBeUndefined();
  });

  it('hands out every value frozen, kept or not, all the way down but for byte arrays', () => {
    const make = (): { list: { x: number }[]; der: Uint8Array } => ({ list: [{ x: 1 }], der: Uint8Array.of(1, 2) });
    for (const keepFrom of ['first', 'second'] as const) {
      const value = new Interner<ReturnType<typeof make>>(4, keepFrom).add(ascii('k'), 0, 1, 0, make);
      expect(Object.isFrozen(value)).toBe(true);
      expect(Object.isFrozen(value.list)).toBe(true);
      expect(Object.isFrozen(value.list[0])).toBe(true);
      expect(Object.isFrozen(value.der)).toBe(false);
      value.der[0] = 9;
      expect(value.der[0]).toBe(9);
    }
    expect(freezeDeep('text')).toBe('text');
    expect(freezeDeep(null)).toBeNull();
  });
});
