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

  /** The bytes gathered since the last take(), copied into a buffer of exactly their size (transferable). */
  take(): Uint8Array {
    if (this.#len === 0) return NO_BYTES;
    // Not zero-filled: every byte is copied over. The working buffer stays for the next take.
    const out = Buffer.allocUnsafeSlow(this.#len);
    out.set(this.#buf.subarray(0, this.#len));
    this.#len = 0;
    return out;
  }

  #grow(extra: number): void {
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.#buf.length, this.#len + extra));
    grown.set(this.#buf.subarray(0, this.#len));
    this.#buf = grown;
  }
}

