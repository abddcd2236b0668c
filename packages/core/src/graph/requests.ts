// Graph's HTTP protocol for mutualTlsOauthConfiguration without I/O (spec/graph-api.md §2):
// builders return a GraphRequest for the adapter's fetch to run. Paths always carry
// `/directory` (the SDK URI templates do; some doc examples drop it).

import { ArgumentError } from '../errors.ts';

/** One HTTP request to Graph, as data: method, URL, headers and body. */
export interface GraphRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, when the request has a body. */
  readonly body?: string;
}

/** The collection's path below Graph's /beta root. */
export const COLLECTION_PATH = '/directory/certificateAuthorities/mutualTlsOauthConfigurations';

/** OData query options of a list: $filter, $select, $top. */
export interface ListQuery {
  /** An OData filter, e.g. `displayName eq 'x'` (eq and in on id and displayName are supported). */
  readonly filter?: string;
  readonly select?: readonly string[];
  readonly top?: number;
}

/** `displayName eq '...'` with OData string-literal quoting (a ' is doubled). */
export function filterByDisplayName(displayName: string): string {
  return `displayName eq '${displayName.replace(/'/g, "''")}'`;
}

const JSON_HEADERS = { accept: 'application/json' } as const;
const BODY_HEADERS = { accept: 'application/json', 'content-type': 'application/json' } as const;

/** The beta base URL: `${graphRoot}/beta`. */
export function betaBase(graphRoot: string): string {
  return graphRoot.replace(/\/+$/, '') + '/beta';
}

/** GET of the collection, with $filter, $select and $top as given. */
export function listRequest(base: string, query: ListQuery = {}): GraphRequest {
  const params: string[] = [];
  if (query.filter !== undefined) params.push(`$filter=${encodeQuery(query.filter)}`);
  if (query.select !== undefined && query.select.length > 0) params.push(`$select=${query.select.map(encodeQuery).join(',')}`);
  if (query.top !== undefined) {
    if (!Number.isInteger(query.top) || query.top < 1) throw new ArgumentError('ERR_INVALID_ARGUMENT', `list top: expected a positive integer, received ${String(query.top)}`);
    params.push(`$top=${query.top}`);
  }
  return { method: 'GET', url: `${base}${COLLECTION_PATH}${params.length > 0 ? `?${params.join('&')}` : ''}`, headers: JSON_HEADERS };
}

/** The next page: `@odata.nextLink` is absolute and used as Graph gave it. */
export function nextPageRequest(nextLink: string): GraphRequest {
  return { method: 'GET', url: nextLink, headers: JSON_HEADERS };
}

/** GET of one configuration by id. */
export function getRequest(base: string, id: string, select?: readonly string[]): GraphRequest {
  const query = select !== undefined && select.length > 0 ? `?$select=${select.map(encodeQuery).join(',')}` : '';
  return { method: 'GET', url: `${itemUrl(base, id)}${query}`, headers: JSON_HEADERS };
}

/** `body` is a value to serialize, or JSON text sent as it is. */
export function createRequest(base: string, body: unknown): GraphRequest {
  return { method: 'POST', url: `${base}${COLLECTION_PATH}`, headers: BODY_HEADERS, body: jsonText(body) };
}

/** PATCH of one configuration: the body as JSON text. */
export function updateRequest(base: string, id: string, body: unknown): GraphRequest {
  return { method: 'PATCH', url: itemUrl(base, id), headers: BODY_HEADERS, body: jsonText(body) };
}

function jsonText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** DELETE of one configuration by id. */
export function deleteRequest(base: string, id: string): GraphRequest {
  return { method: 'DELETE', url: itemUrl(base, id), headers: JSON_HEADERS };
}

function itemUrl(base: string, id: string): string {
  if (typeof id !== 'string' || id.length === 0) throw new ArgumentError('ERR_INVALID_ARGUMENT', 'configuration id: expected a non-empty string, received ' + (id === '' ? 'an empty one' : typeof id));
  return `${base}${COLLECTION_PATH}/${encodeQuery(id)}`;
}

/**
 * Percent-encodes what a URL query or path segment cannot hold (RFC 3986 §2.1), without the URL
 * global. Text that is not well-formed UTF-16 (a lone surrogate) has no UTF-8 form to encode.
 */
function encodeQuery(text: string): string {
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
  if (lone !== null) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `URL text: expected well-formed Unicode, received a lone surrogate U+${lone[0].charCodeAt(0).toString(16).toUpperCase()} at position ${lone.index + 1}`);
  }
  return encodeURIComponent(text).replace(/'/g, '%27');
}
