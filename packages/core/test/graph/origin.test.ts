// Tests of graph/origin.ts: the origin (scheme, host, port; RFC 6454 §4) of a URL parsed
// strictly by hand, the base-URL check that fixes where the token may go (https, or http to a
// loopback host; no credentials, query or fragment), and the helpers that compare and show
// origins. Each refusal is pinned by its reason, since the client quotes it.

import { describe, expect, it } from 'vitest';
import { checkBaseUrl, formatOrigin, isLoopback, parseOrigin, sameOrigin, type Origin } from '../../src/graph/origin.ts';
import { errorOf } from '@graph-mtls/test/helpers.ts';

const WHITESPACE = 'it holds whitespace, a backslash or a non-ASCII character';
const NOT_ABSOLUTE = 'it is not an absolute URL (scheme://host/path)';
const CREDENTIALS = 'it holds credentials (user:password@)';
const BAD_HOST = 'its host is not a plain host name, a dotted-decimal IPv4 address or a bracketed IPv6 address';
const BAD_PORT = 'its port is not a number from 1 to 65535';
const EXPECTED = 'Graph base URL: expected https://host[:port][/path] (http:// only for a loopback host such as 127.0.0.1)';

describe('parseOrigin: accepted URLs', () => {
  it.each<[string, Origin]>([
    ['https://graph.microsoft.com', { scheme: 'https', host: 'graph.microsoft.com', port: 443 }],
    ['https://graph.microsoft.com/', { scheme: 'https', host: 'graph.microsoft.com', port: 443 }],
    ['https://graph.microsoft.com/beta/x?$top=1&$skiptoken=a#frag', { scheme: 'https', host: 'graph.microsoft.com', port: 443 }],
    ['HTTPS://Graph.Microsoft.COM:443/beta', { scheme: 'https', host: 'graph.microsoft.com', port: 443 }],
    ['https://graph.microsoft.com:', { scheme: 'https', host: 'graph.microsoft.com', port: 443 }],
    ['http://example.test', { scheme: 'http', host: 'example.test', port: 80 }],
    ['Http://example.test:', { scheme: 'http', host: 'example.test', port: 80 }],
    ['https://example.test:8443/x', { scheme: 'https', host: 'example.test', port: 8443 }],
    ['http://127.0.0.1:4010/beta', { scheme: 'http', host: '127.0.0.1', port: 4010 }],
    ['https://a:1', { scheme: 'https', host: 'a', port: 1 }],
    ['https://a:65535', { scheme: 'https', host: 'a', port: 65535 }],
    ['https://a:00080', { scheme: 'https', host: 'a', port: 80 }],
    ['https://x-1.a-b.c9', { scheme: 'https', host: 'x-1.a-b.c9', port: 443 }],
    ['http://[::1]:8080/', { scheme: 'http', host: '[::1]', port: 8080 }],
    ['https://[2001:DB8::1]', { scheme: 'https', host: '[2001:db8::1]', port: 443 }],
    ['https://[::ffff:1.2.3.4]:9', { scheme: 'https', host: '[::ffff:1.2.3.4]', port: 9 }],
    ['https://graph.microsoft.com?x', { scheme: 'https', host: 'graph.microsoft.com', port: 443 }],
    ['https://graph.microsoft.com#x', { scheme: 'https', host: 'graph.microsoft.com', port: 443 }],
  ])('%s', (url, origin) => {
    expect(parseOrigin(url)).toEqual(origin);
  });
});

describe('parseOrigin: refused URLs, with the reason', () => {
  it.each([
    ['https://graph microsoft.com', WHITESPACE],
    ['https://graph.microsoft.com/\tx', WHITESPACE],
    ['https://graph.microsoft.com/x\n', WHITESPACE],
    ['\u0000https://graph.microsoft.com', WHITESPACE],
    ['https://graph.microsoft.com/\u001f', WHITESPACE],
    ['https://graph.microsoft.com/\u007f', WHITESPACE],
    ['https://gräph.microsoft.com', WHITESPACE],
    ['https://graph.microsoft.com/\uffff', WHITESPACE],
    ['https://evil.example\\@graph.microsoft.com/', WHITESPACE],
    ['https:\\\\evil.example', WHITESPACE],
    ['graph.microsoft.com', NOT_ABSOLUTE],
    ['/beta/x', NOT_ABSOLUTE],
    ['//graph.microsoft.com/beta', NOT_ABSOLUTE],
    ['https:/graph.microsoft.com', NOT_ABSOLUTE],
    ['https:graph.microsoft.com', NOT_ABSOLUTE],
    ['1https://graph.microsoft.com', NOT_ABSOLUTE],
    ['x https://graph.microsoft.com', WHITESPACE],
    ['', NOT_ABSOLUTE],
    ['ftp://graph.microsoft.com', 'its scheme is ftp:, not https:'],
    ['FILE:///etc/passwd', 'its scheme is file:, not https:'],
    ['https+x://graph.microsoft.com', 'its scheme is https+x:, not https:'],
    ['wss://graph.microsoft.com', 'its scheme is wss:, not https:'],
    ['https://user@graph.microsoft.com', CREDENTIALS],
    ['https://user:pw@graph.microsoft.com/', CREDENTIALS],
    ['https://graph.microsoft.com@evil.example/', CREDENTIALS],
    ['https:///beta', BAD_HOST],
    ['https://:443/', BAD_HOST],
    ['https://-graph.microsoft.com', BAD_HOST],
    ['https://graph-.microsoft.com', BAD_HOST],
    ['https://graph..microsoft.com', BAD_HOST],
    ['https://graph.microsoft.com.', BAD_HOST],
    ['https://.graph.microsoft.com', BAD_HOST],
    ['https://gr_aph.microsoft.com', BAD_HOST],
    ['https://graph%2emicrosoft.com', BAD_HOST],
    ['https://[::1', BAD_HOST],
    ['https://[]', BAD_HOST],
    ['https://[::g]', BAD_HOST],
    ['https://[::1]x', BAD_HOST],
    ['https://x[::1]', BAD_HOST],
    ['https://a:b:1', BAD_HOST],
    ['https://a:1x', BAD_HOST],
    ['https://a:-1', BAD_HOST],
    ['https://a:0', BAD_PORT],
    ['https://a:65536', BAD_PORT],
    ['https://a:99999999999999999999', BAD_PORT],
  ])('%j: %s', (url, reason) => {
    expect(parseOrigin(url)).toBe(reason);
  });

  it('the first character class covers exactly what a WHATWG parser strips or rewrites', () => {
    for (let c = 0; c < 0x80; c++) {
      const ch = String.fromCharCode(c);
      const refused = parseOrigin(`https://a.test/${ch}`) === WHITESPACE;
      expect(refused, `U+${c.toString(16)}`).toBe(c < 0x21 || c === 0x5c || c === 0x7f);
    }
    expect(parseOrigin('https://a.test/\u0080')).toBe(WHITESPACE);
  });
});

describe('sameOrigin and formatOrigin', () => {
  const base: Origin = { scheme: 'https', host: 'graph.microsoft.com', port: 443 };

  it('the same scheme, host and port: same origin; any one different: not', () => {
    expect(sameOrigin(base, { ...base })).toBe(true);
    expect(sameOrigin(base, { ...base, scheme: 'http' })).toBe(false);
    expect(sameOrigin(base, { ...base, host: 'graph.microsoft.us' })).toBe(false);
    expect(sameOrigin(base, { ...base, port: 8443 })).toBe(false);
    expect(sameOrigin(parseOrigin('HTTPS://GRAPH.microsoft.com:443/a') as Origin, parseOrigin('https://graph.microsoft.com/b?c') as Origin)).toBe(true);
  });

  it('shows the port only when it is not the default of the scheme', () => {
    expect(formatOrigin(base)).toBe('https://graph.microsoft.com');
    expect(formatOrigin({ ...base, port: 80 })).toBe('https://graph.microsoft.com:80');
    expect(formatOrigin({ scheme: 'http', host: 'localhost', port: 80 })).toBe('http://localhost');
    expect(formatOrigin({ scheme: 'http', host: 'localhost', port: 443 })).toBe('http://localhost:443');
    expect(formatOrigin({ scheme: 'http', host: '[::1]', port: 4010 })).toBe('http://[::1]:4010');
  });
});

describe('isLoopback', () => {
  it.each(['localhost', 'api.localhost', 'a.b.localhost', '[::1]', '127.0.0.1', '127.255.255.255', '127.1.22.133'])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });
  it.each(['localhost.example', 'xlocalhost', 'notlocalhost', '[::2]', '::1', '128.0.0.1', '10.127.0.0.1', '127.0.0.1.evil.example', '127.0.0', '127.0.0.1234', '1127.0.0.1', '127.a.0.1', 'graph.microsoft.com', ''])(
    '%j is not loopback',
    (host) => {
      expect(isLoopback(host)).toBe(false);
    },
  );
});

describe('checkBaseUrl', () => {
  it.each<[string, Origin]>([
    ['https://graph.microsoft.com', { scheme: 'https', host: 'graph.microsoft.com', port: 443 }],
    ['https://graph.microsoft.us/root/', { scheme: 'https', host: 'graph.microsoft.us', port: 443 }],
    ['http://127.0.0.1:4010', { scheme: 'http', host: '127.0.0.1', port: 4010 }],
    ['http://localhost', { scheme: 'http', host: 'localhost', port: 80 }],
    ['http://emulator.localhost:81/', { scheme: 'http', host: 'emulator.localhost', port: 81 }],
    ['http://[::1]:8080', { scheme: 'http', host: '[::1]', port: 8080 }],
  ])('accepts %s', (url, origin) => {
    expect(checkBaseUrl(url)).toEqual(origin);
  });

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, 'number'],
    [new URL('https://graph.microsoft.com'), 'object'],
  ])('a non-string (%s) is ERR_INVALID_ARGUMENT naming its type', (value, type) => {
    const e = errorOf(() => checkBaseUrl(value));
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
    expect(e.message).toBe(`Graph base URL: expected a string such as https://graph.microsoft.com, received ${type}`);
  });

  it.each([
    ['ftp://graph.microsoft.com', "'ftp://graph.microsoft.com': its scheme is ftp:, not https:"],
    ['https://graph.microsoft.com:0', "'https://graph.microsoft.com:0': " + BAD_PORT],
    ['https://graph microsoft.com', `'https://graph microsoft.com': ${WHITESPACE}`],
    ['https://gräph.example', `'https://gr\\u{e4}ph.example': ${WHITESPACE}`],
    ['https://a.example/\u2028', `'https://a.example/\\u{2028}': ${WHITESPACE}`],
    ['https://graph.microsoft.com/?x=1', "'https://graph.microsoft.com/?x=1': it holds a query or fragment"],
    ['https://graph.microsoft.com/beta#top', "'https://graph.microsoft.com/beta#top': it holds a query or fragment"],
    ['https://graph.microsoft.com?', "'https://graph.microsoft.com?': it holds a query or fragment"],
    ['http://graph.example.com', "'http://graph.example.com': plain http to a host that is not loopback would send the token in clear"],
    ['http://128.0.0.1', "'http://128.0.0.1': plain http to a host that is not loopback would send the token in clear"],
    ['http://localhost.example.com', "'http://localhost.example.com': plain http to a host that is not loopback would send the token in clear"],
  ])('refuses %j with ERR_INVALID_ARGUMENT and the exact reason', (url, tail) => {
    const e = errorOf(() => checkBaseUrl(url));
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
    expect(e.message).toBe(`${EXPECTED}, received ${tail}`);
  });

  it('a URL with credentials is not echoed, in any refusal', () => {
    for (const url of ['https://user:hunter2@graph.microsoft.com', 'http://hunter2@graph.example.com', 'https://graph.microsoft.com/?pw=hunter2@x']) {
      const e = errorOf(() => checkBaseUrl(url));
      expect(e.code).toBe('ERR_INVALID_ARGUMENT');
      expect(e.message).toContain('received a URL with credentials');
      expect(e.message).not.toContain('hunter2');
    }
  });

  it('a long URL is quoted to its first 100 characters', () => {
    const url = `ftp://${'a'.repeat(200)}`;
    const e = errorOf(() => checkBaseUrl(url));
    expect(e.message).toBe(`${EXPECTED}, received '${url.slice(0, 100)}': its scheme is ftp:, not https:`);
  });
});

describe('parseOrigin: one spelling per host (what a WHATWG parser would read otherwise is refused)', () => {
  it.each([
    ['https://1.2.3.4', '1.2.3.4'],
    ['https://0.0.0.0', '0.0.0.0'],
    ['https://255.255.255.255:8443', '255.255.255.255'],
    ['https://10.0.0.1x', '10.0.0.1x'],
    ['https://a.b9', 'a.b9'],
    ['https://[2001:0DB8:0000::0001]', '[2001:db8::1]'],
    ['https://[0:0:0:0:0:0:0:1]', '[::1]'],
  ])('%s has the host %s', (url, host) => {
    expect((parseOrigin(url) as Origin).host).toBe(host);
  });

  it.each([
    'https://1',
    'https://0x7f000001',
    'https://127.1',
    'https://1.2.3',
    'https://1.2.3.4.5',
    'https://127.01.0.1',
    'https://256.0.0.1',
    'https://1.2.3.256',
    'https://1.2.3.0x1',
    'https://example.0x',
    'https://example.123',
    'https://1234.1.1.1',
    'https://[1.2.3.4]',
    'https://[1:2:3]',
    'https://[::1::2]',
  ])('%s is refused', (url) => {
    expect(parseOrigin(url)).toBe(BAD_HOST);
  });
});
