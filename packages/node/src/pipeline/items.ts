// Read items (certificate blocks, problems, payloads) packed for a trip to a worker thread:
// the blocks' DER in one buffer that is transferred, not copied, and their places in a typed
// array, so a batch of a thousand certificates costs a few objects to send, not thousands.

import type { InputFormat, InputLocation, ReadItem } from '@graph-mtls/core';

const FORMATS: readonly InputFormat[] = ['pem', 'der', 'base64', 'pkcs7-pem', 'pkcs7-der'];
const FORMAT_CODE = new Map(FORMATS.map((f, i) => [f, i]));
/** Per block: end of its DER in `der`, index, line (-1: none), format. */
const FIELDS = 4;

export interface PackedItems {
  readonly source: string;
  readonly der: Uint8Array;
  readonly blocks: Int32Array;
  /** Problems and payloads, each after `at` blocks of the batch. */
  readonly others: readonly { readonly at: number; readonly item: ReadItem }[];
}

export function packItems(source: string, items: readonly ReadItem[]): PackedItems {
  let size = 0;
  let count = 0;
  for (const item of items) {
    if (item.kind === 'block') {
      size += item.der.length;
      count++;
    }
  }
  const der = new Uint8Array(size);
  const blocks = new Int32Array(count * FIELDS);
  const others: { at: number; item: ReadItem }[] = [];
  let o = 0;
  let b = 0;
  for (const item of items) {
    if (item.kind !== 'block') {
      others.push({ at: b / FIELDS, item });
      continue;
    }
    der.set(item.der, o);
    o += item.der.length;
    blocks[b++] = o;
    blocks[b++] = item.location.index ?? 0;
    blocks[b++] = item.location.line ?? -1;
    blocks[b++] = FORMAT_CODE.get(item.format)!;
  }
  return { source, der, blocks, others };
}

export function unpackItems(packed: PackedItems): ReadItem[] {
  const { source, der, blocks, others } = packed;
  const out: ReadItem[] = [];
  let next = 0;
  let start = 0;
  for (let k = 0; k * FIELDS < blocks.length; k++) {
    while (next < others.length && others[next]!.at === k) out.push(others[next++]!.item);
    const b = k * FIELDS;
    const end = blocks[b]!;
    const line = blocks[b + 2]!;
    const location: InputLocation = line < 0 ? { source, index: blocks[b + 1]! } : { source, index: blocks[b + 1]!, line };
    out.push({ kind: 'block', der: der.subarray(start, end), format: FORMATS[blocks[b + 3]!]!, location });
    start = end;
  }
  while (next < others.length) out.push(others[next++]!.item);
  return out;
}
