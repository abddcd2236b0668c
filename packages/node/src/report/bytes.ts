// Rendered text gathered as UTF-8 bytes as it is made, instead of as one long JavaScript
// string: the pieces die young, the gathered bytes live outside the garbage-collected heap,
// cross to the main thread without a copy and are written without a conversion. Building
// tens of megabytes of report as strings spent more time in the garbage collector than in
// the checks.

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
    // At most 3 bytes per UTF-16 unit; Buffer's UTF-8 writer (a third faster than a loop here).
    if (this.#len + 3 * text.length > this.#buf.length) this.#grow(3 * text.length);
    this.#len += (this.#buf as Buffer).write(text, this.#len, 'utf8');
  }

  /**
   * The bytes gathered since the last take(), in a buffer of their own (transferable). A full
   * buffer is handed over whole and the sink starts a new one; a small part of one is copied
   * out (a task of many small files would otherwise send a large buffer per file).
   */
  take(): Uint8Array {
    const n = this.#len;
    if (n === 0) return NO_BYTES;
    this.#len = 0;
    if (2 * n >= this.#buf.length) {
      const out = this.#buf.subarray(0, n);
      // Not zero-filled: every byte handed out is written first.
      this.#buf = Buffer.allocUnsafeSlow(this.#buf.length);
      return out;
    }
    const out = Buffer.allocUnsafeSlow(n);
    out.set(this.#buf.subarray(0, n));
    return out;
  }

  #grow(extra: number): void {
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.#buf.length, this.#len + extra));
    grown.set(this.#buf.subarray(0, this.#len));
    this.#buf = grown;
  }
}

