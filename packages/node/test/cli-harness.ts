// Harness for the end-to-end tests of the graph-mtls CLI: spawns the BUILT executable
// (packages/node/dist/cli.js) with pipes in a temporary directory filled with generated
// fixtures, and drives main() in-process with fake streams for the TTY branches.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The built CLI; GRAPH_MTLS_CLI points the suite at another build (e.g. a mutated copy). */
export const CLI: string = process.env['GRAPH_MTLS_CLI'] ?? fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  /** Written to the child's stdin, which is then closed (always closed, so `-` never hangs). */
  readonly stdin?: string | Uint8Array;
  /** Extra environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Run as this user and group (a test of file permissions, when the tests run as root). */
  readonly user?: { readonly uid: number; readonly gid: number };
}

/** The environment the CLI runs with: ours, minus anything that would change colour or inject loaders. */
function childEnv(extra: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'NODE_OPTIONS', 'GITHUB_ACTIONS']) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs `node dist/cli.js ...args` with pipes for stdin, stdout and stderr. */
export function runCli(args: readonly string[], options: RunOptions): Promise<RunResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx -y pnpm@10 build' first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: childEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'], ...(options.user ?? {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // A safety net for a hung CLI only: generous, so a busy machine never cuts a run short.
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined); // The CLI may exit before reading stdin.
    child.stdin.end(options.stdin === undefined ? undefined : Buffer.from(options.stdin));
  });
}

/** A temporary working directory; `write` creates parent folders. */
export class TempDir {
  readonly path: string = mkdtempSync(join(tmpdir(), 'graph-mtls-cli-'));
  write(relative: string, content: string | Uint8Array): string {
    const full = join(this.path, relative);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  }
  /** The full path of a file in the folder. */
  file(relative: string): string {
    return join(this.path, relative);
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** A writable stream that keeps what is written and claims to be a TTY or not. */
export class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    callback();
  }
  /** Everything written, decoded as UTF-8 once (a character may span two writes). */
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export function emptyStdin(): Readable {
  return Readable.from([]);
}

/** Standard padded base64 of DER, as Graph's `certificate` holds it. */
export function b64(der: Uint8Array): string {
  return Buffer.from(der).toString('base64');
}

/** Lower-case hex. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** node:crypto's SHA-256 fingerprint ("AB:CD:...") as lower-case hex without colons. */
export function fingerprint(fp256: string): string {
  return fp256.replace(/:/g, '').toLowerCase();
}

/** The 1-based line at which the n-th (0-based) '-----BEGIN' occurs in a text. */
export function beginLine(text: string, n: number): number {
  const lines = text.split(/\r?\n/);
  let seen = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith('-----BEGIN')) {
      seen++;
      if (seen === n) return i + 1;
    }
  }
  throw new Error(`no BEGIN block #${n}`);
}

/** Parses stdout as JSON, failing with the output shown when it does not parse. */
export function parseJson<T = unknown>(result: RunResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout.slice(0, 2000)}\nstderr:\n${result.stderr.slice(0, 2000)}`);
  }
}
