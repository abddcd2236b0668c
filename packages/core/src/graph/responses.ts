// Graph's answers as results or typed errors (spec/graph-api.md §2, §3.1): the error's
// `code`, `message` and `innerError` (`request-id`, `client-request-id`, `date`; spelled
// `innerError` or `innererror`), the status, and a hint of what to do.

import { parseJsonOrUndefined } from '../encoding/json.ts';
import { GraphError } from '../errors.ts';
import { ADMIN_ROLES, WRITE_PERMISSION } from './clouds.ts';
import type { CertificateAuthorityPayload } from '../payload/build.ts';

/** One HTTP answer, as data: status, headers (lower-case names) and body text. */
export interface GraphResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text ('' when there is none). */
  readonly body: string;
}

/** A configuration as Graph returns it. */
export interface MutualTlsOauthConfiguration {
  readonly id: string;
  readonly displayName?: string | null;
  readonly tlsClientAuthParameter: string;
  readonly certificateAuthorities: readonly (CertificateAuthorityPayload & { readonly issuer?: string; readonly issuerSki?: string | null })[];
  readonly deletedDateTime?: string | null;
  readonly [annotation: `@odata.${string}`]: unknown;
}

/** The client's operations, as named in messages and errors. */
export type Operation = 'list' | 'get' | 'create' | 'update' | 'delete';

/** Graph answered with an error status: the status, Graph's error code and message, and its ids. */
export class GraphApiError extends GraphError {
  override readonly name: string = 'GraphApiError';
  declare readonly code: 'ERR_GRAPH_RESPONSE';
  declare readonly operation: Operation;
  readonly status: number;
  /** Graph's `error.code`, e.g. `Request_BadRequest`. */
  readonly graphCode: string | undefined;
  readonly graphMessage: string | undefined;
  readonly date: string | undefined;
  /** What to do about it, when we know. */
  readonly hint: string | undefined;
  /** The parsed error body. */
  readonly body: unknown;

  constructor(operation: Operation, response: GraphResponse) {
    const parsed = parseJsonOrUndefined(redactSecrets(response.body));
    const error = field(parsed, 'error');
    // Graph writes innerError, OData innererror: any case is accepted.
    const innerKey = typeof error === 'object' && error !== null ? Object.keys(error).find((k) => k.toLowerCase() === 'innererror') : undefined;
    const inner = innerKey === undefined ? undefined : field(error, innerKey);
    const graphCode = text(field(error, 'code'));
    const graphMessage = text(field(error, 'message'));
    const hint = hintFor(operation, response.status, graphCode);
    const what = graphCode === undefined ? `HTTP ${response.status}` : `${response.status} ${graphCode}`;
    const requestId = text(field(inner, 'request-id')) ?? response.headers['request-id'];
    const clientRequestId = text(field(inner, 'client-request-id')) ?? response.headers['client-request-id'];
    super('ERR_GRAPH_RESPONSE', operation, `Graph ${operation}: expected success, received ${what}${graphMessage === undefined ? '' : `: ${graphMessage.slice(0, 300)}`}${hint === undefined ? '' : ` (${hint})`}`, {
      ...(requestId === undefined ? {} : { requestId }),
      ...(clientRequestId === undefined ? {} : { clientRequestId }),
    });
    this.status = response.status;
    this.graphCode = graphCode;
    this.graphMessage = graphMessage;
    this.date = text(field(inner, 'date')) ?? response.headers['date'];
    this.hint = hint;
    this.body = parsed;
  }
}

function hintFor(operation: Operation, status: number, code: string | undefined): string | undefined {
  if (status === 401) return 'the token is missing, expired, or issued for another resource; get a token for Graph';
  if (status === 403) {
    const perm = operation === 'list' || operation === 'get' ? 'MutualTlsOauthConfiguration.Read.All (or ReadWrite.All)' : WRITE_PERMISSION;
    return `the caller needs the ${perm} permission; delegated callers also need the ${ADMIN_ROLES.join(' or ')} role`;
  }
  if (status === 404) return 'no mutualTlsOauthConfiguration has this id in the tenant';
  if (status === 400 && operation === 'delete') return 'delete every deviceTemplate that links to this configuration, and the devices created from them, first';
  if (status === 409 || code === 'Directory_ConcurrencyViolation') return 'another change to the directory object was in progress; retry after a short wait';
  if (status === 429) return 'throttled: wait as Retry-After says before the next request';
  // A browser stops at a redirect with an opaque answer (status 0).
  if (status === 0 || (status >= 300 && status < 400)) return 'Graph does not redirect these calls; the redirect was not followed, so the token went nowhere else: check the base URL';
  return undefined;
}

/** The entity of a 200/201 answer; throws GraphApiError otherwise. */
export function readEntity(operation: Operation, response: GraphResponse): MutualTlsOauthConfiguration {
  if (response.status !== 200 && response.status !== 201) throw new GraphApiError(operation, response);
  const body = parseJsonOrUndefined(response.body);
  if (typeof field(body, 'id') !== 'string') {
    throw new GraphError('ERR_GRAPH_MALFORMED_RESPONSE', operation, `Graph ${operation}: expected a mutualTlsOauthConfiguration with an id, received ${response.body.length === 0 ? 'an empty body' : 'another body'}`);
  }
  return body as MutualTlsOauthConfiguration;
}

/** One page of a list: its configurations and the next page's URL. */
export interface CollectionPage {
  readonly value: readonly MutualTlsOauthConfiguration[];
  readonly nextLink: string | undefined;
}

/** One page of a list answer. */
export function readCollection(response: GraphResponse): CollectionPage {
  if (response.status !== 200) throw new GraphApiError('list', response);
  const body = parseJsonOrUndefined(response.body);
  const value = field(body, 'value');
  if (!Array.isArray(value)) throw new GraphError('ERR_GRAPH_MALFORMED_RESPONSE', 'list', 'Graph list: expected a collection with value[], received another body');
  const nextLink = text(field(body, '@odata.nextLink'));
  return { value: value as MutualTlsOauthConfiguration[], nextLink };
}

/** An update answers 200 with the entity (current docs) or 204 (older docs): both succeed. */
export function readUpdate(response: GraphResponse): MutualTlsOauthConfiguration | undefined {
  if (response.status === 204) return undefined;
  return readEntity('update', response);
}

/** A DELETE's answer: 204 (or 200) is success; anything else is a GraphApiError. */
export function readDelete(response: GraphResponse): void {
  if (response.status !== 204 && response.status !== 200) throw new GraphApiError('delete', response);
}

/**
 * Server text with anything that looks like a credential taken out: `Bearer <token>` and JWTs
 * (RFC 7519 compact form). The transport also removes the exact token it sent; this catches a
 * token the server echoes from elsewhere, before the text reaches a message or a report.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, '$1 [REDACTED]')
    .replace(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[REDACTED JWT]');
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
