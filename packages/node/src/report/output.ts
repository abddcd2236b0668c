// Where a report goes as it is written: stdout or a file, in pieces, waiting when the reader is
// slower than we are (backpressure), so memory stays bounded however long the report. A Spool
// holds text that must wait for its place in the document: in memory up to a few MiB, then in
// a temporary file.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Pieces are gathered up to this size before a write. */
const WRITE_BYTES = 256 * 1024;

/** A file written with synchronous writes. */
export interface FileTarget {
  readonly file: number;
}

/** Where the bytes go: a file, or a stream (stdout) that may ask to wait. */
export type Target = FileTarget | NodeJS.WritableStream;

export class Output {
  readonly #target: Target;
  #pending: Uint8Array[] = [];
  #size = 0;

  constructor(target: Target) {
    this.#target = target;
  }

  /** Adds text; small pieces are gathered into one write, large ones written as they are. */
  async write(piece: string | Uint8Array): Promise<void> {
    if (piece.length === 0) return;
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (bytes.length >= WRITE_BYTES) {
      await this.flush();
      await this.#write(bytes);
      return;
    }
    this.#pending.push(bytes);
    this.#size += bytes.length;
    if (this.#size >= WRITE_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const pieces = this.#pending;
    this.#pending = [];
    this.#size = 0;
    await this.#write(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
  }

  async #write(bytes: Uint8Array): Promise<void> {
    const target = this.#target;
    if ('file' in target) {
      // A file: no stream machinery between the report and the disk.
      for (let at = 0; at < bytes.length; ) at += writeSync(target.file, bytes, at, bytes.length - at);
      return;
    }
    if (!target.write(bytes)) await drained(target);
  }
}

/** Waits for a stream that asked to wait; a stream that fails meanwhile fails the wait. */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      stream.off('drain', done);
      stream.off('error', done);
      if (error === undefined) resolve();
      else reject(error);
    };
    stream.on('drain', done);
    stream.on('error', done);
  });
}

/** Memory a spool uses before it moves to a temporary file. */
const SPOOL_MEMORY = 8 * 1024 * 1024;

export class Spool {
  #memory: (string | Uint8Array)[] = [];
  #size = 0;
  #dir: string | undefined;
  #fd: number | undefined;
  #fileBytes = 0;
  /** True once anything was written. */
  used = false;

  write(piece: string | Uint8Array): void {
    if (piece.length === 0) return;
    this.used = true;
    if (this.#fd !== undefined) {
      this.#toFile(piece);
      return;
    }
    this.#memory.push(piece);
    this.#size += piece.length;
    if (this.#size > SPOOL_MEMORY) {
      this.#dir = mkdtempSync(join(tmpdir(), 'graph-mtls-'));
      this.#fd = openSync(join(this.#dir, 'spool'), 'w+');
      for (const p of this.#memory) this.#toFile(p);
      this.#memory = [];
      this.#size = 0;
    }
  }

  /** Writes everything spooled to `out`, in order, and empties the spool. */
  async drainTo(out: Output): Promise<void> {
    if (this.#fd !== undefined) {
      const buffer = Buffer.allocUnsafe(1024 * 1024);
      for (let at = 0; at < this.#fileBytes; ) {
        const n = readSync(this.#fd, buffer, 0, buffer.length, at);
        if (n === 0) break;
        await out.write(Buffer.from(buffer.subarray(0, n)));
        at += n;
      }
    }
    for (const p of this.#memory) await out.write(p);
    this.close();
  }

  close(): void {
    this.#memory = [];
    this.#size = 0;
    this.used = false;
    if (this.#fd !== undefined) {
      closeSync(this.#fd);
      this.#fd = undefined;
      this.#fileBytes = 0;
    }
    if (this.#dir !== undefined) {
      rmSync(this.#dir, { recursive: true, force: true });
      this.#dir = undefined;
    }
  }

  #toFile(piece: string | Uint8Array): void {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    writeSync(this.#fd!, bytes, 0, bytes.length, this.#fileBytes);
    this.#fileBytes += bytes.length;
  }
}
