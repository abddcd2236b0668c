// Structure-aware mutators for the fuzz harness. Each takes a seeded Rng and an input and
// returns a new input; none uses Math.random, so a seed and an iteration name one input.
// - DER: the TLV tree (tlv.ts): tags, length forms (long, indefinite, overlong, wrong), values by
//   type (INTEGER, OID, BOOLEAN, times, strings, BIT STRING, iPAddress), children deleted,
//   duplicated (also by the thousand), swapped, spliced from other seeds, wrapped deep.
// - PEM: labels, line lengths, whitespace, CRLF, the base64 alphabet, blocks repeated, garbage
//   between blocks, BEGIN/END lines broken.
// - JSON: a tree that can hold duplicate keys: types, keys missing and extra, huge strings,
//   deep nesting, certificate values (DER mutated, PEM, base64url, private keys).
// - DN text: a grammar of every form the parser reads, plus escapes, separators, quotes, hex
//   values, Unicode, OIDs and growth.
// - IP text: a grammar of RFC 4291 forms, plus zone ids, prefixes, leading zeros, brackets.

import { encodeBase64 } from '../../packages/core/src/encoding/index.ts';
import { integerContent, oidContent } from '../fixtures/der-builder.ts';
import type { Rng } from './rng.ts';
import { SECRET_MARKER } from './seeds.ts';
import { cloneNode, collectNodes, concatBytes, parseTlvs, serializeTlvs, tlvSize, type NodeRef, type TlvNode } from './tlv.ts';

export interface MutationLimits {
  /** Largest input a mutator returns, in bytes (or characters). */
  readonly maxSize: number;
  /** Most values one multi-valued RDN of a DN text gets (see the dn target). */
  readonly maxRdnValues: number;
}

const enc = new TextEncoder();
const utf8 = (s: string): Uint8Array => enc.encode(s);
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

// ---------------------------------------------------------------------------------------------
// Generic bytes and text
// ---------------------------------------------------------------------------------------------

const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x1f, 0x20, 0x2d, 0x30, 0x31, 0x3d, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x85, 0xa0, 0xa3, 0xbf, 0xc0, 0xef, 0xfe, 0xff];

/** Byte-level havoc: flips, sets, inserts, deletes, repeats, truncation. */
export function mutateBytes(rng: Rng, input: Uint8Array, limits: MutationLimits): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  const n = rng.small(6);
  for (let k = 0; k < n; k++) {
    const at = rng.int(b.length + 1);
    switch (rng.int(8)) {
      case 0:
        if (b.length > 0) b[Math.min(at, b.length - 1)]! ^= 1 << rng.int(8);
        break;
      case 1:
        if (b.length > 0) b[Math.min(at, b.length - 1)] = rng.pick(INTERESTING_BYTES);
        break;
      case 2:
        b = concatBytes([b.subarray(0, at), rng.bytes(rng.range(1, 8)), b.subarray(at)]);
        break;
      case 3:
        b = concatBytes([b.subarray(0, at), b.subarray(Math.min(b.length, at + rng.range(1, 16)))]);
        break;
      case 4: {
        const len = rng.range(1, 64);
        const chunk = b.subarray(at, at + len);
        const times = rng.chance(0.1) ? rng.logSize(2000) : rng.range(1, 4);
        if (b.length + chunk.length * times <= limits.maxSize) b = concatBytes([b.subarray(0, at), ...Array.from({ length: times }, () => chunk), b.subarray(at)]);
        break;
      }
      case 5:
        b = b.subarray(0, at);
        break;
      case 6:
        if (b.length > 0) b[Math.min(at, b.length - 1)] = rng.u32() & 0xff;
        break;
      default: {
        const from = rng.int(b.length + 1);
        b = concatBytes([b.subarray(0, at), b.subarray(from, from + rng.range(1, 32)), b.subarray(at)]);
      }
    }
  }
  return b.length > limits.maxSize ? b.subarray(0, limits.maxSize) : b;
}

const ODD_CHARS = [
  '\u0000', '\u0001', '\t', '\n', '\r', '\r\n', ' ', '\u007f', '\u0085', '\u00a0', '\u00ad', '\u200b', '\u200e', '\u2028', '\u202e', '\u3000', '\ufeff', '\ufffd',
  '\ud800', '\udc00', '\ud83d\ude00', 'é', 'e\u0301', 'ß', 'İ', 'ı', 'ﬁ', 'Ω', '日', '𝐀', '\u0130', '١', '０', '%', '#', '\\', '"', "'", '=', '+', ',', ';', '/', ':', '.', '-', '_', '<', '>', '@', '[', ']', '{', '}',
];

/** Character-level havoc on text. Splits never land inside a surrogate pair unless asked. */
export function mutateText(rng: Rng, input: string, limits: MutationLimits): string {
  let s = input;
  const n = rng.small(5);
  for (let k = 0; k < n; k++) {
    const at = rng.int(s.length + 1);
    switch (rng.int(7)) {
      case 0:
        s = s.slice(0, at) + rng.pick(ODD_CHARS) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + rng.range(1, 8));
        break;
      case 2: {
        const chunk = s.slice(at, at + rng.range(1, 40));
        const times = rng.chance(0.1) ? rng.logSize(3000) : rng.range(1, 3);
        if (s.length + chunk.length * times <= limits.maxSize) s = s.slice(0, at) + chunk.repeat(times) + s.slice(at);
        break;
      }
      case 3:
        s = s.slice(0, at);
        break;
      case 4:
        if (s.length > 0) {
          const i = Math.min(at, s.length - 1);
          s = s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << rng.int(7))) + s.slice(i + 1);
        }
        break;
      case 5: {
        const from = rng.int(s.length + 1);
        s = s.slice(0, at) + s.slice(from, from + rng.range(1, 30)) + s.slice(at);
        break;
      }
      default:
        s = s.slice(0, at) + String.fromCharCode(rng.chance(0.7) ? rng.range(0x20, 0x7e) : rng.int(0x10000)) + s.slice(at);
    }
  }
  return s.length > limits.maxSize ? s.slice(0, limits.maxSize) : s;
}

// ---------------------------------------------------------------------------------------------
// DER
// ---------------------------------------------------------------------------------------------

/** Nodes of the seeds by first tag byte, to splice into other trees. */
export class DonorPool {
  readonly #byTag = new Map<number, TlvNode[]>();
  readonly #all: TlvNode[] = [];

  add(der: Uint8Array): void {
    const tree = parseTlvs(der);
    if (tree === undefined) return;
    for (const ref of collectNodes(tree)) {
      if (tlvSize([ref.node]) > 16 * 1024) continue;
      const tag = ref.node.tag[0]!;
      let list = this.#byTag.get(tag);
      if (list === undefined) this.#byTag.set(tag, (list = []));
      list.push(ref.node);
      this.#all.push(ref.node);
    }
  }

  /** A copy of a node with this first tag byte (or any node). */
  pick(rng: Rng, tag?: number): TlvNode | undefined {
    const list = tag === undefined ? this.#all : this.#byTag.get(tag) ?? this.#all;
    return list.length === 0 ? undefined : cloneNode(rng.pick(list));
  }
}

const TAGS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1c, 0x1e,
  0x22, 0x23, 0x24, 0x2c, 0x30, 0x31, 0x80, 0x81, 0x82, 0x83, 0x84, 0x86, 0x87, 0x88, 0x89, 0x9f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xbf, 0xc0, 0xe0, 0xff,
];

const OIDS = [
  // Extensions.
  '2.5.29.14', '2.5.29.15', '2.5.29.17', '2.5.29.18', '2.5.29.19', '2.5.29.30', '2.5.29.31', '2.5.29.32', '2.5.29.35', '2.5.29.37', '2.5.29.37.0', '1.3.6.1.5.5.7.1.1', '1.3.6.1.4.1.311.20.2',
  // Algorithms and keys.
  '1.2.840.113549.1.1.1', '1.2.840.113549.1.1.2', '1.2.840.113549.1.1.4', '1.2.840.113549.1.1.5', '1.2.840.113549.1.1.10', '1.2.840.113549.1.1.11', '1.2.840.113549.1.1.12',
  '1.2.840.113549.1.1.13', '1.2.840.113549.1.1.14', '1.2.840.113549.1.1.8', '1.2.840.10045.2.1', '1.2.840.10045.4.1', '1.2.840.10045.4.3.1', '1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3',
  '1.2.840.10045.4.3.4', '1.3.101.112', '1.3.101.113', '1.3.101.110', '1.2.840.10040.4.1', '1.2.840.10040.4.3', '2.16.840.1.101.3.4.3.2',
  '1.2.840.10045.3.1.7', '1.3.132.0.34', '1.3.132.0.35', '1.3.132.0.10', '1.2.840.10045.3.1.1', '1.3.36.3.3.2.8.1.1.7',
  '1.3.14.3.2.26', '2.16.840.1.101.3.4.2.1', '2.16.840.1.101.3.4.2.2', '2.16.840.1.101.3.4.2.3', '2.16.840.1.101.3.4.2.4',
  // Attributes, EKUs, CMS.
  '2.5.4.3', '2.5.4.5', '2.5.4.6', '2.5.4.7', '2.5.4.10', '2.5.4.11', '2.5.4.97', '0.9.2342.19200300.100.1.25', '0.9.2342.19200300.100.1.1', '1.2.840.113549.1.9.1',
  '1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2', '1.3.6.1.4.1.311.20.2.3', '1.2.840.113549.1.7.1', '1.2.840.113549.1.7.2', '1.2.840.113549.1.7.3', '1.2.840.113549.1.9.16.1.2',
  // Edges.
  '0.0', '0.39', '1.39', '2.999', '2.5', '2.25.329800735698586629295641978511506172918', '1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20', '2.5.4.3.0',
];

const RAW_OIDS: readonly number[][] = [[], [0x80], [0x80, 0x01], [0x2a, 0x86], [0x2a, 0x86, 0x48, 0x86, 0xf7], [0x55, 0x04], [0x55], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], [0x88, 0x37], [0x2a, 0x80, 0x01], [0x7f]];

const UTC_TIMES = [
  '240101000000Z', '491231235959Z', '500101000000Z', '991231235959Z', '000229000000Z', '010229000000Z', '241301000000Z', '240100000000Z', '240132000000Z', '240431000000Z',
  '240101240000Z', '240101236000Z', '240101235960Z', '2401010000Z', '240101000000+0100', '240101000000z', '240101000000 ', '240101000000.5Z', 'ZZZZZZZZZZZZZ', '-40101000000Z', '',
];
const GENERALIZED_TIMES = [
  '20240101000000Z', '20491231235959Z', '20500101000000Z', '99991231235959Z', '00000101000000Z', '19500101000000Z', '19491231235959Z', '21000229000000Z', '20000229000000Z',
  '20240101000000.5Z', '20240101000000+0100', '2024010100000Z', '202401010000Z', '20240101000000', '+2024010100000Z', '1234567890123456789Z',
];

const STRING_VALUES = [
  '', ' ', 'a', ' leading', 'trailing ', '#hash', 'a,b+c;d<e>f\\g"h', '\u0000', 'tab\tnl\n', 'é', 'Ω', '日本', '😀', 'ß', 'İ', 'ﬁ', '\u200b', '\ufeff', '=', 'CN=x', '\u0007', '\u007f', ' ', '  ', '\\00',
];

/** Contents for a value of `tag`, valid and not. */
function valueFor(rng: Rng, tag: number, old: Uint8Array | undefined, limits: MutationLimits): Uint8Array {
  const generic = (): Uint8Array => {
    switch (rng.int(5)) {
      case 0:
        return new Uint8Array(0);
      case 1:
        return rng.bytes(rng.logSize(64));
      case 2:
        return rng.bytes(Math.min(limits.maxSize / 2, rng.logSize(70000)));
      case 3:
        return old === undefined ? rng.bytes(3) : old.subarray(0, rng.int(old.length + 1));
      default: {
        const b = Uint8Array.from(old ?? rng.bytes(4));
        if (b.length > 0) b[rng.int(b.length)]! ^= 1 << rng.int(8);
        return b;
      }
    }
  };
  if (rng.chance(0.15)) return generic();
  switch (tag & 0xdf) {
    case 0x01:
      return Uint8Array.from(rng.pick([[0x00], [0xff], [0x01], [0x7f], [], [0xff, 0xff]]));
    case 0x02: {
      const choices: (() => Uint8Array)[] = [
        () => integerContent(rng.pick([0, 1, 2, 3, 4, -1, -2, 127, 128, 255, 256, 0x7fffffff, -0x80000000, 2 ** 32, 65537])),
        () => Uint8Array.from(rng.pick([[0x00, 0x01], [0xff, 0x80], [0x00, 0x00], [0x80], [0x00, 0x80], [], [0xff]])),
        () => {
          const b = rng.bytes(rng.pick([5, 19, 20, 21, 32, 33, 64, 200]));
          if (rng.chance(0.5)) b[0]! &= 0x7f;
          return b;
        },
      ];
      return rng.pick(choices)();
    }
    case 0x03: {
      const body = old !== undefined && old.length > 1 ? old.subarray(1) : rng.bytes(rng.range(0, 8));
      const unused = rng.pick([0, 0, 1, 7, 8, 0xff]);
      return rng.chance(0.2) ? Uint8Array.from(rng.pick([[], [0x07], [0x00], [0x01, 0xff], [0x03, 0x07]])) : concatBytes([Uint8Array.of(unused), body]);
    }
    case 0x05:
      return rng.chance(0.7) ? new Uint8Array(0) : rng.bytes(rng.range(1, 3));
    case 0x06:
      return rng.chance(0.75) ? oidContent(rng.pick(OIDS)) : Uint8Array.from(rng.pick(RAW_OIDS));
    case 0x17:
      return latin1(rng.chance(0.8) ? rng.pick(UTC_TIMES) : rng.pick(GENERALIZED_TIMES));
    case 0x18:
      return latin1(rng.chance(0.8) ? rng.pick(GENERALIZED_TIMES) : rng.pick(UTC_TIMES));
    case 0x0c:
    case 0x12:
    case 0x13:
    case 0x14:
    case 0x16:
    case 0x1a:
      return stringBytes(rng, tag, limits);
    case 0x1c:
    case 0x1e:
      return stringBytes(rng, tag, limits);
    case 0x87 & 0xdf:
      return rng.bytes(rng.pick([0, 1, 3, 4, 4, 5, 8, 15, 16, 16, 17, 32]));
    case 0x81 & 0xdf:
    case 0x82 & 0xdf:
    case 0x86 & 0xdf:
      return rng.chance(0.5) ? utf8(rng.pick(['a@b', '@', 'a@', '@b', '*.example', 'http://x', 'HTTP://Host:1/', 'urn:x', 'x', '', 'a..b', 'é@é', '[::1]', 'http://[::1'])) : stringBytes(rng, 0x16, limits);
    default:
      return generic();
  }
}

function stringBytes(rng: Rng, tag: number, limits: MutationLimits): Uint8Array {
  const text = rng.chance(0.1) ? 'A'.repeat(Math.min(limits.maxSize / 4, rng.logSize(100000))) : rng.pick(STRING_VALUES);
  if (rng.chance(0.2)) {
    // Invalid for the type: malformed UTF-8, odd BMP, out-of-range UniversalString.
    return Uint8Array.from(
      rng.pick([[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xff], [0x80], [0x00, 0x41, 0xd8], [0xd8, 0x00], [0xdc, 0x00, 0x00, 0x41], [0x00, 0x11, 0x00, 0x00], [0x00, 0x00, 0xd8, 0x00], [0x00, 0x00, 0x00]]),
    );
  }
  switch (tag & 0xdf) {
    case 0x1e: {
      const out = new Uint8Array(text.length * 2);
      for (let i = 0; i < text.length; i++) {
        out[2 * i] = text.charCodeAt(i) >> 8;
        out[2 * i + 1] = text.charCodeAt(i) & 0xff;
      }
      return out;
    }
    case 0x1c: {
      const cps = [...text].map((c) => c.codePointAt(0)!);
      const out = new Uint8Array(cps.length * 4);
      cps.forEach((cp, i) => {
        out[4 * i] = cp >>> 24;
        out[4 * i + 1] = (cp >>> 16) & 0xff;
        out[4 * i + 2] = (cp >>> 8) & 0xff;
        out[4 * i + 3] = cp & 0xff;
      });
      return out;
    }
    case 0x14:
      return latin1(text);
    default:
      return rng.chance(0.7) ? utf8(text) : latin1(text);
  }
}

type TreeOp = (rng: Rng, tree: TlvNode[], refs: NodeRef[], donors: DonorPool, limits: MutationLimits) => void;

const isConstructed = (n: TlvNode): boolean => n.children !== undefined;

const TREE_OPS: readonly (readonly [number, TreeOp])[] = [
  // Tag byte: another tag, the constructed bit, a high-tag-number form.
  [6, (rng, _t, refs) => {
    const { node } = rng.pick(refs);
    const k = rng.int(4);
    if (k === 0) node.tag = Uint8Array.of(node.tag[0]! ^ 0x20);
    else if (k === 1) node.tag = Uint8Array.from(rng.pick([[0x1f, 0x81, 0x00], [0x3f, 0x22], [0x9f, 0x7f], [0xbf, 0x81, 0x80, 0x80, 0x01], [0x1f]]));
    else node.tag = Uint8Array.of(rng.pick(TAGS));
  }],
  // Length forms: non-minimal long, indefinite, wrong, overlong, reserved.
  [8, (rng, _t, refs) => {
    const { node } = rng.pick(refs);
    node.length = rng.weighted([
      [3, { kind: 'long', octets: rng.range(1, 4) } as const],
      [2, { kind: 'indefinite' } as const],
      [3, { kind: 'delta', delta: rng.pick([-3, -2, -1, 1, 2, 3, 100, -100, 1 << 16]) } as const],
      [2, { kind: 'raw', bytes: Uint8Array.from(rng.pick([[0x80], [0xff], [0x85, 1, 0, 0, 0, 0], [0x84, 0xff, 0xff, 0xff, 0xff], [0x84, 0x7f, 0xff, 0xff, 0xff], [0x83, 0x40, 0x00, 0x00], [0x82, 0x00, 0x05], [0x81, 0x05], [0x81], []])) } as const],
    ]);
  }],
  // A value rewritten for its type; half the time a tag is chosen first, so rare types
  // (an iPAddress, a NULL, a BOOLEAN) get as many edits as the common ones.
  [14, (rng, _t, refs, _d, limits) => {
    let prim = refs.filter((r) => !isConstructed(r.node));
    if (prim.length > 0 && rng.chance(0.5)) {
      const tags = [...new Set(prim.map((r) => r.node.tag[0]!))];
      const tag = rng.pick(tags);
      prim = prim.filter((r) => r.node.tag[0] === tag);
    }
    const { node } = prim.length > 0 ? rng.pick(prim) : rng.pick(refs);
    node.value = valueFor(rng, node.tag[0]!, node.value, limits);
    delete node.children;
    delete node.prefix;
  }],
  // A value's bytes flipped in place.
  [4, (rng, _t, refs, _d, limits) => {
    const { node } = rng.pick(refs);
    if (node.value !== undefined) node.value = mutateBytes(rng, node.value, limits);
    else if (node.prefix !== undefined) node.prefix = Uint8Array.of(rng.pick([1, 7, 8, 0xff]));
  }],
  // Truncation: a value or the children cut short.
  [5, (rng, _t, refs) => {
    const { node } = rng.pick(refs);
    if (node.children !== undefined) node.children.length = rng.int(node.children.length);
    else if (node.value !== undefined) node.value = node.value.subarray(0, rng.int(node.value.length));
  }],
  // A child deleted.
  [5, (rng, _t, refs) => {
    const r = rng.pick(refs);
    if (r.depth > 0) r.siblings.splice(r.index, 1);
  }],
  // A child duplicated: once, a few times, or by the thousand (limits, linear time).
  [6, (rng, tree, refs, _d, limits) => {
    const r = rng.pick(refs);
    const big = rng.chance(0.25);
    const times = big ? rng.logSize(5000) : rng.range(1, 3);
    const size = tlvSize([r.node]);
    const room = Math.floor((limits.maxSize - tlvSize(tree)) / Math.max(1, size));
    const n = Math.min(times, room);
    if (n > 0) r.siblings.splice(r.index, 0, ...Array.from({ length: n }, () => cloneNode(r.node)));
  }],
  // Siblings swapped or reversed.
  [3, (rng, _t, refs) => {
    const r = rng.pick(refs);
    if (r.siblings.length < 2) return;
    if (rng.chance(0.3)) r.siblings.reverse();
    else {
      const j = rng.int(r.siblings.length);
      [r.siblings[r.index], r.siblings[j]] = [r.siblings[j]!, r.siblings[r.index]!];
    }
  }],
  // A node from another seed: inserted next to one, or in place of one with the same tag.
  [7, (rng, _t, refs, donors) => {
    const r = rng.pick(refs);
    const same = rng.chance(0.6);
    const donor = donors.pick(rng, same ? r.node.tag[0] : undefined);
    if (donor === undefined) return;
    if (rng.chance(0.5)) r.siblings[r.index] = donor;
    else r.siblings.splice(r.index + rng.int(2), 0, donor);
  }],
  // Wrapped in SEQUENCE/SET/[n] layers, a few or past the depth limit.
  [3, (rng, _t, refs) => {
    const r = rng.pick(refs);
    let node = r.node;
    const layers = rng.chance(0.3) ? rng.pick([31, 32, 33, 40, 200]) : rng.range(1, 3);
    for (let i = 0; i < layers; i++) node = { tag: Uint8Array.of(rng.pick([0x30, 0x31, 0xa0, 0xa3, 0x04])), children: [node] };
    r.siblings[r.index] = node;
  }],
  // A constructed node replaced by its children, or emptied.
  [3, (rng, _t, refs) => {
    const r = rng.pick(refs);
    if (r.node.children === undefined) return;
    if (rng.chance(0.5)) r.siblings.splice(r.index, 1, ...r.node.children);
    else r.node.children = [];
  }],
  // Trailing bytes inside an element.
  [3, (rng, _t, refs) => {
    const { node } = rng.pick(refs);
    node.trailer = Uint8Array.from(rng.pick([[0x00], [0x00, 0x00], [0x05, 0x00], [0x02, 0x01, 0x00], [0xff], [0x30, 0x00]]));
  }],
];

/**
 * One to several structure-aware edits of a DER input; byte havoc when it is no TLV tree.
 * `focus` picks the nodes edits go to (when any node passes it).
 */
export function mutateDer(rng: Rng, input: Uint8Array, donors: DonorPool, limits: MutationLimits, focus?: (ref: NodeRef) => boolean): Uint8Array {
  const tree = parseTlvs(input);
  let out: Uint8Array;
  if (tree === undefined || tree.length === 0 || rng.chance(0.05)) out = mutateBytes(rng, input, limits);
  else {
    const n = rng.small(5);
    for (let k = 0; k < n; k++) {
      let refs = collectNodes(tree);
      if (focus !== undefined) {
        const focused = refs.filter(focus);
        if (focused.length > 0) refs = focused;
      }
      if (refs.length === 0) break;
      rng.weighted(TREE_OPS)(rng, tree, refs, donors, limits);
    }
    out = serializeTlvs(tree);
  }
  // Edits of the whole: cut, extended, a byte flipped.
  const k = rng.int(20);
  if (k === 0) out = out.subarray(0, rng.int(out.length + 1));
  else if (k === 1) out = concatBytes([out, rng.bytes(rng.range(1, 4))]);
  else if (k === 2 && out.length > 0) {
    out = Uint8Array.from(out);
    out[rng.int(out.length)]! ^= 1 << rng.int(8);
  }
  return out.length > limits.maxSize ? out.subarray(0, limits.maxSize) : out;
}

/**
 * Edits of a PKCS#7 bundle, mostly of its SignedData wrapper: ContentInfo and its contentType,
 * SignedData's version, digestAlgorithms, encapContentInfo, the certificates [0] and crls [1]
 * fields and the order, number and kind of their entries (depth 4 and above). The certificates
 * inside are the der target's work.
 */
export function mutatePkcs7(rng: Rng, input: Uint8Array, donors: DonorPool, limits: MutationLimits): Uint8Array {
  return mutateDer(rng, input, donors, limits, rng.chance(0.8) ? (ref) => ref.depth <= 4 : undefined);
}

// ---------------------------------------------------------------------------------------------
// PEM
// ---------------------------------------------------------------------------------------------

const LABELS = [
  'CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE', 'PKCS7', 'CMS', 'PKCS #7 SIGNED DATA', 'CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST', 'X509 CRL', 'PUBLIC KEY',
  'RSA PUBLIC KEY', 'PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'certificate', 'CERTIFICATE ', ' CERTIFICATE', 'CERTIFICATE-', 'CERT IFICATE', 'CERTIFICATE  X',
  '', 'A'.repeat(80), 'CERTIFICATE\u00e9', 'CERTIFICATE\t', '-----',
];

interface PemBlockText {
  label: string;
  endLabel: string;
  body: string;
  before: string;
}

/** Splits a text into blocks and the text around them (a lenient reading, for mutation only). */
function splitPem(text: string): { blocks: PemBlockText[]; tail: string } {
  const re = /-----BEGIN ([^\n]*?)-----\r?\n([\s\S]*?)-----END ([^\n]*?)-----/g;
  const blocks: PemBlockText[] = [];
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    blocks.push({ label: m[1]!, body: m[2]!, endLabel: m[3]!, before: text.slice(last, m.index) });
    last = m.index + m[0].length;
  }
  return { blocks, tail: text.slice(last) };
}

function joinPem(blocks: readonly PemBlockText[], tail: string, eol: string): string {
  return blocks.map((b) => `${b.before}-----BEGIN ${b.label}-----${eol}${b.body}-----END ${b.endLabel}-----`).join('') + tail;
}

function rewrap(rng: Rng, body: string, eol: string): string {
  const compact = body.replace(/\s+/g, '');
  const width = rng.pick([1, 4, 63, 64, 65, 76, 1000, 100000]);
  const lines: string[] = [];
  for (let i = 0; i < compact.length; i += width) lines.push(compact.slice(i, i + width));
  return lines.join(eol) + eol;
}

/** Edits of a PEM text's structure, then sometimes of its characters. */
export function mutatePem(rng: Rng, input: string, donors: DonorPool, limits: MutationLimits): string {
  const { blocks, tail: initialTail } = splitPem(input);
  let tail = initialTail;
  let eol = input.includes('\r\n') ? '\r\n' : '\n';
  const n = rng.small(4);
  for (let k = 0; k < n; k++) {
    const b = blocks.length > 0 ? rng.pick(blocks) : undefined;
    switch (rng.int(13)) {
      case 0:
        if (b !== undefined) {
          b.label = rng.pick(LABELS);
          if (rng.chance(0.7)) b.endLabel = b.label;
        }
        break;
      case 1:
        if (b !== undefined) b.body = rewrap(rng, b.body, rng.chance(0.2) ? rng.pick(['\r\n', '\r', '\n\n', ' \n', '\n\t']) : eol);
        break;
      case 2:
        eol = eol === '\n' ? '\r\n' : '\n';
        for (const x of blocks) x.body = x.body.replace(/\r?\n/g, eol);
        break;
      case 3:
        // The base64 alphabet: base64url, padding, stray characters.
        if (b !== undefined) {
          const at = rng.int(b.body.length + 1);
          b.body = b.body.slice(0, at) + rng.pick(['-', '_', '=', '==', '===', '*', ' ', '\t', '\u00e9', '\u0000', ':', 'Proc-Type: 4,ENCRYPTED\n', '\n\n', '.']) + b.body.slice(at);
        }
        break;
      case 4:
        // Blocks repeated (a large bundle) or dropped.
        if (b !== undefined) {
          const times = rng.chance(0.3) ? rng.logSize(3000) : rng.range(1, 3);
          const size = b.body.length + b.label.length * 2 + 40;
          const room = Math.floor((limits.maxSize - input.length) / size);
          for (let i = 0; i < Math.min(times, room); i++) blocks.splice(rng.int(blocks.length + 1), 0, { ...b, before: rng.chance(0.5) ? eol : '' });
        } else blocks.length = 0;
        break;
      case 5:
        if (blocks.length > 0) blocks.splice(rng.int(blocks.length), 1);
        break;
      case 6:
        // Garbage or explanatory text between blocks.
        if (b !== undefined) b.before += rng.pick(['subject=CN = x\n', 'Bag Attributes\n    localKeyID: 01\n', '\u0000\u0001', '-----\n', '-----BEGIN \n', '-----END CERTIFICATE-----\n', '\ufeff', 'é\n', ' '.repeat(5000)]);
        else tail += rng.pick(['garbage', '\n', '-----BEGIN CERTIFICATE-----\n']);
        break;
      case 7:
        // The body truncated, or padding removed.
        if (b !== undefined) b.body = rng.chance(0.5) ? b.body.slice(0, rng.int(b.body.length)) : b.body.replace(/=/g, '');
        break;
      case 8:
        // A new body: a mutated DER, or a donor's.
        if (b !== undefined) {
          const donor = donors.pick(rng, 0x30);
          if (donor !== undefined) b.body = rewrap(rng, encodeBase64(serializeTlvs([donor])), eol);
        }
        break;
      case 9:
        // Whitespace around boundary lines, a BOM, indentation.
        if (b !== undefined) b.before += rng.pick([' ', '\t', '\ufeff', '  \t ']);
        break;
      case 10:
        // The END line lost, or a BEGIN line inside a body.
        if (b !== undefined) {
          if (rng.chance(0.5)) b.body += `-----BEGIN ${b.label}-----${eol}`;
          else b.endLabel = rng.pick([b.endLabel + 'X', '', b.label.toLowerCase()]);
        }
        break;
      case 11:
        // A private key block, whose content must never reach a message.
        blocks.splice(rng.int(blocks.length + 1), 0, {
          before: '',
          label: rng.pick(['PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY']),
          endLabel: 'PRIVATE KEY',
          body: `${SECRET_MARKER}${SECRET_MARKER}AAAA${eol}`,
        });
        if (rng.chance(0.7)) blocks[blocks.length - 1]!.endLabel = blocks[blocks.length - 1]!.label;
        break;
      default:
        tail = rng.chance(0.5) ? '' : tail + eol;
    }
  }
  let out = joinPem(blocks, tail, eol);
  if (blocks.length === 0 && rng.chance(0.5)) out = input;
  if (rng.chance(0.25)) out = mutateText(rng, out, limits);
  if (rng.chance(0.05)) out = '\ufeff' + out;
  return out.length > limits.maxSize ? out.slice(0, limits.maxSize) : out;
}

// ---------------------------------------------------------------------------------------------
// JSON (a tree that keeps duplicate keys and number spellings)
// ---------------------------------------------------------------------------------------------

export type Json =
  | { t: 'obj'; entries: [string, Json][] }
  | { t: 'arr'; items: Json[] }
  | { t: 'str'; v: string }
  | { t: 'num'; raw: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

function toJson(value: unknown): Json {
  if (value === null) return { t: 'null' };
  if (Array.isArray(value)) return { t: 'arr', items: value.map(toJson) };
  switch (typeof value) {
    case 'object':
      return { t: 'obj', entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJson(v)]) };
    case 'string':
      return { t: 'str', v: value };
    case 'number':
      return { t: 'num', raw: JSON.stringify(value) };
    case 'boolean':
      return { t: 'bool', v: value };
    default:
      return { t: 'null' };
  }
}

function quoteJson(rng: Rng, s: string): string {
  const q = JSON.stringify(s);
  // Some characters written as \u escapes, which JSON allows anywhere in a string.
  return rng.chance(0.1) ? q.replace(/[a-zA-Z]/g, (c) => (rng.chance(0.2) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)) : q;
}

function writeJson(rng: Rng, j: Json, indent: string, depth: number): string {
  // Deeply nested values are written without indentation (it would grow with the square of the depth).
  const pad = indent !== '' && depth < 64;
  const nl = pad ? '\n' + indent.repeat(depth + 1) : '';
  const close = pad ? '\n' + indent.repeat(depth) : '';
  switch (j.t) {
    case 'obj': {
      if (j.entries.length === 0) return '{}';
      let out = '{';
      for (let i = 0; i < j.entries.length; i++) {
        const [k, v] = j.entries[i]!;
        out += `${i > 0 ? ',' : ''}${nl}${quoteJson(rng, k)}:${pad ? ' ' : ''}${writeJson(rng, v, indent, depth + 1)}`;
      }
      return `${out}${close}}`;
    }
    case 'arr': {
      if (j.items.length === 0) return '[]';
      let out = '[';
      for (let i = 0; i < j.items.length; i++) out += `${i > 0 ? ',' : ''}${nl}${writeJson(rng, j.items[i]!, indent, depth + 1)}`;
      return `${out}${close}]`;
    }
    case 'str':
      return quoteJson(rng, j.v);
    case 'num':
      return j.raw;
    case 'bool':
      return String(j.v);
    default:
      return 'null';
  }
}

/** How deep the tree is (nesting mutations stop at MAX_JSON_DEPTH: the harness recurses). */
function jsonDepth(j: Json): number {
  let max = 0;
  if (j.t === 'obj') for (const [, v] of j.entries) max = Math.max(max, jsonDepth(v));
  else if (j.t === 'arr') for (const v of j.items) max = Math.max(max, jsonDepth(v));
  return max + 1;
}

const MAX_JSON_DEPTH = 1500;

const JSON_KEYS = [
  'displayName', 'tlsClientAuthParameter', 'certificateAuthorities', 'certificate', 'isRootAuthority', 'certificateRevocationListUrl', 'deltaCertificateRevocationListUrl', '@odata.type',
  '@odata.context', '@odata.id', '@odata.etag', 'id', 'deletedDateTime', 'issuer', 'issuerSki', 'unknownProperty', 'certificate@odata.mediaEditLink', '__proto__', 'constructor', 'toString',
  'hasOwnProperty', '', 'DisplayName', 'certificateAuthority', 'error', 'value', '@odata.nextLink', 'code', 'message', 'innerError',
];
const PARAMETERS = ['tls_client_auth_subject_dn', 'tls_client_auth_san_dns', 'tls_client_auth_san_uri', 'tls_client_auth_san_ip', 'tls_client_auth_san_email', 'unknownFutureValue', 'TLS_CLIENT_AUTH_SAN_DNS', '', 'tls_client_auth_subject_dn '];
const NUMBERS = ['0', '-0', '1', '-1', '1.5', '1e999', '-1e999', '1e-999', '123456789012345678901234567890', '0.1', '2e3', '9007199254740993'];

export interface JsonMaterial {
  /** DER certificates (and other DER) to put in `certificate` values, mutated or not. */
  readonly der: readonly Uint8Array[];
  readonly donors: DonorPool;
}

function certificateValue(rng: Rng, material: JsonMaterial, limits: MutationLimits): string {
  const der = rng.pick(material.der);
  const b64 = encodeBase64(der);
  switch (rng.int(10)) {
    case 0:
      return encodeBase64(mutateDer(rng, der, material.donors, limits));
    case 1:
      return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    case 2:
      return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    case 3:
      return b64.replace(/(.{64})/g, '$1\r\n');
    case 4:
      return b64.slice(0, rng.int(b64.length));
    case 5:
      return `-----BEGIN PRIVATE KEY-----\n${SECRET_MARKER}${SECRET_MARKER}AAAA\n-----END PRIVATE KEY-----`;
    case 6:
      return rng.pick(['', '=', 'AAAA', 'AA==', 'AB==', '!!!!', ' ', 'null']);
    case 7:
      return mutateText(rng, b64, limits);
    default:
      return b64;
  }
}

function randomJsonValue(rng: Rng, material: JsonMaterial, limits: MutationLimits, key?: string): Json {
  if (key === 'certificate' && rng.chance(0.7)) return { t: 'str', v: certificateValue(rng, material, limits) };
  if (key === 'tlsClientAuthParameter' && rng.chance(0.7)) return { t: 'str', v: rng.pick(PARAMETERS) };
  switch (rng.int(9)) {
    case 0:
      return { t: 'null' };
    case 1:
      return { t: 'bool', v: rng.chance(0.5) };
    case 2:
      return { t: 'num', raw: rng.pick(NUMBERS) };
    case 3:
      return { t: 'str', v: rng.pick(['', ' ', 'x', 'true', 'http://crl.example/x.crl', 'https://crl.example/x.crl', 'HTTP://X', 'ftp://x', '#microsoft.graph.certificateAuthority', '#microsoft.graph.mutualTlsOauthConfiguration', '\ud800', '😀', '\u0000']) };
    case 4:
      return { t: 'str', v: 'x'.repeat(Math.min(limits.maxSize / 2, rng.pick([255, 256, 257, 5000, rng.logSize(200000)]))) };
    case 5:
      return { t: 'arr', items: [] };
    case 6:
      return { t: 'obj', entries: [] };
    case 7:
      return { t: 'str', v: certificateValue(rng, material, limits) };
    default:
      return { t: 'str', v: rng.pick(PARAMETERS) };
  }
}

function jsonNodes(j: Json, out: Json[] = []): Json[] {
  out.push(j);
  if (j.t === 'obj') for (const [, v] of j.entries) jsonNodes(v, out);
  else if (j.t === 'arr') for (const v of j.items) jsonNodes(v, out);
  return out;
}

function jsonSize(j: Json): number {
  switch (j.t) {
    case 'obj':
      return 2 + j.entries.reduce((n, [k, v]) => n + k.length + 4 + jsonSize(v), 0);
    case 'arr':
      return 2 + j.items.reduce((n, v) => n + 1 + jsonSize(v), 0);
    case 'str':
      return j.v.length + 2;
    case 'num':
      return j.raw.length;
    default:
      return 5;
  }
}

function cloneJson(j: Json): Json {
  switch (j.t) {
    case 'obj':
      return { t: 'obj', entries: j.entries.map(([k, v]) => [k, cloneJson(v)]) };
    case 'arr':
      return { t: 'arr', items: j.items.map(cloneJson) };
    default:
      return { ...j };
  }
}

/** Edits of a JSON body's structure and values; text havoc now and then for invalid JSON. */
export function mutateJson(rng: Rng, input: string, material: JsonMaterial, limits: MutationLimits): string {
  let root: Json;
  try {
    root = toJson(JSON.parse(input));
  } catch {
    return mutateText(rng, input, limits);
  }
  const n = rng.small(5);
  for (let k = 0; k < n; k++) {
    const nodes = jsonNodes(root);
    const objects = nodes.filter((x): x is Extract<Json, { t: 'obj' }> => x.t === 'obj');
    const arrays = nodes.filter((x): x is Extract<Json, { t: 'arr' }> => x.t === 'arr');
    const obj = objects.length > 0 ? rng.pick(objects) : undefined;
    switch (rng.int(11)) {
      case 0:
        // A value of another type.
        if (obj !== undefined && obj.entries.length > 0) {
          const e = rng.pick(obj.entries);
          e[1] = randomJsonValue(rng, material, limits, e[0]);
        }
        break;
      case 1:
        if (obj !== undefined && obj.entries.length > 0) obj.entries.splice(rng.int(obj.entries.length), 1);
        break;
      case 2:
        if (obj !== undefined) {
          const key = rng.pick(JSON_KEYS);
          obj.entries.splice(rng.int(obj.entries.length + 1), 0, [key, randomJsonValue(rng, material, limits, key)]);
        }
        break;
      case 3:
        // A duplicate key (JSON.parse keeps the last).
        if (obj !== undefined && obj.entries.length > 0) {
          const [key] = rng.pick(obj.entries);
          obj.entries.push([key, randomJsonValue(rng, material, limits, key)]);
        }
        break;
      case 4:
        // A certificate value replaced.
        {
          const certs = objects.flatMap((o) => o.entries.filter(([key]) => key === 'certificate'));
          if (certs.length > 0) rng.pick(certs)[1] = { t: 'str', v: certificateValue(rng, material, limits) };
        }
        break;
      case 5:
        // List entries repeated (many CAs), dropped or emptied.
        if (arrays.length > 0) {
          const a = rng.pick(arrays);
          if (a.items.length === 0 || rng.chance(0.2)) a.items.length = 0;
          else {
            const item = rng.pick(a.items);
            const times = rng.chance(0.3) ? rng.pick([249, 250, 251, 300, 1000]) : rng.range(1, 3);
            const room = Math.floor((limits.maxSize - jsonSize(root)) / Math.max(1, jsonSize(item)));
            for (let i = 0; i < Math.min(times, room); i++) a.items.push(cloneJson(item));
          }
        }
        break;
      case 6:
        // Deep nesting.
        if (obj !== undefined && obj.entries.length > 0) {
          const e = rng.pick(obj.entries);
          let v = e[1];
          const depth = Math.min(MAX_JSON_DEPTH - jsonDepth(root), rng.chance(0.2) ? rng.pick([100, 500, 1400]) : rng.range(1, 4));
          for (let i = 0; i < depth; i++) v = rng.chance(0.5) ? { t: 'arr', items: [v] } : { t: 'obj', entries: [['a', v]] };
          e[1] = v;
        }
        break;
      case 7:
        // The whole body of another kind.
        root = rng.weighted([
          [3, { t: 'arr', items: [root] } as Json],
          [1, { t: 'str', v: 'x' } as Json],
          [1, { t: 'num', raw: '1' } as Json],
          [1, { t: 'null' } as Json],
          [1, { t: 'obj', entries: [['value', { t: 'arr', items: [root] }]] } as Json],
        ]);
        break;
      case 8:
        // The parameter enum.
        if (obj !== undefined) obj.entries.push(['tlsClientAuthParameter', { t: 'str', v: rng.pick(PARAMETERS) }]);
        break;
      case 9:
        // A key renamed (case, spelling).
        if (obj !== undefined && obj.entries.length > 0) {
          const e = rng.pick(obj.entries);
          e[0] = rng.chance(0.5) ? e[0].toUpperCase() : rng.pick(JSON_KEYS);
        }
        break;
      default:
        if (obj !== undefined && obj.entries.length > 1) obj.entries.reverse();
    }
  }
  let out = writeJson(rng, root, rng.pick(['', '', '  ', '\t']), 0);
  const k = rng.int(14);
  if (k === 0) out = out.slice(0, rng.int(out.length));
  else if (k === 1) out = `\ufeff${out}`;
  else if (k === 2) out = `${rng.pick([' ', '\n', '\r\n\t'])}${out}${rng.pick(['', ' ', 'x', '}', ',', '\u0000'])}`;
  else if (k === 3) out = mutateText(rng, out, limits);
  return out.length > limits.maxSize ? out.slice(0, limits.maxSize) : out;
}

// ---------------------------------------------------------------------------------------------
// DN text
// ---------------------------------------------------------------------------------------------

const DN_TYPES = [
  'CN', 'cn', 'Cn', 'commonName', 'O', 'OU', 'C', 'L', 'ST', 'S', 'STREET', 'DC', 'UID', 'E', 'EMAIL', 'emailAddress', 'SERIALNUMBER', 'serialNumber', 'SN', 'G', 'GN', 'givenName', 'T', 'I',
  'title', 'description', 'postalCode', 'POBox', 'Phone', 'X21Address', 'name', 'pseudonym', 'dnQualifier', 'generationQualifier', 'organizationIdentifier', 'businessCategory',
  'unstructuredName', 'jurisdictionC', 'jurisdictionST', 'jurisdictionL', 'TPMManufacturer', 'TPMModel', 'TPMVersion',
  '2.5.4.3', '2.5.4.6', '0.9.2342.19200300.100.1.25', '1.2.840.113549.1.9.1', '1.3.6.1.4.1.311.60.2.1.3', '2.999.1', 'OID.2.5.4.3', 'oid.2.5.4.10', 'OID.1.2.3',
];
/** Not attribute types: the parser must refuse them. */
const BAD_DN_TYPES = ['XX', 'C-N', '3.1', '1.40', '01.2', '1..2', '1.2.', '1', 'OID.', 'OID.x', '-CN', 'Ö', ''];

const DN_VALUES = [
  'x', 'Test', 'J. Smith', 'a b  c', 'Zürich', '日本語', '😀', 'ß', 'İstanbul', 'ﬁ', 'e\u0301', '\u00a0nbsp', '\u200bzero', '\ufeffbom', '\u0000', 'tab\there', 'line\nbreak', '', ' ', 'A'.repeat(300),
];

const HEX_VALUES = [
  '#0c0161', '#130255 53', '#1302555', '#16036140', '#1e0400e40041', '#1c0000000041', '#0403010203', '#0500', '#300302 0101', '#0c', '#', '#zz', '#0c02c380', '#0c03eda080',
  '#1e03d800', '#1e02d800', '#1c0400110000', '#0c8200016161', '#0c0400000000', '#3000', '#0c0161 ', '#0C0161', '#0c0161#0c0161',
];

/** An RFC 4514 value with the specials escaped (so it parses). */
function escapedValue(rng: Rng, value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if ('"+,;<>\\'.includes(c) || (i === 0 && (c === '#' || c === ' ')) || (i === value.length - 1 && c === ' ')) out += `\\${c}`;
    else if (c.charCodeAt(0) < 0x20 || (rng.chance(0.05) && c.charCodeAt(0) > 0x7f && !/[\ud800-\udfff]/.test(c))) {
      for (const b of new TextEncoder().encode(c)) {
        const h = b.toString(16).padStart(2, '0');
        out += `\\${rng.chance(0.5) ? h.toUpperCase() : h}`;
      }
    } else out += c;
  }
  return out;
}

function dnValue(rng: Rng): string {
  const v = rng.pick(DN_VALUES);
  switch (rng.int(6)) {
    case 0:
      return rng.pick(HEX_VALUES).replace(' ', '');
    case 1:
      return `"${v.replace(/"/g, '""')}"`;
    case 2:
      return v;
    case 3:
      return `"${v.replace(/"/g, '\\"')}"`;
    default:
      return escapedValue(rng, v + rng.pick(['', ',', '+', ';', '"', '\\', '#', '<>', '=', ' ']));
  }
}

/** A DN in one of the forms the parser reads: RFC 4514, .NET, OpenSSL one-line or slash form. */
export function generateDn(rng: Rng, limits: MutationLimits): string {
  const style = rng.int(5);
  const rdns = rng.chance(0.05) ? rng.logSize(600) : rng.range(0, 6);
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; i < rdns && size < limits.maxSize; i++) {
    const values = rng.chance(0.2) ? (rng.chance(0.2) ? Math.min(limits.maxRdnValues, rng.logSize(limits.maxRdnValues)) : rng.range(2, 4)) : 1;
    const avas: string[] = [];
    for (let j = 0; j < values; j++) {
      const type = rng.chance(0.95) ? rng.pick(DN_TYPES) : rng.pick(BAD_DN_TYPES);
      const eq = style === 2 ? ' = ' : rng.chance(0.05) ? rng.pick([' =', '= ', '\t=\t']) : '=';
      // Large RDNs get distinct values (v0, v1, …): the hard case for pairing AVAs across orders.
      avas.push(`${type}${eq}${values > 4 ? `v${j}` : dnValue(rng)}`);
    }
    const rdn = avas.join(rng.chance(0.8) ? (style === 1 ? ' + ' : '+') : rng.pick([' +', '+ ', '+\n']));
    parts.push(rdn);
    size += rdn.length;
  }
  switch (style) {
    case 1:
      return parts.join(', ');
    case 2:
      return parts.join(', ');
    case 3:
      return parts.length === 0 ? '/' : `/${parts.join('/')}`;
    default:
      return parts.join(rng.chance(0.9) ? ',' : rng.pick([';', ' , ', ',\n', '; ']));
  }
}

/** Edits of a DN text at the places that matter: separators, escapes, quotes, '=', '#'. */
export function mutateDn(rng: Rng, input: string, limits: MutationLimits): string {
  let s = input;
  const n = rng.small(4);
  for (let k = 0; k < n; k++) {
    const seps = [...s.matchAll(/[,;+=#"\\/]/g)].map((m) => m.index);
    const at = seps.length > 0 && rng.chance(0.7) ? rng.pick(seps) : rng.int(s.length + 1);
    switch (rng.int(9)) {
      case 0:
        s = s.slice(0, at) + rng.pick([',', ';', '+', '=', '#', '"', '\\', '/', ' ', '\\,', '\\+', '\\5C', '\\C3\\A9', '\\C3', '\\ZZ', '\\5', '\\"', '""', '\\ ', '\\\\']) + s.slice(at + (rng.chance(0.5) ? 1 : 0));
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1);
        break;
      case 2:
        s = s.slice(0, at) + rng.pick([',', '+']) + `${rng.chance(0.9) ? rng.pick(DN_TYPES) : rng.pick(BAD_DN_TYPES)}=${dnValue(rng)}` + s.slice(at);
        break;
      case 3: {
        // An RDN or attribute repeated: many RDNs, or a large multi-valued RDN (bounded).
        const sep = rng.chance(0.5) ? '+' : ',';
        const piece = `${sep}${rng.pick(DN_TYPES.slice(0, 12))}=${dnValue(rng)}`;
        const cap = sep === '+' ? limits.maxRdnValues : 100000;
        const times = Math.min(cap, rng.chance(0.3) ? rng.logSize(cap) : rng.range(1, 4), Math.floor((limits.maxSize - s.length) / piece.length));
        if (times > 0) s = s + piece.repeat(times);
        break;
      }
      case 4:
        s = s.slice(0, at) + rng.pick(ODD_CHARS) + s.slice(at);
        break;
      case 5:
        s = rng.pick([' ', '\t', '\n', '/', '', '\ufeff']) + s + rng.pick([' ', '\\', ',', '+', '\t', '', '\\ ']);
        break;
      case 6:
        s = s.slice(0, at) + rng.pick(HEX_VALUES) + s.slice(at);
        break;
      case 7:
        s = s.slice(0, at);
        break;
      default:
        s = mutateText(rng, s, limits);
    }
  }
  return s.length > limits.maxSize ? s.slice(0, limits.maxSize) : s;
}

// ---------------------------------------------------------------------------------------------
// IP text
// ---------------------------------------------------------------------------------------------

function hexGroup(rng: Rng): string {
  const v = rng.chance(0.3) ? 0 : rng.chance(0.5) ? rng.int(0x10000) : rng.int(0x100);
  let g = v.toString(16);
  if (rng.chance(0.1)) g = g.padStart(4, '0');
  if (rng.chance(0.1)) g = g.toUpperCase();
  return g;
}

function ipv4(rng: Rng): string {
  return Array.from({ length: 4 }, () => String(rng.chance(0.3) ? rng.pick([0, 1, 255, 10, 127]) : rng.int(256))).join('.');
}

/** An IPv4 or IPv6 text in any RFC 4291 §2.2 form (and some just outside). */
export function generateIp(rng: Rng): string {
  if (rng.chance(0.3)) return ipv4(rng);
  const groups = Array.from({ length: 8 }, () => hexGroup(rng));
  const tail = rng.chance(0.15);
  const count = tail ? 6 : 8;
  let parts = groups.slice(0, count);
  let text: string;
  if (rng.chance(0.6)) {
    const from = rng.int(count);
    const len = rng.range(1, count - from);
    const left = parts.slice(0, from);
    const right = parts.slice(from + len);
    text = `${left.join(':')}::${right.join(':')}`;
    if (tail) text += (right.length > 0 ? ':' : '') + ipv4(rng);
  } else {
    parts = parts.map((g) => (rng.chance(0.3) ? '0' : g));
    text = parts.join(':') + (tail ? `:${ipv4(rng)}` : '');
  }
  return text;
}

/** Edits of an IP text: compression, zone ids, prefixes, leading zeros, brackets, odd digits. */
export function mutateIp(rng: Rng, input: string, limits: MutationLimits): string {
  let s = input;
  const n = rng.small(3);
  for (let k = 0; k < n; k++) {
    const at = rng.int(s.length + 1);
    switch (rng.int(10)) {
      case 0:
        s = s.slice(0, at) + rng.pick([':', '::', '.', '0', '00', 'f', 'ffff', ':0', '.0']) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + rng.range(1, 3));
        break;
      case 2:
        s = s + rng.pick(['%eth0', '%1', '%', '/64', '/32', '/', ':', '.', ' ', '\n', '\u0000', ':1.2.3.4', '.5']);
        break;
      case 3:
        s = `[${s}]`;
        break;
      case 4:
        s = s.replace(/\b(\d)/, '0$1');
        break;
      case 5:
        s = rng.chance(0.5) ? s.toUpperCase() : s.replace(/::/, ':0:');
        break;
      case 6:
        s = s.slice(0, at) + rng.pick(['１', '١', 'g', 'G', 'x', '-', '+', '\u200b', '\ufeff', 'é', '\ud800']) + s.slice(at);
        break;
      case 7:
        s = s.replace(/\d+/, (m) => rng.pick([String(Number(m) + 256), '256', '999', '0000', '00000', m + m]));
        break;
      case 8:
        s = s.replace(/[0-9a-f]+/i, (m) => rng.pick(['12345', '0', m.padStart(5, '0'), '']));
        break;
      default:
        s = mutateText(rng, s, limits);
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Base64
// ---------------------------------------------------------------------------------------------

/** Edits of a base64 text: padding, the url alphabet, whitespace, non-zero trailing bits, lengths. */
export function mutateBase64(rng: Rng, input: string, limits: MutationLimits): string {
  let s = input;
  const n = rng.small(3);
  for (let k = 0; k < n; k++) {
    const at = rng.int(s.length + 1);
    switch (rng.int(8)) {
      case 0:
        s = s.replace(/=+$/, '');
        break;
      case 1:
        s += rng.pick(['=', '==', '===', 'A', 'AA', 'A=', 'AB==', 'ABC=']);
        break;
      case 2:
        s = s.replace(/\+/g, '-').replace(/\//g, '_');
        break;
      case 3:
        s = s.slice(0, at) + rng.pick([' ', '\n', '\r\n', '\t', '=', '-', '_', '*', '\u00e9', '\ud800']) + s.slice(at);
        break;
      case 4: {
        // The last character before the padding with non-zero unused bits.
        const m = /([A-Za-z0-9+/])(=+)$/.exec(s);
        if (m !== null) s = s.slice(0, m.index) + rng.pick(['B', 'F', '/', 'z', 'R']) + m[2];
        break;
      }
      case 5:
        s = s.slice(0, at);
        break;
      case 6:
        s = s.slice(0, at) + s.slice(at + 1);
        break;
      default:
        s = mutateText(rng, s, limits);
    }
  }
  return s.length > limits.maxSize ? s.slice(0, limits.maxSize) : s;
}

// ---------------------------------------------------------------------------------------------
// URLs (Graph base URLs and @odata.nextLink values)
// ---------------------------------------------------------------------------------------------

const URL_HOSTS = [
  'graph.microsoft.com', 'GRAPH.Microsoft.com', 'graph.microsoft.com.', 'localhost', 'a.localhost', '127.0.0.1', '127.1', '127.0.0.01', '0x7f.0.0.1', '2130706433', '0177.0.0.1',
  '[::1]', '[::ffff:127.0.0.1]', '[0:0:0:0:0:0:0:1]', '[::1%25lo]', '[fe80::1]', 'xn--nxasmq6b.example', 'gráph.example', 'graph。microsoft。com', 'evil.example', '1.2.3', 'a..b', '-a.b', 'a-.b', '',
];

/** Edits of a URL at its parts: scheme, userinfo, host forms, port, path, query, fragment. */
export function mutateUrl(rng: Rng, input: string, limits: MutationLimits): string {
  const m = /^([^:/?#]*)(:\/\/)?([^/?#]*)(.*)$/s.exec(input);
  let [scheme, sep, authority, rest] = m === null ? ['https', '://', 'graph.microsoft.com', input] : [m[1]!, m[2] ?? '', m[3]!, m[4]!];
  const n = rng.small(3);
  for (let k = 0; k < n; k++) {
    switch (rng.int(9)) {
      case 0:
        scheme = rng.pick(['https', 'http', 'HTTPS', 'HtTp', 'ftp', 'file', 'javascript', 'https ', '']);
        break;
      case 1:
        sep = rng.pick(['://', ':/', ':', ':\\\\', ':///', '://\\', ':\\/']);
        break;
      case 2:
        authority = rng.pick(URL_HOSTS) + (rng.chance(0.3) ? rng.pick([':443', ':80', ':0', ':65535', ':65536', ':', ':0443', ':8443', ':-1', ':1e3']) : '');
        break;
      case 3:
        authority = `${rng.pick(['user', 'user:pass', 'graph.microsoft.com', ''])}${rng.pick(['@', '%40', '\\@'])}${authority}`;
        break;
      case 4:
        authority = authority.replace(/[a-z]/, (c) => rng.pick([`%${c.charCodeAt(0).toString(16)}`, c.toUpperCase(), `${c}\u0000`, `${c}\t`, `${c}\u00ad`]));
        break;
      case 5:
        rest = rng.pick(['', '/', '/beta', '/v1.0/', '?x=1', '#f', '/a/../../b', '/%2e%2e/', '\\evil.example', '/?$skiptoken=x#y', ' /beta']) + (rng.chance(0.3) ? rest : '');
        break;
      case 6:
        authority = authority + rng.pick(['\\@evil.example', '#@evil.example', '?@evil.example', '.evil.example', ':443@evil.example', '%2f@evil.example']);
        break;
      case 7:
        authority = rng.chance(0.5) ? `[${generateIp(rng)}]` : generateIp(rng).replace(/:.*/, '');
        break;
      default:
        return mutateText(rng, `${scheme}${sep}${authority}${rest}`, limits);
    }
  }
  return `${scheme}${sep}${authority}${rest}`;
}
