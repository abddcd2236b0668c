// Command-line inputs: files, directories (recursively), globs and `-` for stdin, expanded in
// a stable order, each read as bytes. A path that cannot be read becomes a problem of its own,
// so one bad path never hides the others.

import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

export interface InputFile {
  /** The name shown in reports: the path as given or found, with '/' separators, or `stdin`. */
  readonly source: string;
  /** The path to read; undefined for stdin. */
  readonly path?: string;
}

export interface InputError {
  readonly source: string;
  /** The system error code (ENOENT, EACCES, ...) or NO_MATCH for a glob that matched nothing. */
  readonly code: string;
  readonly message: string;
}

export interface ExpandedInputs {
  readonly files: readonly InputFile[];
  readonly errors: readonly InputError[];
}

/** File names a directory walk reads; others (README, scripts) are skipped. */
const CERTIFICATE_EXTENSIONS = /\.(pem|crt|cer|der|cert|ca-bundle|p7b|p7c|b64|txt|json)$/i;

export async function expandInputs(args: readonly string[], cwd: string = process.cwd()): Promise<ExpandedInputs> {
  const files: InputFile[] = [];
  const errors: InputError[] = [];
  const seen = new Set<string>();
  const push = (path: string): void => {
    const source = display(path, cwd);
    if (seen.has(source)) return;
    seen.add(source);
    files.push({ source, path });
  };
  for (const arg of args) {
    if (arg === '-') {
      if (!seen.has('stdin')) files.push({ source: 'stdin' });
      seen.add('stdin');
      continue;
    }
    if (isDynamicPattern(arg)) {
      const matches = (await glob(arg, { cwd, absolute: true, onlyFiles: true, dot: false })).sort();
      if (matches.length === 0) errors.push({ source: arg, code: 'NO_MATCH', message: `${arg}: the pattern matched no file` });
      for (const m of matches) push(m);
      continue;
    }
    const path = resolve(cwd, arg);
    try {
      const s = await stat(path);
      if (s.isDirectory()) await walk(path, push);
      else push(path);
    } catch (error) {
      errors.push(systemError(arg, error));
    }
  }
  return { files, errors };
}

/**
 * Every file under `dir` a walk reads, in name order, depth first (a folder's files stand
 * where the folder does), one at a time onto `out`: an explicit stack, no recursion and no
 * spread of a listing, so a folder of any size and depth is fine.
 */
async function walk(dir: string, out: (path: string) => void): Promise<void> {
  const stack: { readonly path: string; readonly folder: boolean }[] = [{ path: dir, folder: true }];
  while (stack.length > 0) {
    const { path, folder } = stack.pop()!;
    if (!folder) {
      out(path);
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    // In reverse name order, so the first name is popped first.
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      if (e.isDirectory()) stack.push({ path: join(path, e.name), folder: true });
      else if (e.isFile() && CERTIFICATE_EXTENSIONS.test(e.name)) stack.push({ path: join(path, e.name), folder: false });
    }
  }
}

export async function readInput(file: InputFile, stdin: NodeJS.ReadableStream = process.stdin): Promise<Uint8Array> {
  if (file.path !== undefined) return new Uint8Array(await readFile(file.path));
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}

export function systemError(source: string, error: unknown): InputError {
  const code = (error as { code?: unknown }).code;
  const reason =
    code === 'ENOENT' ? 'no such file or directory' :
    code === 'EACCES' ? 'permission denied' :
    code === 'EISDIR' ? 'is a directory' :
    error instanceof Error ? error.message : String(error);
  return { source, code: typeof code === 'string' ? code : 'EIO', message: `${source}: ${reason}` };
}

function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  const shown = rel === '' || rel.startsWith('..') ? path : rel;
  return sep === '/' ? shown : shown.split(sep).join('/');
}
