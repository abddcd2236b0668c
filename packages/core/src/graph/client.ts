// The Graph client, transport-free: it builds each request, hands it to an injected `send`
// (the adapter's fetch with token, client-request-id and timeout), follows paging, applies the
// retry policy with an injected `sleep`, and refuses before any round trip what the checks
// reject. The token's origin is fixed when the client is made: a URL a response hands back on
// another origin is never requested. A create whose outcome is unknown is looked up by
// displayName and never re-sent, and changes are read back (with retries), so the client
// never duplicates nor loses, and says "applied, not confirmed" rather than "failed".

import type { Finding } from '../checks/finding.ts';
import { parseJsonOrUndefined } from '../encoding/json.ts';
import { decodeUtf8 } from '../encoding/utf8.ts';
import { GraphError, GraphMtlsError } from '../errors.ts';
import { checkPayload, type PayloadKind } from '../payload/check.ts';
import { CLOUDS, type Cloud } from './clouds.ts';
import { buildUpdate, type BuildOptions, type CertificateAuthorityInput, type CreatePayload, type UpdatePayload } from '../payload/build.ts';
import {
  betaBase,
  createRequest,
  deleteRequest,
  filterByDisplayName,
  getRequest,
  listRequest,
  nextPageRequest,
  updateRequest,
  type GraphRequest,
  type ListQuery,
} from './requests.ts';
import { GraphApiError, readCollection, readDelete, readEntity, readUpdate, type GraphResponse, type MutualTlsOauthConfiguration, type Operation } from './responses.ts';
import { checkBaseUrl, formatOrigin, parseOrigin, sameOrigin } from './origin.ts';
import { decideRetry, resolvePolicy, retryDelay, type RetryPolicy } from './retry.ts';

/** What the client runs on, injected: one request at a time, waits, the clock and the jitter source. */
export interface ClientEnvironment {
  /** Runs one request; throws a GraphError ERR_GRAPH_TRANSPORT on a network failure or timeout. */
  send(request: GraphRequest): Promise<GraphResponse>;
  sleep(ms: number): Promise<void>;
  now(): Date;
  /** A number in [0, 1) for backoff jitter. */
  random(): number;
}

/** The cloud or base URL, the retry policy, preflight checks, and where warnings go. */
export interface ClientOptions {
  readonly cloud?: Cloud;
  /** Graph's root (without /beta), e.g. the emulator's URL; overrides the cloud's. */
  readonly baseUrl?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** Check create and update bodies before sending (default true); findings with errors are not sent. */
  readonly preflight?: boolean;
  /** Told what the client noticed but did not fail on (a cloud without the API, retries). */
  readonly onWarning?: (message: string) => void;
}

/** ClientOptions as the fetch adapters take them: plus a per-request timeout. */
export interface FetchClientOptions extends ClientOptions {
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
}

/** A request our checks reject: not sent; carries the findings and the 400 Graph would answer. */
export class GraphPreflightError extends GraphError {
  override readonly name: string = 'GraphPreflightError';
  declare readonly code: 'ERR_GRAPH_PREFLIGHT';
  readonly findings: readonly Finding[];
  readonly graphError: Finding['graphError'];
  constructor(kind: PayloadKind, findings: readonly Finding[]) {
    const errors = findings.filter((f) => f.severity === 'error');
    super('ERR_GRAPH_PREFLIGHT', kind, `Graph ${kind}: expected a body Graph accepts, received one with ${errors.length} error finding${errors.length === 1 ? '' : 's'} (${errors.map((f) => f.code).slice(0, 5).join(', ')}); not sent`);
    this.findings = findings;
    // Stryker disable next-line OptionalChaining,ConditionalExpression: every error finding of a payload check carries Graph's body, and there is at least one error
    this.graphError = errors.find((f) => f.graphError !== undefined)?.graphError;
  }
}

/**
 * A change Graph accepted (its PATCH succeeded) whose result could not be read back: applied,
 * not confirmed. Not a failure: repeating the same change is harmless, and `get` shows the result.
 */
export class GraphUnconfirmedError extends GraphError {
  override readonly name: string = 'GraphUnconfirmedError';
  declare readonly code: 'ERR_GRAPH_UNCONFIRMED';
  /** Always true: Graph answered the change with success. */
  readonly applied: true = true;
  readonly id: string;
  constructor(id: string, attempts: number, cause: unknown) {
    super('ERR_GRAPH_UNCONFIRMED', 'update', `Graph update: applied, not confirmed: the change to ${id} succeeded, but reading it back failed ${attempts} time${attempts === 1 ? '' : 's'} (${cause instanceof Error ? cause.message : String(cause)}); look at it with a get before changing it again`, { cause });
    this.id = id;
  }
}

/** A CA change as Graph holds it afterwards: the configuration, whether it changed, and how. */
export interface CaChangeResult {
  readonly configuration: MutualTlsOauthConfiguration;
  readonly changed: boolean;
  readonly added: number;
  readonly removed: number;
  readonly notFound: readonly string[];
}

/** The operations on mutualTlsOauthConfiguration, each checked, retried and confirmed as createGraphClient says. */
export interface GraphClient {
  readonly baseUrl: string;
  list(query?: ListQuery): Promise<MutualTlsOauthConfiguration[]>;
  get(id: string): Promise<MutualTlsOauthConfiguration>;
  /** The body as the payload object, or as its JSON text (string or UTF-8 bytes). */
  create(body: CreatePayload | string | Uint8Array): Promise<MutualTlsOauthConfiguration>;
  update(id: string, body: UpdatePayload | string | Uint8Array): Promise<MutualTlsOauthConfiguration>;
  addCertificateAuthorities(id: string, cas: readonly CertificateAuthorityInput[], options?: Partial<BuildOptions>): Promise<CaChangeResult>;
  removeCertificateAuthorities(id: string, keys: readonly string[], options?: Partial<BuildOptions>): Promise<CaChangeResult>;
  delete(id: string): Promise<void>;
}

const MAX_PAGES = 1000;

/** Looks up the object a create of unknown outcome made: it, undefined when not found yet. */
type Lookup = () => Promise<MutualTlsOauthConfiguration | undefined>;
/** A create of unknown outcome that the lookup found. */
interface Confirmed {
  readonly confirmed: MutualTlsOauthConfiguration;
}

/**
 * A client for mutualTlsOauthConfiguration over the environment's `send` (the adapters give
 * it fetch and a token): paging, retries as the policy says, preflight checks before a body is
 * sent, in-doubt creates looked up instead of sent again, and the token only to Graph's origin.
 * @example
 * const client = createGraphClient(env, { baseUrl: 'https://graph.microsoft.com' });
 * const configurations = await client.list();
 */
export function createGraphClient(env: ClientEnvironment, options: ClientOptions = {}): GraphClient {
  const cloud = CLOUDS[options.cloud ?? 'global'];
  if (options.baseUrl === undefined && cloud.warning !== undefined) options.onWarning?.(cloud.warning);
  const root = options.baseUrl ?? cloud.graph;
  // The token goes to this origin and no other.
  const origin = checkBaseUrl(root);
  const base = betaBase(root);
  const policy = resolvePolicy(options.retry);
  const preflight = options.preflight ?? true;

  /** One request, sent only when its URL is on Graph's origin (a nextLink could point anywhere). */
  async function send(operation: Operation, request: GraphRequest): Promise<GraphResponse> {
    const target = parseOrigin(request.url);
    if (typeof target === 'string' || !sameOrigin(target, origin)) {
      const where = typeof target === 'string' ? `a URL Graph's origin cannot be told from (${target})` : `a URL on ${formatOrigin(target)}`;
      throw new GraphError('ERR_GRAPH_UNTRUSTED_URL', operation, `Graph ${operation}: expected a URL on ${formatOrigin(origin)}, received ${where}; not requested, so the token was not sent there`);
    }
    return env.send(request);
  }

  /**
   * One logical call: attempts until done, retried as the policy says. A create whose outcome
   * is unknown is handed to `verify` (the lookup), never sent again.
   */
  function call(operation: Operation, request: GraphRequest): Promise<GraphResponse>;
  function call(operation: Operation, request: GraphRequest, verify: Lookup): Promise<GraphResponse | Confirmed>;
  async function call(operation: Operation, request: GraphRequest, verify?: Lookup): Promise<GraphResponse | Confirmed> {
    const started = env.now().getTime();
    let uncertain = false;
    for (let attempts = 1; ; attempts++) {
      let response: GraphResponse | undefined;
      let failure: GraphMtlsError | undefined;
      try {
        response = await send(operation, request);
      } catch (error) {
        if (!(error instanceof GraphMtlsError) || error.code !== 'ERR_GRAPH_TRANSPORT') throw error;
        failure = error;
      }
      const decision = decideRetry(
        { request, attempts, elapsedMs: env.now().getTime() - started, now: env.now(), random: env.random(), ...(response === undefined ? {} : { status: response.status, headers: response.headers }) },
        policy,
      );
      // A DELETE that failed in transit may have happened: its retry's 404 means it did.
      // Stryker disable next-line OptionalChaining,StringLiteral: a 404 is never retried (done, with a response), and readDelete reads no body
      if (decision.action === 'done' && operation === 'delete' && uncertain && response?.status === 404) return { status: 204, headers: response.headers, body: '' };
      if (decision.action === 'done') return response!;
      uncertain = true;
      // Stryker disable next-line ConditionalExpression: only a POST is verified, and only create sends one, with a lookup
      if (decision.action === 'verify' && verify !== undefined) {
        return { confirmed: await confirm(operation, response === undefined ? failure!.message : `HTTP ${response.status}`, verify, decision.delayMs) };
      }
      if (decision.action !== 'retry') {
        if (response !== undefined) throw new GraphApiError(operation, response);
        // Stryker disable next-line ConditionalExpression,StringLiteral: only a give-up reaches this line (a retry goes on, done and verify return)
        throw new GraphError('ERR_GRAPH_TRANSPORT', operation, `Graph ${operation}: ${decision.action === 'give-up' ? decision.reason : 'a network failure'}`, { cause: failure });
      }
      options.onWarning?.(`Graph ${operation}: ${response === undefined ? 'network failure' : `HTTP ${response.status}`}; retrying in ${decision.delayMs} ms`);
      await env.sleep(decision.delayMs);
    }
  }

  /**
   * A create whose outcome is unknown is never sent again: it is looked up, after each wait
   * the retry policy allows (a budget of its own: the create's may be spent), and when no
   * lookup can tell, the caller is told not to retry blindly.
   */
  async function confirm(operation: Operation, what: string, verify: Lookup, firstDelayMs: number): Promise<MutualTlsOauthConfiguration> {
    const started = env.now().getTime();
    // At least one lookup, however long Retry-After asked to wait.
    let delayMs = Math.min(firstDelayMs, policy.maxTotalMs);
    let lastFailure: unknown;
    let lookups = 0;
    while (lookups < Math.max(1, policy.maxRetries) && env.now().getTime() - started + delayMs <= policy.maxTotalMs) {
      lookups++;
      options.onWarning?.(`Graph ${operation}: ${what}; the outcome is unknown, so looking the object up in ${delayMs} ms instead of sending it again`);
      await env.sleep(delayMs);
      try {
        const found = await verify();
        if (found !== undefined) return found;
        lastFailure = undefined;
      } catch (error) {
        // Duplicates found, or nothing to look up by: the lookup has decided; say so as it is.
        if (error instanceof GraphMtlsError && (error.code === 'ERR_GRAPH_CONFLICT' || error.code === 'ERR_GRAPH_OUTCOME_UNKNOWN')) throw error;
        lastFailure = error;
      }
      delayMs = retryDelay({ attempts: lookups + 1, now: env.now(), random: env.random() }, policy);
    }
    const outcome = lastFailure === undefined ? `${lookups} lookup${lookups === 1 ? '' : 's'} found nothing` : `the last of ${lookups} lookup${lookups === 1 ? '' : 's'} failed: ${lastFailure instanceof Error ? lastFailure.message : String(lastFailure)}`;
    throw new GraphError('ERR_GRAPH_OUTCOME_UNKNOWN', operation, `Graph ${operation}: the outcome is unknown (${what}) and ${outcome}. It was not sent again, so this call made no duplicate; do not retry blindly: look at the tenant first (graph-mtls list), or re-run graph-mtls apply, which looks the configuration up before creating`, {
      cause: lastFailure,
    });
  }

  /**
   * The configuration as Graph holds it after a change that succeeded. GET is safe to repeat,
   * so any 5xx or network failure is retried; when it still cannot be read the change stands,
   * and the caller is told "applied, not confirmed".
   */
  async function readBack(id: string): Promise<MutualTlsOauthConfiguration> {
    const request = getRequest(base, id);
    const started = env.now().getTime();
    for (let attempts = 1; ; attempts++) {
      let response: GraphResponse | undefined;
      let failure: GraphMtlsError;
      try {
        response = await send('get', request);
        if (response.status < 500 && response.status !== 429) return readEntity('get', response);
        failure = new GraphApiError('get', response);
      } catch (error) {
        if (!(error instanceof GraphMtlsError) || error.code !== 'ERR_GRAPH_TRANSPORT') throw error;
        failure = error;
      }
      const delayMs = retryDelay({ attempts, now: env.now(), random: env.random(), ...(response === undefined ? {} : { headers: response.headers }) }, policy);
      if (attempts > policy.maxRetries || env.now().getTime() - started + delayMs > policy.maxTotalMs) throw new GraphUnconfirmedError(id, attempts, failure);
      options.onWarning?.(`Graph get: reading back ${id} after the change: ${failure.message}; retrying in ${delayMs} ms`);
      await env.sleep(delayMs);
    }
  }

  async function list(query: ListQuery = {}): Promise<MutualTlsOauthConfiguration[]> {
    const out: MutualTlsOauthConfiguration[] = [];
    let request: GraphRequest | undefined = listRequest(base, query);
    for (let page = 0; request !== undefined; page++) {
      if (page >= MAX_PAGES) throw new GraphError('ERR_GRAPH_PAGE_LIMIT', 'list', `Graph list: expected at most ${MAX_PAGES} pages, received more`);
      const { value, nextLink } = readCollection(await call('list', request));
      for (const item of value) out.push(item); // a page of any size: no spread into call arguments
      request = nextLink === undefined ? undefined : nextPageRequest(nextLink);
    }
    return out;
  }

  async function get(id: string): Promise<MutualTlsOauthConfiguration> {
    return readEntity('get', await call('get', getRequest(base, id)));
  }

  function check(body: unknown, kind: PayloadKind): void {
    if (!preflight) return;
    const findings = checkPayload(body, kind, { now: env.now() });
    if (findings.some((f) => f.severity === 'error')) throw new GraphPreflightError(kind, findings);
  }

  async function create(input: CreatePayload | string | Uint8Array): Promise<MutualTlsOauthConfiguration> {
    const body = asBody(input);
    check(body, 'create');
    const wanted = (typeof body === 'string' ? parseJsonOrUndefined(body) : body) as { displayName?: unknown; tlsClientAuthParameter?: unknown; certificateAuthorities?: readonly { certificate?: unknown }[] };
    const verify: Lookup = async () => {
      if (typeof wanted?.displayName !== 'string') {
        throw new GraphError('ERR_GRAPH_OUTCOME_UNKNOWN', 'create', 'Graph create: the outcome is unknown and, without a displayName, the configuration cannot be looked up; it was not sent again, so this call made no duplicate; do not retry blindly: look at the tenant first (graph-mtls list)');
      }
      const same = (await list({ filter: filterByDisplayName(wanted.displayName) })).filter((c) => sameConfiguration(c, wanted));
      if (same.length > 1) throw new GraphError('ERR_GRAPH_CONFLICT', 'create', `Graph create: ${same.length} configurations named '${wanted.displayName.slice(0, 80)}' match; resolve the duplicates by hand`);
      return same[0];
    };
    const result = await call('create', createRequest(base, body), verify);
    return 'confirmed' in result ? result.confirmed : readEntity('create', result);
  }

  async function update(id: string, input: UpdatePayload | string | Uint8Array): Promise<MutualTlsOauthConfiguration> {
    const body = asBody(input);
    check(body, 'update');
    const updated = readUpdate(await call('update', updateRequest(base, id, body)));
    return updated ?? readBack(id);
  }

  async function changeCas(id: string, changes: Parameters<typeof buildUpdate>[1], options: Partial<BuildOptions>): Promise<CaChangeResult> {
    const current = await get(id);
    const result = buildUpdate(current, changes, { now: env.now(), ...options });
    if (preflight && result.findings.some((f) => f.severity === 'error')) throw new GraphPreflightError('update', result.findings);
    if (!result.changed) return { configuration: current, changed: false, added: 0, removed: 0, notFound: result.notFound };
    readUpdate(await call('update', updateRequest(base, id, result.body)));
    // Read back: every CA we sent must be there, and no other (a concurrent writer would show here).
    const after = await readBack(id);
    // Stryker disable next-line ArrayDeclaration: a changed CA list is always in the body
    const sent = new Set((result.body.certificateAuthorities ?? []).map((c) => c.certificate));
    const got = new Set(after.certificateAuthorities.map((c) => c.certificate));
    const lost = [...sent].filter((c) => !got.has(c)).length;
    const extra = [...got].filter((c) => !sent.has(c)).length;
    if (lost > 0 || extra > 0) {
      throw new GraphError('ERR_GRAPH_CONFLICT', 'update', `Graph update: read back ${lost} CA(s) missing and ${extra} unexpected after the change; another writer changed the configuration concurrently, so look at it and retry`);
    }
    return { configuration: after, changed: true, added: result.added.length, removed: result.removed.length, notFound: result.notFound };
  }

  return {
    baseUrl: base,
    list,
    get,
    create,
    update,
    addCertificateAuthorities: (id, cas, o = {}) => changeCas(id, { add: cas }, o),
    removeCertificateAuthorities: (id, keys, o = {}) => changeCas(id, { remove: keys }, o),
    async delete(id) {
      readDelete(await call('delete', deleteRequest(base, id)));
    },
  };
}

/** JSON text or UTF-8 bytes are sent as text, anything else serialized. */
function asBody(input: CreatePayload | UpdatePayload | string | Uint8Array): CreatePayload | UpdatePayload | string {
  // Stryker disable next-line StringLiteral: bytes that are not UTF-8 are refused by the preflight as invalid JSON either way
  return input instanceof Uint8Array ? decodeUtf8(input) ?? '' : input;
}

/** Same parameter and the same CA certificates: the object a create we could not confirm made. */
function sameConfiguration(found: MutualTlsOauthConfiguration, wanted: { tlsClientAuthParameter?: unknown; certificateAuthorities?: readonly { certificate?: unknown }[] } | undefined): boolean {
  if (wanted === undefined || found.tlsClientAuthParameter !== wanted.tlsClientAuthParameter) return false;
  const a = found.certificateAuthorities.map((c) => c.certificate).sort();
  const b = (wanted.certificateAuthorities ?? []).map((c) => c.certificate).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
