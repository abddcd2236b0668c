// Decoded values shared between equal byte strings. Certificates of one fleet repeat the same
// bytes over and over: the issuer name of every device a CA issued, the signature algorithm,
// the attribute types and many attribute values. A direct-mapped table (one entry per slot, a
// new entry replaces the old) turns each repeat into a hash and a byte comparison, and keeps
// memory bounded however many distinct values a long-running process sees. Keys are copies,
// so a kept value never keeps a caller's buffer alive, and every value handed out is frozen,
// kept or not, so sharing is invisible to callers.

/** When a value enters the table: at the first sighting of its bytes, or at the second (a one-off value then dies young). */
export type KeepFrom = 'first' | 'second';

/** A direct-mapped table of decoded values keyed by their bytes (see the top of this file). */
export class Interner<T> {
  readonly #mask: number;
  readonly #keys: (Uint8Array | undefined)[];
  readonly #values: (T | undefined)[];
  /** With keepFrom 'second': per slot, the hash last seen there. */
  readonly #seen: Int32Array | undefined;

  /** `slots` must be a power of two. */
  // Stryker disable next-line StringLiteral: any default but 'second' keeps from the first sighting
  constructor(slots: number, keepFrom: KeepFrom = 'first') {
    this.#mask = slots - 1;
    // Stryker disable next-line ArrayDeclaration: an empty array reads undefined in every slot too, and grows as slots are set
    this.#keys = new Array<Uint8Array | undefined>(slots).fill(undefined);
    // Stryker disable next-line ArrayDeclaration: an empty array reads undefined in every slot too, and grows as slots are set
    this.#values = new Array<T | undefined>(slots).fill(undefined);
    this.#seen = keepFrom === 'second' ? new Int32Array(slots) : undefined;
  }

  /** The value kept for bytes[start, end), whose hashBytes() or hashEnds() is `hash`. */
  get(bytes: Uint8Array, start: number, end: number, hash: number): T | undefined {
    const slot = hash & this.#mask;
    const key = this.#keys[slot];
    return key !== undefined && sameBytes(key, bytes, start, end) ? this.#values[slot] : undefined;
  }

  /**
   * The value `decode` builds for bytes[start, end), frozen; kept for the next equal bytes
   * when this sighting is the one to keep. A value to keep is decoded from its own copy of
   * the bytes (`source` is then not `bytes`, and `start` 0), so the table holds no caller's buffer.
   */
  add(bytes: Uint8Array, start: number, end: number, hash: number, decode: (source: Uint8Array, start: number, end: number) => T): T {
    const slot = hash & this.#mask;
    const seen = this.#seen;
    if (seen !== undefined && seen[slot] !== (hash | 0)) {
      seen[slot] = hash;
      return freezeDeep(decode(bytes, start, end));
    }
    const key = bytes.slice(start, end);
    const value = freezeDeep(decode(key, 0, key.length));
    this.#keys[slot] = key;
    this.#values[slot] = value;
    return value;
  }
}

/** Freezes objects and arrays all the way down; byte arrays (which cannot be frozen) and their contents are left. */
export function freezeDeep<T>(value: T): T {
  // Primitives and null are frozen by definition (Object.isFrozen says so).
  if (Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  const object = Object.freeze(value) as Record<string, unknown>;
  for (const key of Object.keys(object)) freezeDeep(object[key]);
  return value;
}

/** FNV-1a over bytes[start, end). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * A hash of the length and at most the first and last 16 bytes: enough to tell names and
 * algorithm identifiers apart (they differ at the end) at a fixed cost; get() still
 * compares every byte.
 */
export function hashEnds(bytes: Uint8Array, start: number, end: number): number {
  if (end - start <= 32) return hashBytes(bytes, start, end);
  let h = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
  for (let i = start; i < start + 16; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  for (let i = end - 16; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function sameBytes(key: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  const n = key.length;
  if (n !== end - start) return false;
  // Four bytes per step without a branch each: hits compare every byte.
  let diff = 0;
  let i = 0;
  // Stryker disable next-line EqualityOperator,ConditionalExpression: with `<`, or no steps of four at all, the byte loop below compares what is left: the same answer
  for (; i + 4 <= n; i += 4) {
    diff |= (key[i]! ^ bytes[start + i]!) | (key[i + 1]! ^ bytes[start + i + 1]!) | (key[i + 2]! ^ bytes[start + i + 2]!) | (key[i + 3]! ^ bytes[start + i + 3]!);
  }
  for (; i < n; i++) diff |= key[i]! ^ bytes[start + i]!;
  return diff === 0;
}
