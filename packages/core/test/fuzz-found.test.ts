// Inputs the fuzzer (test/fuzz, `pnpm fuzz`) found mishandled, each pinned where it was fixed:
// request builders given a lone surrogate, a streamed input whose first piece is larger than the
// head may hold, and base URLs whose host a WHATWG parser (fetch's) reads as another host.
import { describe, expect, it } from 'vitest';
import { getRequest, listRequest, filterByDisplayName, deleteRequest, updateRequest, betaBase } from '../src/graph/requests.ts';
import { checkBaseUrl, parseOrigin } from '../src/graph/origin.ts';
import { lintStream, type LintItem } from '../src/lint.ts';
import { errorOf } from '@graph-mtls/test/helpers.ts';
import { makeRootCa } from '@graph-mtls/test/fixtures/certificates.ts';

const BASE = betaBase('https://graph.microsoft.com');

describe('request builders and text that is not well-formed UTF-16', () => {
  it.each([
    ['listRequest', () => listRequest(BASE, { filter: filterByDisplayName('a\udc00') })],
    ['getRequest', () => getRequest(BASE, '\ud800x')],
    ['deleteRequest', () => deleteRequest(BASE, 'id\udfff')],
    ['updateRequest', () => updateRequest(BASE, '\udc00', {})],
  ])('%s: a lone surrogate is ERR_INVALID_ARGUMENT naming it, not an uncoded URIError', (_name, call) => {
    const e = errorOf(call);
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
    expect(e.message).toMatch(/^URL text: expected well-formed Unicode, received a lone surrogate U\+D[89A-F][0-9A-F]{2} at position \d+$/);
  });

  it('a surrogate pair (an emoji) is encoded', () => {
    expect(getRequest(BASE, '😀').url).toBe(`${BASE}/directory/certificateAuthorities/mutualTlsOauthConfigurations/%F0%9F%98%80`);
  });
});

describe('a streamed input whose first piece is larger than the head may hold', () => {
  async function reports(pieces: Uint8Array[], maxInputBytes: number): Promise<LintItem[]> {
    const out: LintItem[] = [];
    for await (const r of lintStream(pieces, { now: new Date('2030-01-01T00:00:00Z'), limits: { maxInputBytes } })) out.push(r);
    return out;
  }

  it('PEM in one piece is read block by block, as in small pieces', async () => {
    const root = await makeRootCa({ subject: 'CN=Fuzz Found Root' });
    const text = new TextEncoder().encode(root.pem.repeat(12));
    const whole = await reports([text], 5000);
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < text.length; i += 1000) pieces.push(text.subarray(i, i + 1000));
    const split = await reports(pieces, 5000);
    expect(whole.map((r) => r.type)).toEqual(Array(12).fill('certificate'));
    expect(JSON.stringify(whole)).toBe(JSON.stringify(split));
  });

  it('DER larger than the limit is refused from its header, in one piece as in two', async () => {
    const der = new Uint8Array(5000);
    der.set([0x30, 0x82, 0x13, 0x84]);
    for (const pieces of [[der], [der.subarray(0, 4200), der.subarray(4200)]]) {
      const [only, ...rest] = await reports(pieces, 4500);
      expect(rest).toEqual([]);
      expect(JSON.stringify(only)).toContain('input: expected at most 4500 bytes, received a DER value of 5000');
    }
  });
});

describe('base URL hosts a WHATWG parser reads otherwise are refused', () => {
  it.each([
    'https://1', // 0.0.0.1 to WHATWG
    'https://0',
    'https://0x7f.1',
    'http://127.01.0.1:8080/', // 127.1.0.1 to WHATWG
    'http://127.0.0.080/',
    'https://graph.microsoft.43/',
    'https://[1]',
    'https://[0:0:0:0]/',
  ])('%s', (url) => {
    expect(errorOf(() => checkBaseUrl(url)).message).toContain('its host is not a plain host name, a dotted-decimal IPv4 address or a bracketed IPv6 address');
  });

  it('an IPv6 literal is compared in its RFC 5952 form, so any spelling of ::1 is loopback', () => {
    expect(parseOrigin('http://[0:0:0:0:0:0:0:1]:8080/x')).toEqual({ scheme: 'http', host: '[::1]', port: 8080 });
    expect(checkBaseUrl('http://[0::1]:8080')).toEqual({ scheme: 'http', host: '[::1]', port: 8080 });
    expect(checkBaseUrl('https://1.2.3.4')).toEqual({ scheme: 'https', host: '1.2.3.4', port: 443 });
    expect(checkBaseUrl('https://a.b.c1/root')).toEqual({ scheme: 'https', host: 'a.b.c1', port: 443 });
  });
});
