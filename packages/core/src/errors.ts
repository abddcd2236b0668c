// Thrown errors: misuse and unreadable input. Each carries a stable `code`, the place it
// happened (source, PEM block, line, byte offset) and a message of the form
// "subject: expected ..., received ..." (the model is jose's util/errors.ts).
// Findings (checks/) are the other channel and are never thrown.

export type ErrorCode =
  | 'ERR_INPUT_EMPTY'
  | 'ERR_INPUT_TOO_LARGE'
  | 'ERR_LIMIT_EXCEEDED'
  | 'ERR_BASE64_INVALID'
  | 'ERR_PEM_NO_BLOCKS'
  | 'ERR_PEM_MALFORMED'
  | 'ERR_PEM_UNSUPPORTED_LABEL'
  | 'ERR_DER_TRUNCATED'
  | 'ERR_DER_TRAILING_DATA'
  | 'ERR_DER_BER_ENCODING'
  | 'ERR_DER_UNEXPECTED_TAG'
  | 'ERR_DER_INVALID_VALUE'
  | 'ERR_DER_TOO_DEEP'
  | 'ERR_NOT_A_CERTIFICATE'
  | 'ERR_PRIVATE_KEY'
  | 'ERR_CSR'
  | 'ERR_CRL'
  | 'ERR_PUBLIC_KEY'
  | 'ERR_TRUSTED_CERTIFICATE'
  | 'ERR_PKCS7_UNSUPPORTED'
  | 'ERR_INVALID_PARAMETER'
  | 'ERR_INVALID_DN'
  | 'ERR_INVALID_IP'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_IMMUTABLE_PROPERTY'
  | 'ERR_GRAPH_RESPONSE'
  | 'ERR_GRAPH_PREFLIGHT'
  | 'ERR_GRAPH_TRANSPORT'
  | 'ERR_GRAPH_CONFLICT'
  | 'ERR_GRAPH_OUTCOME_UNKNOWN'
  | 'ERR_GRAPH_UNCONFIRMED'
  | 'ERR_GRAPH_UNTRUSTED_URL';

/** Where in the input an error or a certificate was found. All fields optional. */
export interface InputLocation {
  /** What the caller called the input: a file name, `stdin`, a JSON path. */
  readonly source?: string;
  /** 0-based index of the certificate (or PEM block) within the input. */
  readonly index?: number;
  /** 1-based line of the PEM block's BEGIN line, when the input was text. */
  readonly line?: number;
  /** Byte offset inside the DER where decoding failed. */
  readonly offset?: number;
}

export interface GraphMtlsErrorOptions extends InputLocation {
  readonly cause?: unknown;
}

export class GraphMtlsError extends Error {
  override readonly name: string = 'GraphMtlsError';
  readonly code: ErrorCode;
  readonly source: string | undefined;
  readonly index: number | undefined;
  readonly line: number | undefined;
  readonly offset: number | undefined;
  /** The message without the location prefix. */
  readonly reason: string;

  constructor(code: ErrorCode, reason: string, options: GraphMtlsErrorOptions = {}) {
    super(withLocation(reason, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.reason = reason;
    this.source = options.source;
    this.index = options.index;
    this.line = options.line;
    this.offset = options.offset;
  }

  /** The same error with more location filled in (fields already set win). */
  at(location: InputLocation): GraphMtlsError {
    return new GraphMtlsError(this.code, this.reason, {
      source: this.source ?? location.source,
      index: this.index ?? location.index,
      line: this.line ?? location.line,
      offset: this.offset ?? location.offset,
      cause: this.cause,
    });
  }
}

export function isGraphMtlsError(value: unknown): value is GraphMtlsError {
  return value instanceof GraphMtlsError;
}

function withLocation(reason: string, at: InputLocation): string {
  const parts: string[] = [];
  if (at.source !== undefined) parts.push(at.source);
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  else if (at.index !== undefined) parts.push(`certificate #${at.index + 1}`);
  if (at.offset !== undefined) parts.push(`byte ${at.offset}`);
  return parts.length === 0 ? reason : `${parts.join(', ')}: ${reason}`;
}
