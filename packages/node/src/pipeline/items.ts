// Read items (certificate blocks, problems, payloads) packed for a trip to a worker thread:
// the buffers the blocks' DER lies in are transferred, not copied (the reader is cut before
// each batch, so a batch's buffers are its own), and the blocks' places go in one typed array,
// so a batch of a thousand certificates costs a few objects to send, not thousands.

import type { InputFormat, InputLocation, ReadItem } from '@graph-mtls/core';

const FORMATS: readonly InputFormat[] = ['pem', 'der', 'base64', 'pkcs7-pem', 'pkcs7-der'];
const FORMAT_CODE = new Map(FORMATS.map((f, i) => [f, i]));
/** Per block: buffer, byte offset, length, index, line (-1: none), format. */
const FIELDS = 6;

export interface PackedItems {
  readonly source: string;
  /** Every buffer a block of the batch lies in; transferred with the batch. */
  readonly buffers: readonly ArrayBuffer[];
  readonly blocks: Int32Array;
  /** Problems and payloads, each after `at` blocks of the batch. */
  readonly others: readonly { readonly at: number; readonly item: ReadItem }[];
}

export function packItems(source: string, items: readonly ReadItem[]): PackedItems {
  let count = 0;
  for (const item of items) if (item.kind === 'block') count++;
  const buffers: ArrayBuffer[] = [];
  const bufferIndex = new Map<ArrayBuffer, number>();
  const blocks = new Int32Array(count * FIELDS);
  const others: { at: number; item: ReadItem }[] = [];
  let b = 0;
  for (const item of items) {
    if (item.kind !== 'block') {
      others.push({ at: b / FIELDS, item });
      continue;
    }
    const buffer = item.der.buffer as ArrayBuffer;
    let k = bufferIndex.get(buffer);
    if (k === undefined) {
      k = buffers.length;
      buffers.push(buffer);
      bufferIndex.set(buffer, k);
    }
    blocks[b++] = k;
    blocks[b++] = item.der.byteOffset;
    blocks[b++] = item.der.byteLength;
    blocks[b++] = item.location.index ?? 0;
    blocks[b++] = item.location.line ?? -1;
    blocks[b++] = FORMAT_CODE.get(item.format)!;
  }
  return { source, buffers, blocks, others };
}

/** What postMessage must transfer (not copy) with the batch. */
export function transferList(packed: PackedItems): ArrayBuffer[] {
  return [...packed.buffers, packed.blocks.buffer as ArrayBuffer];
}

export function unpackItems(packed: PackedItems): ReadItem[] {
  const { source, buffers, blocks, others } = packed;
  const out: ReadItem[] = [];
  let next = 0;
  for (let k = 0; k * FIELDS < blocks.length; k++) {
    while (next < others.length && others[next]!.at === k) out.push(others[next++]!.item);
    const b = k * FIELDS;
    const line = blocks[b + 4]!;
    const location: InputLocation = line < 0 ? { source, index: blocks[b + 3]! } : { source, index: blocks[b + 3]!, line };
    out.push({ kind: 'block', der: new Uint8Array(buffers[blocks[b]!]!, blocks[b + 1]!, blocks[b + 2]!), format: FORMATS[blocks[b + 5]!]!, location });
  }
  while (next < others.length) out.push(others[next++]!.item);
  return out;
}
