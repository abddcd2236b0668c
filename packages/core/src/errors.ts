// Thrown errors, as data (jose's util/errors.ts and webpki's Error are the models). Three kinds,
// told apart by `kind`, each with the fields its kind has:
// - InputError: input that cannot be read (PEM, base64, DER, not a certificate, a private key,
//   a limit); where it happened: source, PEM block index, line, byte offset;
// - ArgumentError: a caller's value the API refuses (an option, a DN or IP text, a parameter);
//   for text, the character position;
// - GraphError: a call to Graph that failed or could not be confirmed; the operation, and for
//   an HTTP answer (GraphApiError) its status and request id.
// Each carries a stable `code` and a message of the form "subject: expected ..., received ...".
// Findings (checks/) are the other channel and are never thrown.

/** The codes of InputError: input that cannot be read. */
export type InputErrorCode =
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
  /** A SET OF or SEQUENCE OF that must hold at least one element is empty (an RDN, the extensions). */
  | 'ERR_DER_SIZE_CONSTRAINT'
  | 'ERR_DER_UNEXPECTED_TAG'
  | 'ERR_DER_INVALID_VALUE'
  | 'ERR_DER_TOO_DEEP'
  | 'ERR_NOT_A_CERTIFICATE'
  /** Where a CRL is expected (readCrls, parseCrl): the input is something else (a certificate, a CSR, text that is none of PEM, DER, base64). */
  | 'ERR_NOT_A_CRL'
  | 'ERR_PRIVATE_KEY'
  | 'ERR_CSR'
  | 'ERR_CRL'
  | 'ERR_PUBLIC_KEY'
  | 'ERR_TRUSTED_CERTIFICATE'
  | 'ERR_PKCS7_UNSUPPORTED';

/** The codes of ArgumentError: a value the API refuses. */
export type ArgumentErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_PARAMETER'
  | 'ERR_INVALID_DN'
  | 'ERR_INVALID_IP'
  | 'ERR_IMMUTABLE_PROPERTY'
  /** A DN text with more attributes than a certificate may hold. */
  | 'ERR_LIMIT_EXCEEDED';

/** The codes of GraphError: a Graph call that failed or could not be confirmed. */
export type GraphErrorCode =
  /** Graph answered with an error status (GraphApiError). */
  | 'ERR_GRAPH_RESPONSE'
  /** The body was not sent: the checks found errors Graph would answer 400 to (GraphPreflightError). */
  | 'ERR_GRAPH_PREFLIGHT'
  /** No answer: a network failure, a timeout, an answer cut off, retries spent. */
  | 'ERR_GRAPH_TRANSPORT'
  /** An answer of success whose body is not what the operation returns. */
  | 'ERR_GRAPH_MALFORMED_RESPONSE'
  /** A list with more pages than the client follows. */
  | 'ERR_GRAPH_PAGE_LIMIT'
  | 'ERR_GRAPH_CONFLICT'
  | 'ERR_GRAPH_OUTCOME_UNKNOWN'
  /** A change applied whose result could not be read back (GraphUnconfirmedError). */
  | 'ERR_GRAPH_UNCONFIRMED'
  | 'ERR_GRAPH_UNTRUSTED_URL';

/** Every code a GraphMtlsError can have. */
export type ErrorCode = InputErrorCode | ArgumentErrorCode | GraphErrorCode;

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

/** Every error graph-mtls throws: `kind` tells which fields it has. */
export type AnyGraphMtlsError = InputError | ArgumentError | GraphError;

/** The common base: `instanceof GraphMtlsError` catches every kind. */
export abstract class GraphMtlsError extends Error {
  override readonly name: string = 'GraphMtlsError';
  abstract readonly kind: 'input' | 'argument' | 'graph';
  readonly code: ErrorCode;
  /** The message without the location prefix. */
  readonly reason: string;

  protected constructor(code: ErrorCode, reason: string, message: string, cause: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.reason = reason;
  }
}

/** Where an input error happened, and what caused it. */
export interface InputErrorOptions extends InputLocation {
  readonly cause?: unknown;
}

/** Input that cannot be read, and where: the message starts with the place ("a.pem, line 4, byte 310: ..."). */
export class InputError extends GraphMtlsError {
  override readonly name: string = 'InputError';
  readonly kind = 'input' as const;
  declare readonly code: InputErrorCode;
  readonly source: string | undefined;
  readonly index: number | undefined;
  readonly line: number | undefined;
  readonly offset: number | undefined;

  constructor(code: InputErrorCode, reason: string, options: InputErrorOptions = {}) {
    super(code, reason, withLocation(reason, options), options.cause);
    this.source = options.source;
    this.index = options.index;
    this.line = options.line;
    this.offset = options.offset;
  }

  /** The same error with more location filled in (fields already set win). */
  at(location: InputLocation): InputError {
    return new InputError(this.code, this.reason, {
      source: this.source ?? location.source,
      index: this.index ?? location.index,
      line: this.line ?? location.line,
      offset: this.offset ?? location.offset,
      cause: this.cause,
    });
  }
}

/** Where in the argument's text the parser stopped, the input it came from, and what caused it. */
export interface ArgumentErrorOptions {
  /** For text (a DN, an IP address): the 1-based character the parser stopped at. */
  readonly position?: number;
  /** The input the value came from, when it came from one; the message then starts with it. */
  readonly source?: string;
  readonly cause?: unknown;
}

/** A value the API refuses; the message names the argument, what was expected and what was received. */
export class ArgumentError extends GraphMtlsError {
  override readonly name: string = 'ArgumentError';
  readonly kind = 'argument' as const;
  declare readonly code: ArgumentErrorCode;
  readonly position: number | undefined;
  readonly source: string | undefined;

  constructor(code: ArgumentErrorCode, reason: string, options: ArgumentErrorOptions = {}) {
    super(code, reason, withLocation(reason, options), options.cause);
    this.position = options.position;
    this.source = options.source;
  }
}

/** The ids of the request that failed, and what caused it. */
export interface GraphErrorOptions {
  /** Graph's request-id (from the answer's headers or error body), when there was an answer. */
  readonly requestId?: string;
  /** The client-request-id the request was sent with. */
  readonly clientRequestId?: string;
  readonly cause?: unknown;
}

/** A Graph call that failed or could not be confirmed; `operation` is the client's (list, get, create, update, delete). */
export class GraphError extends GraphMtlsError {
  override readonly name: string = 'GraphError';
  readonly kind = 'graph' as const;
  declare readonly code: GraphErrorCode;
  readonly operation: string | undefined;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;

  constructor(code: GraphErrorCode, operation: string | undefined, reason: string, options: GraphErrorOptions = {}) {
    super(code, reason, reason, options.cause);
    this.operation = operation;
    this.requestId = options.requestId;
    this.clientRequestId = options.clientRequestId;
  }
}

/** True for every error graph-mtls throws; narrows to the union, so `switch (error.kind)` reaches each kind's fields. */
export function isGraphMtlsError(value: unknown): value is AnyGraphMtlsError {
  return value instanceof GraphMtlsError;
}

function withLocation(reason: string, at: InputLocation & { readonly position?: number }): string {
  const place = describeLocation(at);
  return place === '' ? reason : `${place}: ${reason}`;
}

/** A location for a message: "a.pem, line 4, byte 310" (empty when nothing is known). */
export function describeLocation(at: InputLocation): string {
  const parts: string[] = [];
  if (at.source !== undefined) parts.push(at.source);
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  else if (at.index !== undefined) parts.push(`certificate #${at.index + 1}`);
  if (at.offset !== undefined) parts.push(`byte ${at.offset}`);
  return parts.join(', ');
}
