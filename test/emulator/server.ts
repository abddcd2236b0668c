// Graph emulator: a real HTTP server on loopback that answers like Microsoft Graph beta's
// /directory/certificateAuthorities/mutualTlsOauthConfigurations endpoints (spec §2): OData
// shapes and paging, bearer scopes (§2.6), Graph's error JSON (§3.1–§3.3), CORS, and injected
// faults for throttling and transient failures (§3.5). Test code: uses Node APIs freely and
// does not import @graph-mtls/core, so its verdicts are independent of the library's.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { validatePayload, ENUM_MEMBERS, MSG_BAD_JSON } from './payload.ts';
import { ENTITY_PROPERTIES, parseCount, parseFilter, parseSelect, parseTop, QueryError } from './query.ts';

export interface EmulatorOptions {
  /** Largest page the server returns (Graph's is undocumented). Default 2, so tests page. */
  pageSize?: number;
  /** Bearer token → granted scopes. Default { 'test-token': { scopes: ['MutualTlsOauthConfiguration.ReadWrite.All'] } }. */
  tokens?: Record<string, { scopes: string[] }>;
  /** Clock for certificate validity checks. Default: the system clock. */
  now?: () => Date;
  /** Answer CORS preflights and add CORS headers like Graph. Default true. */
  cors?: boolean;
  /** Port on 127.0.0.1. Default 0 (ephemeral). */
  port?: number;
  /**
   * Serve test-only control routes under /__emulator/ so a browser page can drive the
   * emulator: POST faults (a Fault or a list, `match.path` as a RegExp source string), POST
   * reset, GET requests (the log without authorization headers). Default false: the paths
   * are then ordinary (unknown) Graph paths.
   */
  control?: boolean;
  /** How a PATCH is answered: 200 with the entity (current docs, default) or 204 (older docs, and `Prefer: return=minimal`). */
  updateAnswer?: 'entity' | 'no-content';
}

/** An injected fault; faults are consumed in order, each matching by method/path and count. */
export interface Fault {
  /** `path` is tested against the request target as sent (path and query). */
  match?: { method?: string; path?: RegExp };
  /** Default 1. */
  times?: number;
  kind: 'status' | 'slow' | 'drop' | 'createThenFail';
  /** For 'status' (429, 503, 504, ...) and 'createThenFail' (default 504). */
  status?: number;
  /** Retry-After value: delta-seconds or an HTTP date. */
  retryAfter?: string;
  /** For 'slow': wait this long, then answer normally. */
  delayMs?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Emulator {
  /** Graph root, e.g. http://127.0.0.1:34567; clients use `${url}/beta/...`. */
  url: string;
  close(): Promise<void>;
  inject(...faults: Fault[]): void;
  requests: LoggedRequest[];
  /** Configurations by id, as returned by GET (without @odata.context). */
  store: Map<string, object>;
  /** Clears the store, the request log and pending faults. */
  reset(): void;
}

export const COLLECTION_PATH = '/beta/directory/certificateAuthorities/mutualTlsOauthConfigurations';
const SEGMENTS = ['directory', 'certificateAuthorities', 'mutualTlsOauthConfigurations'];
const CONTEXT_PATH = 'directory/certificateAuthorities/mutualTlsOauthConfigurations';

const SCOPE_READ = 'MutualTlsOauthConfiguration.Read.All';
const SCOPE_READWRITE = 'MutualTlsOauthConfiguration.ReadWrite.All';
const SCOPE_DIRECTORY_READ = 'Directory.Read.All';

const MAX_BODY = 4 * 1024 * 1024;
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

const CORS_ALLOW_HEADERS = 'authorization, content-type, client-request-id, prefer, consistencylevel';
const CORS_EXPOSE_HEADERS = 'request-id, client-request-id, retry-after, location';
const CORS_ALLOW_METHODS = 'GET, POST, PATCH, PUT, DELETE, OPTIONS';

const CONTROL_PREFIX = '/__emulator/';
const FAULT_KINDS: readonly Fault['kind'][] = ['status', 'slow', 'drop', 'createThenFail'];

/** A fault as JSON carries its path pattern as a RegExp source string. */
function faultFromJson(value: unknown): Fault {
  if (typeof value !== 'object' || value === null) throw new Error('fault: expected an object');
  const v = value as Record<string, unknown>;
  if (!FAULT_KINDS.includes(v['kind'] as Fault['kind'])) throw new Error(`fault kind: expected one of ${FAULT_KINDS.join(', ')}`);
  const fault: Fault = { kind: v['kind'] as Fault['kind'] };
  const m = v['match'] as { method?: unknown; path?: unknown } | undefined;
  if (m !== undefined && m !== null) {
    fault.match = {
      ...(typeof m.method === 'string' ? { method: m.method } : {}),
      ...(typeof m.path === 'string' ? { path: new RegExp(m.path) } : {}),
    };
  }
  if (typeof v['times'] === 'number') fault.times = v['times'];
  if (typeof v['status'] === 'number') fault.status = v['status'];
  if (typeof v['retryAfter'] === 'string') fault.retryAfter = v['retryAfter'];
  if (typeof v['delayMs'] === 'number') fault.delayMs = v['delayMs'];
  return fault;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

interface Context {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly requestId: string;
  readonly clientRequestId: string;
}

function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function graphDate(): string {
  return new Date().toISOString().slice(0, 19);
}

function errorReply(ctx: Pick<Context, 'requestId' | 'clientRequestId'>, status: number, code: string, message: string): Reply {
  const body = {
    error: {
      code,
      message,
      innerError: { date: graphDate(), 'request-id': ctx.requestId, 'client-request-id': ctx.clientRequestId },
    },
  };
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function jsonReply(status: number, body: unknown, extra: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': JSON_TYPE, 'odata-version': '4.0', ...extra }, body: JSON.stringify(body) };
}

const FAULT_CODES: Readonly<Record<number, readonly [string, string]>> = {
  429: ['TooManyRequests', 'Too many requests.'],
  500: ['UnknownError', 'An internal server error occurred.'],
  502: ['BadGateway', 'The gateway received an invalid response.'],
  503: ['serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.'],
  504: ['GatewayTimeout', 'The gateway did not receive a response from the service in time.'],
};

function faultReply(ctx: Context, status: number, retryAfter: string | undefined): Reply {
  const [code, message] = FAULT_CODES[status] ?? ['UnknownError', `Injected status ${status}.`];
  const reply = errorReply(ctx, status, code, message);
  if (retryAfter !== undefined) reply.headers['retry-after'] = retryAfter;
  return reply;
}

function preferences(headers: IncomingMessage['headers']): string[] {
  return (header(headers, 'prefer') ?? '')
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '');
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const pageSize = options.pageSize ?? 2;
  const tokens = options.tokens ?? { 'test-token': { scopes: [SCOPE_READWRITE] } };
  const now = options.now ?? ((): Date => new Date());
  const cors = options.cors ?? true;
  const control = options.control ?? false;

  const store = new Map<string, object>();
  const requests: LoggedRequest[] = [];
  const faults: { fault: Fault; left: number }[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let url = '';

  const collectionUrl = (): string => `${url}${COLLECTION_PATH}`;

  function takeFault(method: string, target: string): Fault | undefined {
    for (let i = 0; i < faults.length; i++) {
      const entry = faults[i]!;
      const { match, kind } = entry.fault;
      if (match?.method !== undefined ? match.method.toUpperCase() !== method : method === 'OPTIONS') continue;
      if (kind === 'createThenFail' && method !== 'POST') continue;
      if (match?.path !== undefined) {
        match.path.lastIndex = 0;
        if (!match.path.test(target)) continue;
      }
      if (--entry.left <= 0) faults.splice(i, 1);
      return entry.fault;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Rendering
  // -------------------------------------------------------------------------------------------

  function findId(id: string): string | undefined {
    if (store.has(id)) return id;
    const lower = id.toLowerCase();
    for (const key of store.keys()) if (key.toLowerCase() === lower) return key;
    return undefined;
  }

  function entityOf(id: string): Record<string, unknown> {
    const stored = store.get(id) as Record<string, unknown>;
    const { id: _ignored, ...rest } = stored;
    return { id, ...rest };
  }

  /** Evolvable enums (spec §1.6): members the client did not opt into read as the sentinel. */
  function render(entity: Record<string, unknown>, select: string[] | undefined, includeUnknownEnum: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const props = select === undefined ? Object.keys(entity) : ['id', ...ENTITY_PROPERTIES.filter((p) => p !== 'id' && select.includes(p))];
    for (const p of props) {
      if (!(p in entity)) continue;
      let v = entity[p];
      if (p === 'tlsClientAuthParameter' && typeof v === 'string' && !includeUnknownEnum && !ENUM_MEMBERS.includes(v)) v = 'unknownFutureValue';
      out[p] = v;
    }
    return out;
  }

  function context(select: string[] | undefined, entity: boolean): string {
    const sel = select === undefined ? '' : `(${select.join(',')})`;
    return `${url}/beta/$metadata#${CONTEXT_PATH}${sel}${entity ? '/$entity' : ''}`;
  }

  // -------------------------------------------------------------------------------------------
  // Handlers
  // -------------------------------------------------------------------------------------------

  function grantOf(ctx: Context): { scopes: string[] } | undefined {
    const auth = header(ctx.headers, 'authorization');
    const m = auth === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m && Object.hasOwn(tokens, m[1]!) ? tokens[m[1]!] : undefined;
  }

  /** 401 before anything else, as Graph's gateway does. */
  function authenticate(ctx: Context): Reply | undefined {
    if (grantOf(ctx) === undefined) {
      const auth = header(ctx.headers, 'authorization');
      const reply = errorReply(
        ctx,
        401,
        'InvalidAuthenticationToken',
        auth === undefined || auth.trim() === '' ? 'Access token is empty.' : 'IDX14100: JWT is not well formed, there are no dots (.).',
      );
      reply.headers['www-authenticate'] =
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
      return reply;
    }
    return undefined;
  }

  function authorize(ctx: Context, need: 'read' | 'list' | 'write'): Reply | undefined {
    const grant = grantOf(ctx);
    if (grant === undefined) return authenticate(ctx);
    const allowed = need === 'write' ? [SCOPE_READWRITE] : need === 'list' ? [SCOPE_READ, SCOPE_READWRITE, SCOPE_DIRECTORY_READ] : [SCOPE_READ, SCOPE_READWRITE];
    if (!grant.scopes.some((s) => allowed.includes(s))) {
      return errorReply(ctx, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
    return undefined;
  }

  function notFound(ctx: Context, id: string): Reply {
    return errorReply(ctx, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  }

  function checkQueryOptions(ctx: Context, allowed: readonly string[]): void {
    const seen = new Set<string>();
    for (const key of ctx.url.searchParams.keys()) {
      if (!key.startsWith('$')) continue;
      const k = key.toLowerCase();
      if (seen.has(k)) throw new QueryError(400, 'BadRequest', `Query option '${key}' was specified more than once, but it must be specified at most once.`);
      seen.add(k);
      if (allowed.includes(k)) continue;
      if (['$orderby', '$search', '$skip', '$expand', '$filter', '$top', '$count', '$skiptoken'].includes(k)) {
        throw new QueryError(400, 'Request_UnsupportedQuery', `The query option '${key}' is not supported for this request.`);
      }
      throw new QueryError(400, 'BadRequest', `The query parameter '${key}' is not supported.`);
    }
  }

  /** Case-insensitive lookup of a `$` query option. */
  function option(ctx: Context, name: string): string | null {
    for (const [k, v] of ctx.url.searchParams) if (k.toLowerCase() === name) return v;
    return null;
  }

  function listEntities(ctx: Context): Record<string, unknown>[] {
    const predicate = parseFilter(option(ctx, '$filter'));
    const all = [...store.keys()].map(entityOf);
    return predicate ? all.filter(predicate) : all;
  }

  function handleList(ctx: Context): Reply {
    checkQueryOptions(ctx, ['$filter', '$select', '$top', '$count', '$skiptoken']);
    const select = parseSelect(option(ctx, '$select'));
    const top = parseTop(option(ctx, '$top'));
    const count = parseCount(option(ctx, '$count'));
    const matching = listEntities(ctx);
    const token = option(ctx, '$skiptoken');
    let offset = 0;
    if (token !== null) {
      const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
      if (!m) return errorReply(ctx, 400, 'Request_BadRequest', 'The specified page token value is invalid.');
      offset = Number(m[1]);
    }
    const size = Math.min(top ?? pageSize, pageSize);
    const page = matching.slice(offset, offset + size);
    const includeUnknown = preferences(ctx.headers).includes('include-unknown-enum-members');
    const body: Record<string, unknown> = { '@odata.context': context(select, false) };
    if (count) body['@odata.count'] = matching.length;
    if (offset + size < matching.length) {
      const next = new URL(`${collectionUrl()}`);
      for (const [k, v] of ctx.url.searchParams) if (k.toLowerCase() !== '$skiptoken') next.searchParams.append(k, v);
      next.searchParams.set('$skiptoken', Buffer.from(`o:${offset + size}`).toString('base64url'));
      body['@odata.nextLink'] = next.toString();
    }
    body['value'] = page.map((e) => render(e, select, includeUnknown));
    return jsonReply(200, body, includeUnknown ? { 'preference-applied': 'include-unknown-enum-members' } : {});
  }

  function handleCount(ctx: Context): Reply {
    checkQueryOptions(ctx, ['$filter']);
    return { status: 200, headers: { 'content-type': 'text/plain;charset=utf-8' }, body: String(listEntities(ctx).length) };
  }

  function requireJson(ctx: Context): Reply | undefined {
    const type = header(ctx.headers, 'content-type');
    if (type === undefined) return errorReply(ctx, 400, 'BadRequest', 'Write requests (excluding DELETE) must contain the Content-Type header declaration.');
    const media = type.split(';')[0]!.trim().toLowerCase();
    if (media !== 'application/json') {
      return errorReply(ctx, 415, 'BadRequest', `The request entity's media type '${media}' is not supported for this resource.`);
    }
    return undefined;
  }

  function handleCreate(ctx: Context): Reply {
    const bad = requireJson(ctx);
    if (bad) return bad;
    const result = validatePayload(ctx.body, 'create', now());
    if (!result.ok) return errorReply(ctx, result.error.status, result.error.code, result.error.message);
    const id = randomUUID();
    const c = result.changes;
    const entity = {
      id,
      deletedDateTime: null,
      certificateAuthorities: c.certificateAuthorities ?? [],
      displayName: c.displayName ?? null,
      tlsClientAuthParameter: c.tlsClientAuthParameter,
    };
    store.set(id, entity);
    const includeUnknown = preferences(ctx.headers).includes('include-unknown-enum-members');
    return jsonReply(201, { '@odata.context': context(undefined, true), ...render(entityOf(id), undefined, includeUnknown) }, { location: `${collectionUrl()}/${id}` });
  }

  function handleGet(ctx: Context, id: string): Reply {
    checkQueryOptions(ctx, ['$select']);
    const select = parseSelect(option(ctx, '$select'));
    const key = findId(id);
    if (key === undefined) return notFound(ctx, id);
    const includeUnknown = preferences(ctx.headers).includes('include-unknown-enum-members');
    return jsonReply(
      200,
      { '@odata.context': context(select, true), ...render(entityOf(key), select, includeUnknown) },
      includeUnknown ? { 'preference-applied': 'include-unknown-enum-members' } : {},
    );
  }

  function handleUpdate(ctx: Context, id: string): Reply {
    const bad = requireJson(ctx);
    if (bad) return bad;
    const key = findId(id);
    if (key === undefined) return notFound(ctx, id);
    // Kiota may send a PATCH without a body (spec §2.1 SDK note); Graph treats it as bad JSON.
    if (ctx.body.trim() === '') return errorReply(ctx, 400, 'BadRequest', MSG_BAD_JSON);
    const result = validatePayload(ctx.body, 'update', now());
    if (!result.ok) return errorReply(ctx, result.error.status, result.error.code, result.error.message);
    const updated: Record<string, unknown> = { ...(store.get(key) as Record<string, unknown>) };
    if (result.changes.displayName !== undefined) updated['displayName'] = result.changes.displayName;
    if (result.changes.certificateAuthorities !== undefined) updated['certificateAuthorities'] = result.changes.certificateAuthorities;
    store.set(key, updated);
    const prefs = preferences(ctx.headers);
    if (prefs.includes('return=minimal') || options.updateAnswer === 'no-content') return { status: 204, headers: { 'preference-applied': 'return=minimal' } };
    return jsonReply(200, { '@odata.context': context(undefined, true), ...render(entityOf(key), undefined, prefs.includes('include-unknown-enum-members')) });
  }

  function handleDelete(ctx: Context, id: string): Reply {
    const key = findId(id);
    if (key === undefined) return notFound(ctx, id);
    store.delete(key);
    return { status: 204, headers: {} };
  }

  function notAllowed(ctx: Context): Reply {
    return errorReply(ctx, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request uri.');
  }

  function route(ctx: Context): Reply {
    const unauthenticated = authenticate(ctx);
    if (unauthenticated) return unauthenticated;
    let segments: string[];
    try {
      segments = ctx.url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
    } catch {
      return errorReply(ctx, 400, 'BadRequest', 'The request URI is malformed.');
    }
    const [version, ...rest] = segments;
    if (version === undefined || !['beta', 'v1.0'].includes(version.toLowerCase())) {
      return errorReply(ctx, 400, 'BadRequest', 'Invalid version.');
    }
    for (let i = 0; i < SEGMENTS.length; i++) {
      const seg = rest[i];
      if (seg === undefined) {
        if (i === 2 && ctx.method === 'GET' && version.toLowerCase() === 'beta') {
          const denied = authorize(ctx, 'read');
          if (denied) return denied;
          return jsonReply(200, { '@odata.context': `${url}/beta/$metadata#directory/certificateAuthorities/$entity`, id: '00000000-0000-0000-0000-000000000000' });
        }
        break;
      }
      // No v1.0 schema has mutualTlsOauthConfigurations (spec "Status").
      const v1Missing = i === 2 && version.toLowerCase() === 'v1.0';
      if (seg.toLowerCase() !== SEGMENTS[i]!.toLowerCase() || v1Missing) {
        return errorReply(ctx, 400, 'BadRequest', `Resource not found for the segment '${seg}'.`);
      }
    }
    if (rest.length < 3) return errorReply(ctx, 400, 'BadRequest', `Resource not found for the segment '${rest[rest.length - 1] ?? version}'.`);
    if (rest.length > 4) return errorReply(ctx, 400, 'BadRequest', `Resource not found for the segment '${rest[4]}'.`);
    const id = rest[3];
    const m = ctx.method;
    if (id === undefined) {
      if (m === 'GET') return authorize(ctx, 'list') ?? handleList(ctx);
      if (m === 'POST') return authorize(ctx, 'write') ?? handleCreate(ctx);
      return authorize(ctx, 'read') ?? notAllowed(ctx);
    }
    if (id === '$count') {
      if (m === 'GET') return authorize(ctx, 'list') ?? handleCount(ctx);
      return authorize(ctx, 'read') ?? notAllowed(ctx);
    }
    if (m === 'GET') return authorize(ctx, 'read') ?? handleGet(ctx, id);
    if (m === 'PATCH') return authorize(ctx, 'write') ?? handleUpdate(ctx, id);
    if (m === 'DELETE') return authorize(ctx, 'write') ?? handleDelete(ctx, id);
    return authorize(ctx, 'read') ?? notAllowed(ctx);
  }

  function handle(ctx: Context): Reply {
    if (ctx.method === 'OPTIONS') {
      if (!cors) return notAllowed(ctx);
      return {
        status: 204,
        headers: {
          'access-control-allow-methods': CORS_ALLOW_METHODS,
          'access-control-allow-headers': CORS_ALLOW_HEADERS,
          'access-control-max-age': '3600',
        },
      };
    }
    try {
      return route(ctx);
    } catch (e) {
      if (e instanceof QueryError) return errorReply(ctx, e.status, e.code, e.message);
      throw e;
    }
  }

  // -------------------------------------------------------------------------------------------
  // HTTP plumbing
  // -------------------------------------------------------------------------------------------

  function write(res: ServerResponse, ctx: Context, reply: Reply): void {
    if (res.destroyed || res.writableEnded) return;
    const headers: Record<string, string> = {
      'request-id': ctx.requestId,
      'client-request-id': ctx.clientRequestId,
      'cache-control': 'no-cache',
      'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'Emulator', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'graph-emulator' } }),
      ...reply.headers,
    };
    if (cors) {
      headers['access-control-allow-origin'] = '*';
      if (ctx.method !== 'OPTIONS') headers['access-control-expose-headers'] = CORS_EXPOSE_HEADERS;
    }
    const body = reply.body === undefined ? undefined : Buffer.from(reply.body, 'utf8');
    if (body !== undefined) headers['content-length'] = String(body.length);
    res.writeHead(reply.status, headers);
    res.end(body);
  }

  /** The opt-in control routes; kept out of the request log and of fault matching. */
  function serveControl(res: ServerResponse, ctx: Context): void {
    const route = `${ctx.method} ${ctx.url.pathname.slice(CONTROL_PREFIX.length)}`;
    let reply: Reply;
    try {
      if (ctx.method === 'OPTIONS') reply = handle(ctx);
      else if (route === 'POST faults') {
        const parsed = JSON.parse(ctx.body) as unknown;
        const items = (Array.isArray(parsed) ? parsed : [parsed]).map(faultFromJson);
        for (const fault of items) faults.push({ fault, left: fault.times ?? 1 });
        reply = { status: 204, headers: {} };
      } else if (route === 'POST reset') {
        store.clear();
        requests.length = 0;
        faults.length = 0;
        reply = { status: 204, headers: {} };
      } else if (route === 'GET requests') {
        const log = requests.map(({ headers, ...r }) => {
          const { authorization: _secret, ...shown } = headers;
          return { ...r, headers: shown };
        });
        reply = { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(log) };
      } else reply = errorReply(ctx, 404, 'NotFound', `No control route '${route.slice(0, 60)}'.`);
    } catch (e) {
      reply = errorReply(ctx, 400, 'BadRequest', `Control request: ${(e as Error).message.slice(0, 120)}`);
    }
    write(res, ctx, reply);
  }

  function serve(req: IncomingMessage, res: ServerResponse, body: string): void {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    if (control && target.startsWith(CONTROL_PREFIX)) {
      const requestId = randomUUID();
      let parsed: URL;
      try {
        parsed = new URL(`${url}${target}`);
      } catch {
        parsed = new URL(`${url}${CONTROL_PREFIX}`);
      }
      const ctx: Context = { method, url: parsed, headers: req.headers, body, requestId, clientRequestId: header(req.headers, 'client-request-id') ?? requestId };
      return serveControl(res, ctx);
    }
    requests.push({ method, path: target, headers: { ...req.headers }, body });
    const requestId = randomUUID();
    let parsed: URL;
    try {
      parsed = new URL(`${url}${target.startsWith('/') ? target : '/'}`);
    } catch {
      parsed = new URL(`${url}/`);
    }
    const ctx: Context = {
      method,
      url: parsed,
      headers: req.headers,
      body,
      requestId,
      clientRequestId: header(req.headers, 'client-request-id') ?? requestId,
    };
    const fault = takeFault(method, target);
    const run = (): void => {
      let reply: Reply;
      try {
        reply = handle(ctx);
      } catch (e) {
        reply = errorReply(ctx, 500, 'UnknownError', `Emulator failure: ${(e as Error).message}`);
      }
      write(res, ctx, reply);
    };
    if (fault === undefined) return run();
    switch (fault.kind) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'status':
        return write(res, ctx, faultReply(ctx, fault.status ?? 503, fault.retryAfter));
      case 'slow': {
        // The work happens after the delay even if the client gave up (a timed-out POST still creates).
        const timer = setTimeout(() => {
          timers.delete(timer);
          run();
        }, fault.delayMs ?? 1000);
        timers.add(timer);
        return;
      }
      case 'createThenFail': {
        try {
          handle(ctx);
        } catch {
          // The client sees only the gateway's answer.
        }
        return write(res, ctx, faultReply(ctx, fault.status ?? 504, fault.retryAfter));
      }
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) {
        const requestId = randomUUID();
        const ctx = { requestId, clientRequestId: header(req.headers, 'client-request-id') ?? requestId };
        const reply = errorReply(ctx, 413, 'Request_EntityTooLarge', 'The request is too large.');
        write(res, { ...ctx, method: req.method ?? 'POST', url: new URL('/', url), headers: req.headers, body: '' }, reply);
        return;
      }
      serve(req, res, Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', () => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;

  return {
    url,
    requests,
    store,
    inject(...items: Fault[]): void {
      for (const fault of items) faults.push({ fault, left: fault.times ?? 1 });
    },
    reset(): void {
      store.clear();
      requests.length = 0;
      faults.length = 0;
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
