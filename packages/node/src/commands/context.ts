// What a command runs with: its streams, environment and working directory, passed in so the
// CLI can be driven in-process by tests as well as by a real terminal.

import { openSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { isGraphMtlsError } from '@graph-mtls/core';

export interface CliContext {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** --color or --no-color, wherever given on the command line. */
  readonly color?: boolean;
}

/** A mistake in how the command was called: exit 2, with the command's usage hint. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/** Runs `run`; a coded argument error it throws becomes a usage error (exit 2). */
export function usage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isGraphMtlsError(error) && error.kind === 'argument') throw new UsageError(error.message);
    throw error;
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Set by the CLI bundle (scripts/build-cli.mjs) from package.json. */
declare const GRAPH_MTLS_VERSION: string | undefined;

export const VERSION: string = typeof GRAPH_MTLS_VERSION === 'string' ? GRAPH_MTLS_VERSION : (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Colour: --color / --no-color first; then FORCE_COLOR (set and not 0 or false: on; 0 or false:
 * off), as chalk and Node read it; else on a TTY only, and never with NO_COLOR set
 * (https://no-color.org).
 */
export function useColor(ctx: CliContext, stream: { isTTY?: boolean }): boolean {
  if (ctx.color !== undefined) return ctx.color;
  const force = ctx.env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  const noColor = ctx.env['NO_COLOR'];
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}

/** `--now`: an ISO 8601 time; default the current time. */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) throw new UsageError(`--now: expected an ISO 8601 time such as 2026-01-31T12:00:00Z, received '${value}'`);
  return new Date(t);
}

export function parseDays(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new UsageError(`${flag}: expected a number of days, received '${value}'`);
  return n;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: expected one of ${allowed.join(', ')}, received '${value}'`);
}

/** `--output`: a file that cannot be written is a usage error, not a crash. */
export async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new UsageError(`--output ${path}: ${(error as Error).message}`);
  }
}

/** `--output` for a report written as it is made: opened before any work, so a path that cannot be written is a usage error at once. */
export function openOutput(path: string): { readonly file: number } {
  try {
    return { file: openSync(path, 'w') };
  } catch (error) {
    throw new UsageError(`--output ${path}: ${(error as Error).message}`);
  }
}
