// Command-line inputs: files, directories (recursively), globs and `-` for stdin, expanded in
// a stable order, each read as bytes. A path that cannot be read becomes a problem of its own,
// so one bad path never hides the others.

import type { Dirent, Stats } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { InputError, scanCertificates } from '@graph-mtls/core';
import { glob, isDynamicPattern } from 'tinyglobby';

export interface InputFile {
  /** The name shown in reports: the path as given or found, with '/' separators, or `stdin`; bytes of a name that are not UTF-8 are shown as \xNN. */
  readonly source: string;
  /** The path to read (bytes when the name is not valid UTF-8); undefined for stdin. */
  readonly path?: string | Uint8Array;
}

export interface FileError {
  readonly source: string;
  /** The system error code (ENOENT, EACCES, ELOOP, ...), NO_MATCH for a glob that matched nothing, or NOT_A_FILE. */
  readonly code: string;
  readonly message: string;
}

export interface ExpandedInputs {
  readonly files: readonly InputFile[];
  readonly errors: readonly FileError[];
}

/** The extensions of the files a directory walk reads; others (README, scripts, keys) are skipped (--verbose lists them). */
export const WALK_EXTENSIONS: readonly string[] = ['pem', 'crt', 'cer', 'der', 'cert', 'ca-bundle', 'p7b', 'p7c', 'b64', 'txt', 'json'];
const CERTIFICATE_EXTENSIONS = new RegExp(`\\.(${WALK_EXTENSIONS.join('|')})$`, 'i');

/** Extensions a walk leaves out on purpose, and what they hold. */
const NOT_CERTIFICATES: Readonly<Record<string, string>> = {
  key: 'a private key', pfx: 'a PKCS#12 archive (it holds a private key)', p12: 'a PKCS#12 archive (it holds a private key)',
  csr: 'a certificate request', req: 'a certificate request', crl: 'a CRL (verify --crl reads CRLs)',
};

function skippedWhy(name: string): string {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  const held = ext === undefined ? undefined : NOT_CERTIFICATES[ext];
  return held !== undefined ? `.${ext} is ${held}: not read` : `not a certificate's extension (${WALK_EXTENSIONS.map((x) => `.${x}`).join(' ')})`;
}

/** What a walk leaves out, and why: for --verbose. */
export type OnSkip = (source: string, why: string) => void;

export async function expandInputs(args: readonly string[], cwd: string = process.cwd(), onSkip?: OnSkip): Promise<ExpandedInputs> {
  const files: InputFile[] = [];
  const errors: FileError[] = [];
  const seen = new Set<string>();
  const push = (path: Path): void => {
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
      if (s.isDirectory()) await walk(path, s, push, (e) => errors.push(e), cwd, onSkip);
      else push(path);
    } catch (error) {
      const e = systemError(arg, error);
      // Node hands a program its arguments as UTF-8 text: bytes that are not UTF-8 are lost on the way.
      const lost = e.code === 'ENOENT' && arg.includes('\ufffd');
      errors.push(lost ? { ...e, message: `${e.message} (the name holds bytes that are not UTF-8, which do not survive the command line: give its folder instead, which is read by bytes)` } : e);
    }
  }
  return { files, errors };
}

/** A path as text, or as bytes once a name on it is not UTF-8 (fs takes both). */
type Path = string | Buffer;
type Entry = { readonly path: Path; readonly folder: false } | { readonly path: Path; readonly folder: true; readonly id: string };
/** An entry of a folder: the path to open it by, its name as text, and its type. */
type Listed = { readonly name: Path; readonly text: string; readonly entry: Dirent | Dirent<Buffer> };

/**
 * Every file under `dir` a walk reads, in name order, depth first (a folder's files stand where
 * the folder does), one at a time onto `out`: an explicit stack, no recursion and no spread of
 * a listing, so a folder of any size and depth is fine. A name that is not UTF-8 is read by its
 * bytes. Symbolic links are followed, to files and to folders, and a folder reached again (a
 * link loop) is not walked twice. Nothing is skipped in silence: a folder that cannot be
 * listed, a broken link, or an entry with a certificate's extension that is not a regular file
 * is reported to `fail`, and the walk goes on.
 */
async function walk(dir: string, dirStat: Stats, out: (path: Path) => void, fail: (error: FileError) => void, cwd: string, onSkip?: OnSkip): Promise<void> {
  const visited = new Set<string>();
  const stack: Entry[] = [{ path: dir, folder: true, id: folderId(dirStat) }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (!entry.folder) {
      out(entry.path);
      continue;
    }
    if (visited.has(entry.id)) continue;
    visited.add(entry.id);
    let listed: Listed[];
    try {
      listed = await list(entry.path);
    } catch (error) {
      fail(systemError(display(entry.path, cwd), error));
      continue;
    }
    // In reverse name order, so the first name is popped first; what is skipped is told in name order.
    listed.sort((a, b) => (a.text < b.text ? 1 : a.text > b.text ? -1 : 0));
    const skipped: [string, string][] = [];
    const skip = onSkip === undefined ? undefined : (source: string, why: string): void => void skipped.push([source, why]);
    for (const { name, text, entry: e } of listed) {
      if (text.startsWith('.') || text === 'node_modules') {
        skip?.(display(joinPath(entry.path, name), cwd), text === 'node_modules' ? 'node_modules is not walked' : 'a dot file or folder');
        continue;
      }
      const wanted = CERTIFICATE_EXTENSIONS.test(text);
      // A plain file needs no stat (a walk of many files makes one call per folder).
      if (e.isFile()) {
        if (wanted) stack.push({ path: joinPath(entry.path, name), folder: false });
        else skip?.(display(joinPath(entry.path, name), cwd), skippedWhy(text));
        continue;
      }
      // Folders, links and entries of unknown type are looked at; pipes and devices only to report them.
      const special = e.isFIFO() || e.isSocket() || e.isBlockDevice() || e.isCharacterDevice();
      if (special && !wanted) continue;
      const path = joinPath(entry.path, name);
      let s: Stats;
      try {
        // stat, not lstat: a link is judged by what it points to; a folder by its identity, for loops.
        s = await stat(path);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (e.isSymbolicLink() && (code === 'ENOENT' || code === 'ELOOP')) {
          fail({ source: display(path, cwd), code: code as string, message: `${display(path, cwd)}: ${code === 'ELOOP' ? 'a loop of symbolic links' : 'a symbolic link to nothing'}` });
        } else if (code !== 'ENOENT') {
          // ENOENT otherwise: gone since the listing, so no longer an input.
          fail(systemError(display(path, cwd), error));
        }
        continue;
      }
      if (s.isDirectory()) stack.push({ path, folder: true, id: folderId(s) });
      else if (!wanted) skip?.(display(path, cwd), skippedWhy(text));
      else if (s.isFile()) stack.push({ path, folder: false });
      else fail({ source: display(path, cwd), code: 'NOT_A_FILE', message: `${display(path, cwd)}: expected a regular file, received a ${kind(s)}; not read` });
    }
    for (let i = skipped.length - 1; i >= 0; i--) onSkip!(...skipped[i]!);
  }
}

/**
 * A folder's entries with the names to open them by. Names come as text; only when one may
 * have lost bytes that are not UTF-8 (U+FFFD in it) is the folder listed again as bytes, so a
 * walk of ordinary names costs what it always did.
 */
async function list(folder: Path): Promise<Listed[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  if (typeof folder === 'string' && !entries.some((e) => e.name.includes('\ufffd'))) return entries.map((e) => ({ name: e.name, text: e.name, entry: e }));
  const raw = await readdir(folder, { withFileTypes: true, encoding: 'buffer' });
  return raw.map((e) => {
    const text = e.name.toString('utf8');
    const exact = Buffer.byteLength(text) === e.name.length && !text.includes('\ufffd');
    // Told by its text (extension, dot files), opened by its bytes.
    return { name: exact ? text : e.name, text, entry: e };
  });
}

function joinPath(folder: Path, name: Path): Path {
  if (typeof folder === 'string' && typeof name === 'string') return folder + sep + name;
  return Buffer.concat([Buffer.from(folder), Buffer.from(sep), Buffer.from(name)]);
}

function folderId(s: Stats): string {
  return `${s.dev}:${s.ino}`;
}

function kind(s: Stats): string {
  return s.isFIFO() ? 'named pipe' : s.isSocket() ? 'socket' : s.isCharacterDevice() || s.isBlockDevice() ? 'device' : 'special file';
}

/** A path fs takes: the string, or the bytes as a Buffer (a worker receives them as a Uint8Array). */
export function fsPath(path: string | Uint8Array): string | Buffer {
  return typeof path === 'string' ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength);
}


export async function readInput(file: InputFile, stdin: NodeJS.ReadableStream = process.stdin): Promise<Uint8Array> {
  if (file.path !== undefined) return new Uint8Array(await readFile(fsPath(file.path)));
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}

export function systemError(source: string, error: unknown): FileError {
  const code = (error as { code?: unknown }).code;
  const reason =
    code === 'ENOENT' ? 'no such file or directory' :
    code === 'EACCES' ? 'permission denied' :
    code === 'EISDIR' ? 'is a directory' :
    error instanceof Error ? error.message : String(error);
  return { source, code: typeof code === 'string' ? code : 'EIO', message: `${source}: ${reason}` };
}

function display(given: string | Uint8Array, cwd: string): string {
  const path = typeof given === 'string' ? given : escapeBytes(given);
  const rel = relative(cwd, path);
  const shown = rel === '' || rel.startsWith('..') ? path : rel;
  return sep === '/' ? shown : shown.split(sep).join('/');
}

/** A file name's bytes as text: UTF-8 where they are, each other byte as \xNN. */
function escapeBytes(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    // An ASCII run, a whole UTF-8 sequence, or else one byte written as \xNN.
    let j = i;
    while (j < bytes.length && bytes[j]! < 0x80) j++;
    if (j > i) {
      out += decoder.decode(bytes.subarray(i, j));
      i = j;
      continue;
    }
    const length = bytes[i]! >= 0xf0 ? 4 : bytes[i]! >= 0xe0 ? 3 : bytes[i]! >= 0xc0 ? 2 : 1;
    try {
      if (length === 1) throw new Error('continuation byte');
      out += decoder.decode(bytes.subarray(i, i + length));
      i += length;
    } catch {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/** An input that yielded nothing: its code (the input error's or the system's), message and source. */
export interface InputProblem {
  readonly code: string;
  readonly message: string;
  readonly source: string;
}

/** Every certificate in `paths` (files, directories, globs, '-'), in order; what cannot be read goes to `problems`. */
export async function readCertificateFiles(paths: readonly string[], cwd: string, stdin: NodeJS.ReadableStream, problems: InputProblem[]): Promise<ScannedCertificate[]> {
  const out: ScannedCertificate[] = [];
  const { files, errors } = await expandInputs(paths, cwd);
  for (const e of errors) problems.push({ code: e.code, message: e.message, source: e.source });
  for (const file of files) {
    let scanned: ReturnType<typeof scanCertificates>;
    try {
      scanned = scanCertificates(await readInput(file, stdin), { source: file.source });
    } catch (error) {
      const e = error instanceof InputError ? error : systemError(file.source, error);
      problems.push({ code: e.code, message: e.message, source: file.source });
      continue;
    }
    for (const p of scanned.problems) problems.push({ code: p.error.code, message: p.error.message, source: file.source });
    for (const c of scanned.certificates) out.push(c);
  }
  return out;
}

type ScannedCertificate = ReturnType<typeof scanCertificates>['certificates'][number];
