// Browser inputs: File, Blob, ArrayBuffer and typed arrays, linted with the core as they are
// read (a File's stream, so a large drop takes bounded memory; payload JSON files are checked
// as Graph would parse them) or built into a create body. A file the browser cannot read
// (removed or changed on disk since it was picked: NotReadableError, NotFoundError) becomes a
// finding of its own, so one bad file never hides the results of the others. Self-signatures
// are verified with the page's WebCrypto when it has one (secure contexts only); so are the
// paths of dropped device certificates (verifyFiles, the core's verifyDevice).

import {
  ArgumentError,
  GraphMtlsError,
  buildCreate,
  verifyAuthorities,
  createWebCryptoVerifier,
  inputFinding,
  lintStream,
  scanCertificates,
  unreadableInput,
  type BuildOptions,
  type Certificate,
  type CertificateAuthorityInput,
  type CertificateReport,
  type CreateInput,
  type CreateResult,
  type Finding,
  type InputReport,
  type LintItem,
  type LintReport,
  type LintStreamOptions,
  type PayloadReport,
  type SignatureVerifier,
  type SubtleCryptoLike,
} from '@graph-mtls/core';
import { readCrls, readTrustConfiguration, verifyDevice, type CertificateList, type DeviceVerification, type VerifyDeviceOptions } from '@graph-mtls/core/verify';

/** What readBlob takes: a File or Blob, or bytes already in memory. */
export type BlobInput = Blob | File | ArrayBuffer | ArrayBufferView;

export async function readBlob(input: BlobInput): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  // Duck-typed, so a Blob from another realm (an iframe, a worker's structured clone) reads too.
  if (typeof (input as Blob | undefined)?.arrayBuffer === 'function') return new Uint8Array(await (input as Blob).arrayBuffer());
  throw new ArgumentError('ERR_INVALID_ARGUMENT', `readBlob input: expected a Blob, File, ArrayBuffer or typed array, received ${input === null ? 'null' : typeof input}`);
}

export interface LintFilesOptions extends Omit<LintStreamOptions, 'source' | 'now' | 'verifier'> {
  /** The time certificates are judged at; default the current time. */
  readonly now?: Date;
  /** Default: WebCrypto (crypto.subtle) when the context has it; null verifies nothing. */
  readonly verifier?: SignatureVerifier | null;
}

export interface FileLintReport {
  /** The file's name (a Blob without one: `input N`). */
  readonly source: string;
  readonly report: LintReport;
  /** The file's check as a JSON payload, when it holds one instead of certificates. */
  readonly payload?: PayloadReport;
}

/**
 * The reports of one file as it is read, in order (the core's lintStream over the file's
 * stream): a file of any size takes bounded memory. A file that cannot be read ends with an
 * INPUT_FILE_UNREADABLE report.
 */
export async function* lintBlob(file: BlobInput, options: LintFilesOptions & { readonly source?: string } = {}): AsyncGenerator<LintItem, void, undefined> {
  const { now = new Date(), verifier, source = nameOf(file, 0), ...rest } = options;
  const verify = verifier === undefined ? defaultVerifier() : verifier ?? undefined;
  const chunks = blobChunks(file);
  try {
    yield* lintStream(chunks, { ...rest, source, now, ...(verify === undefined ? {} : { verifier: verify }) });
  } catch (error) {
    if (!(error instanceof BlobReadError)) throw error;
    yield unreadable(source, error.cause);
  }
}

/** Lints each file on its own, in the order given. */
export async function lintFiles(files: Iterable<File | Blob>, options: LintFilesOptions = {}): Promise<FileLintReport[]> {
  const out: FileLintReport[] = [];
  let index = 0;
  for (const file of files) {
    const source = nameOf(file, index++);
    const certificates: CertificateReport[] = [];
    const inputs: InputReport[] = [];
    let payload: PayloadReport | undefined;
    for await (const item of lintBlob(file, { ...options, source })) {
      if (item.type === 'certificate') certificates.push(item);
      else if (item.type === 'input') inputs.push(item);
      else payload = item;
    }
    out.push({ source, report: { certificates, inputs }, ...(payload === undefined ? {} : { payload }) });
  }
  return out;
}

/** A read failure of the blob itself, told apart from the core's own errors. */
class BlobReadError {
  constructor(readonly cause: unknown) {}
}

/** The blob's bytes in pieces: its stream where it has one, else all of it. */
async function* blobChunks(input: BlobInput): AsyncGenerator<Uint8Array> {
  const blob = input as Blob;
  if (typeof blob?.stream !== 'function') {
    try {
      yield await readBlob(input);
    } catch (error) {
      if (error instanceof GraphMtlsError) throw error;
      throw new BlobReadError(error);
    }
    return;
  }
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = blob.stream().getReader();
  } catch (error) {
    throw new BlobReadError(error);
  }
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        throw new BlobReadError(error);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    reader.releaseLock();
  }
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
      throw new ArgumentError('ERR_INVALID_ARGUMENT', `${source}: expected a readable file, received one the browser could not read (${errorName(error)})`, { source, cause: error });
    }
    certificateAuthorities.push({ ...rest, certificate, source });
  }
  const { files: _files, ...create } = input;
  // WebCrypto tells a root from a key-rollover certificate (self-issued, signed by another key).
  const verifier = defaultVerifier();
  const selfSignatures = options.selfSignatures ?? (verifier === undefined ? undefined : await verifyAuthorities(certificateAuthorities, verifier));
  return buildCreate({ ...create, certificateAuthorities }, { ...options, now: options.now ?? new Date(), ...(selfSignatures === undefined ? {} : { selfSignatures }) });
}

function nameOf(file: BlobInput, index: number): string {
  const name = (file as Partial<File>).name;
  return typeof name === 'string' && name !== '' ? name : `input ${index}`;
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : 'Error';
}

function unreadable(source: string, error: unknown): InputReport {
  const code = errorName(error);
  const reason = code === 'NotFoundError' ? 'the file is gone' : code === 'NotReadableError' ? 'the file changed or cannot be read' : 'the browser could not read it';
  return unreadableInput(source, `${source}: ${reason} (${code})`, code);
}

function defaultVerifier(): SignatureVerifier | undefined {
  const subtle = (globalThis as { crypto?: { subtle?: unknown } }).crypto?.subtle;
  return subtle === undefined ? undefined : createWebCryptoVerifier(subtle as SubtleCryptoLike);
}

/** How verifyFiles verifies: verifyDevice's options, the configuration's CRLs and intermediates as files too. */
export interface VerifyFilesOptions extends Omit<VerifyDeviceOptions, 'now' | 'verifier' | 'intermediates' | 'crls'> {
  readonly now?: Date;
  /** The page's WebCrypto by default; null verifies nothing (every outcome is then at best `not-verified`). */
  readonly verifier?: SignatureVerifier | null;
  /** Intermediate certificates the devices present. */
  readonly intermediates?: Iterable<File | Blob>;
  /** CRLs (DER, PEM or base64). */
  readonly crls?: Iterable<File | Blob>;
}

/** One device certificate of a dropped file, and whether it would authenticate. */
export interface FileVerification {
  readonly source: string;
  readonly index: number;
  readonly result: DeviceVerification;
}

/**
 * Whether the device certificates in `files` would authenticate against `configuration` (a
 * create payload or GET response as JSON text, or its parsed value): the core's verifyDevice
 * for each certificate, with the page's WebCrypto. What cannot be read is a problem of its own
 * and hides nothing.
 */
export async function verifyFiles(
  files: Iterable<File | Blob>,
  configuration: unknown,
  options: VerifyFilesOptions = {},
): Promise<{ readonly devices: readonly FileVerification[]; readonly problems: readonly Finding[] }> {
  const { now = new Date(), verifier, intermediates = [], crls = [], ...rest } = options;
  const verify = verifier === undefined ? defaultVerifier() : verifier ?? undefined;
  const trust = readTrustConfiguration(configuration);
  const problems: Finding[] = [...trust.problems];
  const presented: Certificate[] = [];
  for (const [file, source] of named(intermediates)) {
    const bytes = await readOrReport(file, source, problems);
    if (bytes === undefined) continue;
    const scanned = scanCertificates(bytes, { source });
    for (const c of scanned.certificates) presented.push(c.certificate);
    for (const p of scanned.problems) problems.push(inputFinding(p.error, p.location));
  }
  const lists: CertificateList[] = [];
  for (const [file, source] of named(crls)) {
    const bytes = await readOrReport(file, source, problems);
    if (bytes === undefined) continue;
    const read = readCrls(bytes, { source });
    for (const c of read.crls) lists.push(c.crl);
    for (const p of read.problems) problems.push(inputFinding(p.error, p.location));
  }
  const devices: FileVerification[] = [];
  for (const [file, source] of named(files)) {
    const bytes = await readOrReport(file, source, problems);
    if (bytes === undefined) continue;
    const scanned = scanCertificates(bytes, { source });
    for (const p of scanned.problems) problems.push(inputFinding(p.error, p.location));
    for (const c of scanned.certificates) {
      const result = await verifyDevice(c.certificate, trust.configuration, { ...rest, now, intermediates: presented, crls: lists, ...(verify === undefined ? {} : { verifier: verify }) });
      devices.push({ source, index: c.location.index ?? 0, result });
    }
  }
  return { devices, problems };
}

function* named(files: Iterable<File | Blob>): Generator<[File | Blob, string]> {
  let index = 0;
  for (const file of files) yield [file, nameOf(file, index++)];
}

async function readOrReport(file: File | Blob, source: string, problems: Finding[]): Promise<Uint8Array | undefined> {
  try {
    return await readBlob(file);
  } catch (error) {
    problems.push(...unreadable(source, error).findings);
    return undefined;
  }
}
