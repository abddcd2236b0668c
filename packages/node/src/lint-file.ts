// One file (or stdin) linted as a stream with the core's lintStream: reports come out as the
// file is read, so a bundle of any size takes bounded memory; node:crypto does the hashing and
// self-signature checks.

import { createReadStream } from 'node:fs';
import { lintStream, type LintItem, type LintStreamOptions } from '@graph-mtls/core';
import { createVerifier, nodeSha256 } from './crypto.ts';

/**
 * The reports of one file, in order, as it is read (`-` reads stdin). Options are the core's;
 * `source` defaults to the path, `verifier` and `sha256` to node:crypto's.
 */
export function lintFile(path: string, options: LintStreamOptions): AsyncGenerator<LintItem, void, undefined> {
  const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1024 * 1024 });
  return lintStream(input as AsyncIterable<Uint8Array>, { verifier: createVerifier(), sha256: nodeSha256, ...options, source: options.source ?? path });
}
