// Rendered text gathered as UTF-8 bytes as it is made, instead of as one long JavaScript
// string: the pieces die young, the gathered bytes live outside the garbage-collected heap,
// cross to the main thread without a copy and are written without a conversion. Building
// tens of megabytes of report as strings spent more time in the garbage collector than in
// the checks.

const encoder = new TextEncoder();

export const NO_BYTES: Uint8Array = new Uint8Array(0);

export class ByteSink {
  #buf: Uint8Array;
  #len = 0;

  constructor(capacity: number = 256 * 1024) {
    this.#buf = Buffer.allocUnsafeSlow(capacity);
  }

  get length(): number {
    return this.#len;
  }

  add(text: string): void {
    const n = text.length;
    if (this.#len + n > this.#buf.length) this.#grow(n);
    const buf = this.#buf;
    let l = this.#len;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        buf[l++] = c;
        continue;
      }
      // The rest as UTF-8: at most 3 bytes per UTF-16 unit.
      this.#len = l;
      if (l + 3 * (n - i) > this.#buf.length) this.#grow(3 * (n - i));
      this.#len += encoder.encodeInto(i === 0 ? text : text.slice(i), this.#buf.subarray(this.#len)).written;
      return;
    }
    this.#len = l;
  }

  /** The bytes gathered since the last take(), in a buffer of their own (transferable); the sink starts a new one. */
  take(): Uint8Array {
    if (this.#len === 0) return NO_BYTES;
    const out = this.#buf.subarray(0, this.#len);
    // Not zero-filled: every byte handed out was written first.
    this.#buf = Buffer.allocUnsafeSlow(Math.max(64 * 1024, this.#len + (this.#len >> 2)));
    this.#len = 0;
    return out;
  }

  #grow(extra: number): void {
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.#buf.length, this.#len + extra));
    grown.set(this.#buf.subarray(0, this.#len));
    this.#buf = grown;
  }
}

