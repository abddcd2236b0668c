// Browser inputs: File, Blob, ArrayBuffer and typed arrays read as bytes, then linted or built
// into a create body with the core. A file the browser cannot read (removed or changed on disk
// since it was picked: NotReadableError, NotFoundError) becomes a finding of its own, so one
// bad file never hides the results of the others. Self-signatures are verified with the page's
// WebCrypto when it has one (secure contexts only).

import {
  buildCreate,
  createWebCryptoVerifier,
  getRule,
  GraphMtlsError,
  lint,
  type BuildOptions,
  type CertificateAuthorityInput,
  type CreateInput,
  type CreateResult,
  type Finding,
  type LintOptions,
  type LintReport,
  type SignatureVerifier,
  type SubtleCryptoLike,
} from '@graph-mtls/core';

/** What readBlob takes: a File or Blob, or bytes already in memory. */
export type BlobInput = Blob | File | ArrayBuffer | ArrayBufferView;

export async function readBlob(input: BlobInput): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  // Duck-typed, so a Blob from another realm (an iframe, a worker's structured clone) reads too.
  if (typeof (input as Blob | undefined)?.arrayBuffer === 'function') return new Uint8Array(await (input as Blob).arrayBuffer());
  throw new GraphMtlsError('ERR_INVALID_ARGUMENT', `readBlob input: expected a Blob, File, ArrayBuffer or typed array, received ${input === null ? 'null' : typeof input}`);
}

export interface LintFilesOptions extends Omit<LintOptions, 'source' | 'now' | 'verifier'> {
  /** The time certificates are judged at; default the current time. */
  readonly now?: Date;
  /** Default: WebCrypto (crypto.subtle) when the context has it; null verifies nothing. */
  readonly verifier?: SignatureVerifier | null;
}

export interface FileLintReport {
  /** The file's name (a Blob without one: `input N`). */
  readonly source: string;
  readonly report: LintReport;
}

/** Lints each file on its own, in the order given. */
export async function lintFiles(files: Iterable<File | Blob>, options: LintFilesOptions = {}): Promise<FileLintReport[]> {
  const { now = new Date(), verifier, ...rest } = options;
  const verify = verifier === undefined ? defaultVerifier() : verifier ?? undefined;
  const out: FileLintReport[] = [];
  let index = 0;
  for (const file of files) {
    const source = nameOf(file, index++);
    let bytes: Uint8Array;
    try {
      bytes = await readBlob(file);
    } catch (error) {
      out.push({ source, report: { certificates: [], inputs: [{ location: { source }, findings: [unreadable(source, error)] }] } });
      continue;
    }
    out.push({ source, report: await lint(bytes, { ...rest, source, now, ...(verify === undefined ? {} : { verifier: verify }) }) });
  }
  return out;
}

/** A CA file and what to send with it; the certificate comes from the file. */
export interface FileAuthority extends Omit<CertificateAuthorityInput, 'certificate' | 'source'> {
  readonly file: File | Blob;
  /** Default: the file's name. */
  readonly source?: string;
}

export interface CreateFromFilesInput extends Omit<CreateInput, 'certificateAuthorities'> {
  /** Each file may hold several certificates (a bundle); each becomes an entry. */
  readonly files: Iterable<File | Blob | FileAuthority>;
}

/**
 * The POST body for a configuration trusting the CAs in `files`, checked (core's buildCreate).
 * Throws GraphMtlsError for a file that cannot be read or holds no certificate.
 */
export async function buildCreateFromFiles(input: CreateFromFilesInput, options: Partial<BuildOptions> = {}): Promise<CreateResult> {
  const certificateAuthorities: CertificateAuthorityInput[] = [];
  let index = 0;
  for (const item of input.files) {
    const { file, source: given, ...rest } = 'file' in item ? item : { file: item, source: undefined };
    const source = given ?? nameOf(file, index);
    index++;
    let certificate: Uint8Array;
    try {
      certificate = await readBlob(file);
    } catch (error) {
      throw new GraphMtlsError('ERR_INVALID_ARGUMENT', `${source}: expected a readable file, received one the browser could not read (${errorName(error)})`, { source, cause: error });
    }
    certificateAuthorities.push({ ...rest, certificate, source });
  }
  const { files: _files, ...create } = input;
  return buildCreate({ ...create, certificateAuthorities }, { ...options, now: options.now ?? new Date() });
}

function nameOf(file: File | Blob, index: number): string {
  const name = (file as Partial<File>).name;
  return typeof name === 'string' && name !== '' ? name : `input ${index}`;
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : 'Error';
}

function unreadable(source: string, error: unknown): Finding {
  const rule = getRule('INPUT_FILE_UNREADABLE');
  const code = errorName(error);
  const reason = code === 'NotFoundError' ? 'the file is gone' : code === 'NotReadableError' ? 'the file changed or cannot be read' : 'the browser could not read it';
  return {
    code: rule.code,
    severity: rule.severity,
    message: `${source}: ${reason} (${code})`,
    citation: rule.citation,
    evidence: rule.evidence,
    location: { source },
    errorCode: code,
  };
}

function defaultVerifier(): SignatureVerifier | undefined {
  const subtle = (globalThis as { crypto?: { subtle?: unknown } }).crypto?.subtle;
  return subtle === undefined ? undefined : createWebCryptoVerifier(subtle as SubtleCryptoLike);
}
