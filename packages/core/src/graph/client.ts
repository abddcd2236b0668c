// The Graph client, transport-free: it builds each request, hands it to an injected `send`
// (the adapter's fetch with token, client-request-id and timeout), follows paging, applies the
// retry policy with an injected `sleep`, and refuses before any round trip what the checks
// reject. A create whose outcome is unknown is looked up by displayName before anything is
// re-sent, and CA list changes are read back, so the client never duplicates nor loses.

import type { Finding } from '../checks/finding.ts';
import { decodeUtf8 } from '../encoding/utf8.ts';
import { GraphMtlsError } from '../errors.ts';
import { checkPayload, type PayloadKind } from './check-payload.ts';
import { CLOUDS, type Cloud } from './clouds.ts';
import { buildUpdate, type BuildOptions, type CertificateAuthorityInput } from './payload.ts';
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
import { decideRetry, resolvePolicy, type RetryPolicy } from './retry.ts';

export interface ClientEnvironment {
  /** Runs one request; throws GraphMtlsError('ERR_GRAPH_TRANSPORT') on a network failure or timeout. */
  send(request: GraphRequest): Promise<GraphResponse>;
  sleep(ms: number): Promise<void>;
  now(): Date;
  /** A number in [0, 1) for backoff jitter. */
  random(): number;
}

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

/** A request our checks reject: not sent; carries the findings and the 400 Graph would answer. */
export class GraphPreflightError extends GraphMtlsError {
  override readonly name: string = 'GraphPreflightError';
  readonly findings: readonly Finding[];
  readonly graphError: Finding['graphError'];
  constructor(kind: PayloadKind, findings: readonly Finding[]) {
    const errors = findings.filter((f) => f.severity === 'error');
    super('ERR_GRAPH_PREFLIGHT', `Graph ${kind}: expected a body Graph accepts, received one with ${errors.length} error finding${errors.length === 1 ? '' : 's'} (${errors.map((f) => f.code).slice(0, 5).join(', ')}); not sent`);
    this.findings = findings;
    this.graphError = errors.find((f) => f.graphError !== undefined)?.graphError;
  }
}

export interface CaChangeResult {
  readonly configuration: MutualTlsOauthConfiguration;
  readonly changed: boolean;
  readonly added: number;
  readonly removed: number;
  readonly notFound: readonly string[];
}

export interface GraphClient {
  readonly baseUrl: string;
  list(query?: ListQuery): Promise<MutualTlsOauthConfiguration[]>;
  get(id: string): Promise<MutualTlsOauthConfiguration>;
  create(body: unknown): Promise<MutualTlsOauthConfiguration>;
  update(id: string, body: unknown): Promise<MutualTlsOauthConfiguration>;
  addCertificateAuthorities(id: string, cas: readonly CertificateAuthorityInput[], options?: Partial<BuildOptions>): Promise<CaChangeResult>;
  removeCertificateAuthorities(id: string, keys: readonly string[], options?: Partial<BuildOptions>): Promise<CaChangeResult>;
  delete(id: string): Promise<void>;
}

const MAX_PAGES = 1000;

export function createGraphClient(env: ClientEnvironment, options: ClientOptions = {}): GraphClient {
  const cloud = CLOUDS[options.cloud ?? 'global'];
  if (options.baseUrl === undefined && cloud.warning !== undefined) options.onWarning?.(cloud.warning);
  const base = betaBase(options.baseUrl ?? cloud.graph);
  const policy = resolvePolicy(options.retry);
  const preflight = options.preflight ?? true;

  /** One logical call: attempts until done, retried as the policy says. `verify` answers an uncertain create. */
  async function call(operation: Operation, request: GraphRequest, verify?: () => Promise<MutualTlsOauthConfiguration | undefined>): Promise<GraphResponse | MutualTlsOauthConfiguration> {
    const started = env.now().getTime();
    let uncertain = false;
    for (let attempts = 1; ; attempts++) {
      let response: GraphResponse | undefined;
      let failure: GraphMtlsError | undefined;
      try {
        response = await env.send(request);
      } catch (error) {
        if (!(error instanceof GraphMtlsError) || error.code !== 'ERR_GRAPH_TRANSPORT') throw error;
        failure = error;
      }
      const decision = decideRetry(
        { request, attempts, elapsedMs: env.now().getTime() - started, now: env.now(), random: env.random(), ...(response === undefined ? {} : { status: response.status, headers: response.headers }) },
        policy,
      );
      // A DELETE that failed in transit may have happened: its retry's 404 means it did.
      if (decision.action === 'done' && operation === 'delete' && uncertain && response?.status === 404) return { status: 204, headers: response.headers, body: '' };
      if (decision.action === 'done') return response!;
      uncertain = true;
      if (decision.action === 'give-up') {
        // An unconfirmed create may still have happened: look once more before failing.
        const found = request.method === 'POST' && response?.status !== 429 && verify !== undefined ? await verify() : undefined;
        if (found !== undefined) return found;
        if (response !== undefined) throw new GraphApiError(operation, response);
        throw new GraphMtlsError('ERR_GRAPH_TRANSPORT', `Graph ${operation}: ${decision.reason}`, { cause: failure });
      }
      if (decision.action === 'verify' && verify !== undefined) {
        return confirm(operation, response === undefined ? 'network failure' : `HTTP ${response.status}`, verify, decision.delayMs, attempts, started);
      }
      options.onWarning?.(`Graph ${operation}: ${response === undefined ? 'network failure' : `HTTP ${response.status}`}; retrying in ${decision.delayMs} ms`);
      await env.sleep(decision.delayMs);
    }
  }

  /**
   * A create whose outcome is unknown is never sent again: it is looked up, after each wait
   * the retry policy allows, and when it never shows up the caller is told so.
   */
  async function confirm(operation: Operation, what: string, verify: () => Promise<MutualTlsOauthConfiguration | undefined>, firstDelayMs: number, attempts: number, started: number): Promise<MutualTlsOauthConfiguration> {
    let delayMs = firstDelayMs;
    for (let lookups = 1; ; lookups++) {
      options.onWarning?.(`Graph ${operation}: ${what}; the outcome is unknown, so looking the object up in ${delayMs} ms instead of sending it again`);
      await env.sleep(delayMs);
      const found = await verify();
      if (found !== undefined) return found;
      const next = decideRetry({ request: { method: 'GET' }, attempts: attempts + lookups, elapsedMs: env.now().getTime() - started, now: env.now(), random: env.random() }, policy);
      if (next.action !== 'retry') {
        throw new GraphMtlsError('ERR_GRAPH_OUTCOME_UNKNOWN', `Graph ${operation}: expected to find the object the unconfirmed request may have made, received nothing after ${lookups} lookup${lookups === 1 ? '' : 's'}; it was not sent again, so no duplicate was made: check the tenant, then retry (graph-mtls apply is safe to re-run)`);
      }
      delayMs = next.delayMs;
    }
  }

  async function list(query: ListQuery = {}): Promise<MutualTlsOauthConfiguration[]> {
    const out: MutualTlsOauthConfiguration[] = [];
    let request: GraphRequest | undefined = listRequest(base, query);
    for (let page = 0; request !== undefined; page++) {
      if (page >= MAX_PAGES) throw new GraphMtlsError('ERR_GRAPH_TRANSPORT', `Graph list: expected at most ${MAX_PAGES} pages, received more`);
      const { value, nextLink } = readCollection((await call('list', request)) as GraphResponse);
      for (const item of value) out.push(item); // a page of any size: no spread into call arguments
      request = nextLink === undefined ? undefined : nextPageRequest(nextLink);
    }
    return out;
  }

  async function get(id: string): Promise<MutualTlsOauthConfiguration> {
    return readEntity('get', (await call('get', getRequest(base, id))) as GraphResponse);
  }

  function check(body: unknown, kind: PayloadKind): void {
    if (!preflight) return;
    const findings = checkPayload(body, kind, { now: env.now() });
    if (findings.some((f) => f.severity === 'error')) throw new GraphPreflightError(kind, findings);
  }

  async function create(input: unknown): Promise<MutualTlsOauthConfiguration> {
    const body = asBody(input);
    check(body, 'create');
    const wanted = (typeof body === 'string' ? parsed(body) : body) as { displayName?: unknown; tlsClientAuthParameter?: unknown; certificateAuthorities?: readonly { certificate?: unknown }[] };
    const verify = async (): Promise<MutualTlsOauthConfiguration | undefined> => {
      if (typeof wanted?.displayName !== 'string') {
        throw new GraphMtlsError('ERR_GRAPH_CONFLICT', 'Graph create: the outcome is unknown and, without a displayName to look it up by, a retry could make a duplicate; check the tenant, then retry');
      }
      const same = (await list({ filter: filterByDisplayName(wanted.displayName) })).filter((c) => sameConfiguration(c, wanted));
      if (same.length > 1) throw new GraphMtlsError('ERR_GRAPH_CONFLICT', `Graph create: ${same.length} configurations named '${wanted.displayName.slice(0, 80)}' match; resolve the duplicates by hand`);
      return same[0];
    };
    const result = await call('create', createRequest(base, body), verify);
    return 'status' in result ? readEntity('create', result as GraphResponse) : result;
  }

  async function update(id: string, input: unknown): Promise<MutualTlsOauthConfiguration> {
    const body = asBody(input);
    check(body, 'update');
    const updated = readUpdate((await call('update', updateRequest(base, id, body))) as GraphResponse);
    return updated ?? get(id);
  }

  async function changeCas(id: string, changes: Parameters<typeof buildUpdate>[1], options: Partial<BuildOptions>): Promise<CaChangeResult> {
    const current = await get(id);
    const result = buildUpdate(current, changes, { now: env.now(), ...options });
    if (preflight && result.findings.some((f) => f.severity === 'error')) throw new GraphPreflightError('update', result.findings);
    if (!result.changed) return { configuration: current, changed: false, added: 0, removed: 0, notFound: result.notFound };
    await call('update', updateRequest(base, id, result.body)).then((r) => readUpdate(r as GraphResponse));
    // Read back: every CA we sent must be there, and no other (a concurrent writer would show here).
    const after = await get(id);
    const sent = new Set((result.body.certificateAuthorities ?? []).map((c) => c.certificate));
    const got = new Set(after.certificateAuthorities.map((c) => c.certificate));
    const lost = [...sent].filter((c) => !got.has(c)).length;
    const extra = [...got].filter((c) => !sent.has(c)).length;
    if (lost > 0 || extra > 0) {
      throw new GraphMtlsError('ERR_GRAPH_CONFLICT', `Graph update: read back ${lost} CA(s) missing and ${extra} unexpected after the change; another writer changed the configuration concurrently, so look at it and retry`);
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
      readDelete((await call('delete', deleteRequest(base, id))) as GraphResponse);
    },
  };
}

/** JSON text or UTF-8 bytes are sent as text, anything else serialized. */
function asBody(input: unknown): unknown {
  return input instanceof Uint8Array ? decodeUtf8(input) ?? '' : input;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Same parameter and the same CA certificates: the object a create we could not confirm made. */
function sameConfiguration(found: MutualTlsOauthConfiguration, wanted: { tlsClientAuthParameter?: unknown; certificateAuthorities?: readonly { certificate?: unknown }[] } | undefined): boolean {
  if (wanted === undefined || found.tlsClientAuthParameter !== wanted.tlsClientAuthParameter) return false;
  const a = found.certificateAuthorities.map((c) => c.certificate).sort();
  const b = (wanted.certificateAuthorities ?? []).map((c) => c.certificate).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
