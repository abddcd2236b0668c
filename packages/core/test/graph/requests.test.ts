// The request builders (graph/requests.ts, spec/graph-api.md §2): each cloud's /beta root,
// percent-encoded OData query options, JSON bodies.

import { describe, expect, it } from 'vitest';
import { GraphMtlsError } from '../../src/errors.ts';
import { CLOUDS } from '../../src/graph/clouds.ts';
import {
  betaBase,
  COLLECTION_PATH,
  createRequest,
  deleteRequest,
  filterByDisplayName,
  getRequest,
  listRequest,
  nextPageRequest,
  updateRequest,
  type GraphRequest,
} from '../../src/graph/requests.ts';
import { PATH, ID, caught, queryOf } from './fixtures.ts';
import { codeOf as code } from '@graph-mtls/test/helpers.ts';

const GLOBAL = 'https://graph.microsoft.com/beta';
describe('requests', () => {
  it('COLLECTION_PATH always carries /directory', () => {
    expect(COLLECTION_PATH).toBe(PATH);
  });

  it('betaBase appends /beta to a root, dropping trailing slashes', () => {
    expect(betaBase('https://graph.microsoft.com')).toBe(GLOBAL);
    expect(betaBase('https://graph.microsoft.com/')).toBe(GLOBAL);
    expect(betaBase('http://127.0.0.1:8080//')).toBe('http://127.0.0.1:8080/beta');
  });

  describe.each([
    ['global', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['usGov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['usGovDoD', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.partner.microsoftonline.cn'],
  ] as const)('cloud %s', (cloud, graph, authority) => {
    const base = betaBase(CLOUDS[cloud].graph);

    it('has the documented endpoints and scope (spec §2.7)', () => {
      expect(CLOUDS[cloud].graph).toBe(graph);
      expect(CLOUDS[cloud].authority).toBe(authority);
      expect(CLOUDS[cloud].scope).toBe(`${graph}/.default`);
      expect(CLOUDS[cloud].warning === undefined).toBe(cloud === 'global');
      if (cloud !== 'global') expect(CLOUDS[cloud].warning).toBe('mutualTlsOauthConfiguration is documented for the global cloud only; calls to this cloud may fail with 404 or 400.');
      expect(base).toBe(`${graph}/beta`);
    });

    it('builds every URL on the cloud root with the /directory path', () => {
      expect(listRequest(base).url).toBe(`${graph}/beta${PATH}`);
      expect(getRequest(base, ID).url).toBe(`${graph}/beta${PATH}/${ID}`);
      expect(createRequest(base, {}).url).toBe(`${graph}/beta${PATH}`);
      expect(updateRequest(base, ID, {}).url).toBe(`${graph}/beta${PATH}/${ID}`);
      expect(deleteRequest(base, ID).url).toBe(`${graph}/beta${PATH}/${ID}`);
    });
  });

  it('lists the collection with GET and no query by default', () => {
    const r = listRequest(GLOBAL);
    expect(r.method).toBe('GET');
    expect(r.url).toBe(`${GLOBAL}${PATH}`);
    expect(r.body).toBeUndefined();
    expect(r.headers['accept']).toBe('application/json');
    expect(r.headers['content-type']).toBeUndefined();
  });

  it('puts $filter, $select and $top in the query, percent-encoded', () => {
    const r = listRequest(GLOBAL, { filter: "displayName eq 'Contoso devices'", select: ['id', 'displayName'], top: 5 });
    expect(r.url).toBe(`${GLOBAL}${PATH}?$filter=displayName%20eq%20%27Contoso%20devices%27&$select=id,displayName&$top=5`);
    expect(queryOf(r.url)).toEqual({ $filter: "displayName eq 'Contoso devices'", $select: 'id,displayName', $top: '5' });
  });

  it('encodes every character a query value cannot hold', () => {
    const filter = "displayName eq 'a&b=c#d?e+f/g%h Zürich 日本'";
    const r = listRequest(GLOBAL, { filter });
    const raw = r.url.slice(r.url.indexOf('?') + 1);
    expect(raw).toMatch(/^\$filter=[A-Za-z0-9%._~*()!-]+$/);
    expect(raw.slice('$filter='.length)).not.toMatch(/['&#?+/ =]/);
    expect(queryOf(r.url)['$filter']).toBe(filter);
  });

  it('leaves $select out when it is empty', () => {
    expect(listRequest(GLOBAL, { select: [] }).url).toBe(`${GLOBAL}${PATH}`);
  });

  it('filterByDisplayName doubles single quotes (OData string literal)', () => {
    expect(filterByDisplayName('Contoso')).toBe("displayName eq 'Contoso'");
    expect(filterByDisplayName("O'Brien's CA")).toBe("displayName eq 'O''Brien''s CA'");
    expect(filterByDisplayName("''")).toBe("displayName eq ''''''");
    const r = listRequest(GLOBAL, { filter: filterByDisplayName("O'Brien & Co") });
    expect(r.url).toBe(`${GLOBAL}${PATH}?$filter=displayName%20eq%20%27O%27%27Brien%20%26%20Co%27`);
    expect(queryOf(r.url)['$filter']).toBe("displayName eq 'O''Brien & Co'");
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses $top %s with ERR_INVALID_ARGUMENT', (top) => {
    expect(code(() => listRequest(GLOBAL, { top }))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('accepts $top 1', () => {
    expect(queryOf(listRequest(GLOBAL, { top: 1 }).url)).toEqual({ $top: '1' });
  });

  it('nextPageRequest uses the @odata.nextLink exactly as given', () => {
    const link = `${GLOBAL}${PATH}?$skiptoken=RFNwdAIAAQAAAB8%3d&$top=2&$filter=displayName%20eq%20%27x%27`;
    const r = nextPageRequest(link);
    expect(r).toEqual({ method: 'GET', url: link, headers: { accept: 'application/json' } });
    const odd = 'https://graph.microsoft.com/beta/somewhere/else?$skiptoken=a b';
    expect(nextPageRequest(odd).url).toBe(odd);
  });

  it('gets one configuration, with an optional $select', () => {
    const r = getRequest(GLOBAL, ID);
    expect(r).toEqual({ method: 'GET', url: `${GLOBAL}${PATH}/${ID}`, headers: { accept: 'application/json' } });
    expect(getRequest(GLOBAL, ID, ['id', 'certificateAuthorities']).url).toBe(`${GLOBAL}${PATH}/${ID}?$select=id,certificateAuthorities`);
    expect(getRequest(GLOBAL, ID, []).url).toBe(`${GLOBAL}${PATH}/${ID}`);
  });

  it('percent-encodes the id so it stays one path segment', () => {
    expect(getRequest(GLOBAL, '../../users').url).toBe(`${GLOBAL}${PATH}/..%2F..%2Fusers`);
    expect(deleteRequest(GLOBAL, "a'b?c#d").url).toBe(`${GLOBAL}${PATH}/a%27b%3Fc%23d`);
  });

  it('creates with POST and a JSON text body', () => {
    const body = { displayName: 'Contoso', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: 'AAEC', isRootAuthority: true }] };
    const r = createRequest(GLOBAL, body);
    expect(r.method).toBe('POST');
    expect(r.url).toBe(`${GLOBAL}${PATH}`);
    expect(typeof r.body).toBe('string');
    expect(r.body).toBe(JSON.stringify(body));
    expect(JSON.parse(r.body!)).toEqual(body);
    expect(r.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
  });

  it('updates with PATCH and a JSON text body', () => {
    const body = { displayName: null, certificateAuthorities: [] };
    const r = updateRequest(GLOBAL, ID, body);
    expect(r.method).toBe('PATCH');
    expect(r.url).toBe(`${GLOBAL}${PATH}/${ID}`);
    expect(JSON.parse(r.body!)).toEqual(body);
    expect(r.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
  });

  it('deletes with DELETE and no body', () => {
    const r = deleteRequest(GLOBAL, ID);
    expect(r).toEqual({ method: 'DELETE', url: `${GLOBAL}${PATH}/${ID}`, headers: { accept: 'application/json' } });
    expect('body' in r).toBe(false);
  });

  it.each([
    ['get', (id: string) => getRequest(GLOBAL, id)],
    ['update', (id: string) => updateRequest(GLOBAL, id, {})],
    ['delete', (id: string) => deleteRequest(GLOBAL, id)],
  ] as const)('%s refuses an empty or non-string id with ERR_INVALID_ARGUMENT', (_name, build: (id: string) => GraphRequest) => {
    expect(code(() => build(''))).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => build(undefined as unknown as string))).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => build(42 as unknown as string))).toBe('ERR_INVALID_ARGUMENT');
  });
});

const T0 = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));

const NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
describe('requests: details', () => {
  it('a lone surrogate in a query value or an id is ERR_INVALID_ARGUMENT naming it and its position; a pair is encoded', () => {
    const high = caught(() => listRequest(GLOBAL, { filter: "displayName eq '\ud83d'" })) as GraphMtlsError;
    expect(high.code).toBe('ERR_INVALID_ARGUMENT');
    expect(high.message).toBe('URL text: expected well-formed Unicode, received a lone surrogate U+D83D at position 17');
    const low = caught(() => getRequest(GLOBAL, 'a\ude00b')) as GraphMtlsError;
    expect(low.message).toBe('URL text: expected well-formed Unicode, received a lone surrogate U+DE00 at position 2');
    const reversed = caught(() => getRequest(GLOBAL, '\ude00\ud83d')) as GraphMtlsError;
    expect(reversed.message).toContain('U+DE00 at position 1');
    expect(code(() => getRequest(GLOBAL, 'x', ['\ud800']))).toBe('ERR_INVALID_ARGUMENT');
    expect(getRequest(GLOBAL, '\ud83d\ude00').url).toBe(`${GLOBAL}${PATH}/%F0%9F%98%80`);
    expect(listRequest(GLOBAL, { filter: 'a\ud83d\ude00' }).url).toBe(`${GLOBAL}${PATH}?$filter=a%F0%9F%98%80`);
  });

  it('$select values are each encoded and joined by a comma; a $top error names the value', () => {
    expect(listRequest(GLOBAL, { select: ['a b', "c'd"] }).url).toBe(`${GLOBAL}${PATH}?$select=a%20b,c%27d`);
    expect(getRequest(GLOBAL, ID, ['a b', "c'd"]).url).toBe(`${GLOBAL}${PATH}/${ID}?$select=a%20b,c%27d`);
    expect(listRequest(GLOBAL, { top: 2 }).url).toBe(`${GLOBAL}${PATH}?$top=2`);
    expect(listRequest(GLOBAL, { filter: 'x', top: 3 }).url).toBe(`${GLOBAL}${PATH}?$filter=x&$top=3`);
    expect((caught(() => listRequest(GLOBAL, { top: 0 })) as Error).message).toBe('list top: expected a positive integer, received 0');
  });

  it('an id error says what was received', () => {
    expect((caught(() => getRequest(GLOBAL, '')) as Error).message).toBe('configuration id: expected a non-empty string, received an empty one');
    expect((caught(() => getRequest(GLOBAL, 5 as unknown as string)) as Error).message).toBe('configuration id: expected a non-empty string, received number');
  });

  it('a JSON text body is sent as it is, not serialized again', () => {
    expect(createRequest(GLOBAL, '{"a":1}').body).toBe('{"a":1}');
    expect(updateRequest(GLOBAL, ID, '{"b":2}').body).toBe('{"b":2}');
    expect(createRequest(GLOBAL, ['x']).body).toBe('["x"]');
  });
});
