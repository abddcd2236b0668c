import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TLS_CLIENT_AUTH_PARAMETERS,
  assertTlsClientAuthParameter,
  identify,
  matches,
  type TlsClientAuthParameter,
} from '../../src/identity/identify.ts';
import { parseCertificate, type Certificate } from '../../src/x509/certificate.ts';
import { OIDS, ab, generalNamesValue, gnDns, gnEmail, gnIp, gnUri, uint16be } from '@graph-mtls/test/fixtures/der-builder.ts';
import { codeOf, errorOf } from '@graph-mtls/test/helpers.ts';

x509.cryptoProvider.set(globalThis.crypto);

const DN: TlsClientAuthParameter = 'tls_client_auth_subject_dn';
const DNS: TlsClientAuthParameter = 'tls_client_auth_san_dns';
const URI: TlsClientAuthParameter = 'tls_client_auth_san_uri';
const IP: TlsClientAuthParameter = 'tls_client_auth_san_ip';
const EMAIL: TlsClientAuthParameter = 'tls_client_auth_san_email';

// --- SAN entries in exact bytes (der-builder), so each test controls the encoding ---

type San = { dns: string } | { uri: string } | { email: string } | { ip: readonly number[] | Uint8Array };

function sanEntry(entry: San): Uint8Array {
  if ('dns' in entry) return gnDns(entry.dns);
  if ('uri' in entry) return gnUri(entry.uri);
  if ('email' in entry) return gnEmail(entry.email);
  return gnIp(Uint8Array.from(entry.ip));
}

function sanExtension(entries: San[]): x509.Extension {
  return new x509.Extension(OIDS.subjectAltName, false, ab(generalNamesValue(entries.map(sanEntry))));
}

const v6 = (...groups: number[]): Uint8Array => uint16be(groups);

const MAPPED = (a: number, b: number, c: number, d: number): number[] => [...new Array<number>(10).fill(0), 0xff, 0xff, a, b, c, d];

// --- certificate generation ---

let keys: CryptoKeyPair;
let serial = 1;

async function makeCert(name: x509.JsonNameParams, extensions: x509.Extension[] = []): Promise<Certificate> {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    name: new x509.Name(name),
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2035-01-01T00:00:00Z'),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    // peculiar writes an empty [3] extensions field for [], which RFC 5280 §4.1 forbids.
    extensions: [new x509.BasicConstraintsExtension(false), ...extensions],
  });
  return parseCertificate(new Uint8Array(cert.rawData));
}

const utf8 = (value: string): x509.JsonAttributeObject[] => [{ utf8String: value }];

let basic: Certificate; // the brief's example: peculiar's own SAN encoder
let multi: Certificate; // several entries of every type, interleaved
let noSan: Certificate;
let emptySubject: Certificate;
let otherTypesOnly: Certificate;
let escaped: Certificate;
let multiValued: Certificate;
let unicode: Certificate;
let domainComponents: Certificate;

beforeAll(async () => {
  keys = (await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;

  basic = await makeCert(
    [{ C: ['US'] }, { O: ['Contoso Ltd'] }, { CN: ['device-1'] }],
    [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'a.example' },
        { type: 'ip', value: '2001:db8::1' },
        { type: 'url', value: 'https://x' },
        { type: 'email', value: 'a@b' },
      ]),
    ],
  );

  multi = await makeCert(
    [{ CN: ['multi'] }],
    [
      sanExtension([
        { dns: 'Device.Example.COM' },
        { ip: [192, 0, 2, 1] },
        { uri: 'HTTPS://Device.Example.com/Path/To?Q=A#Frag' },
        { email: 'Device.One@Example.COM' },
        { dns: '*.example.net' },
        { ip: MAPPED(198, 51, 100, 7) },
        { uri: 'urn:uuid:6E8BC430-9C3A-11D9-9669-0800200C9A66' },
        { email: 'other@example.com' },
        { dns: 'xn--bcher-kva.example' },
        { ip: v6(0x2001, 0x0db8, 0, 0, 0, 0, 0, 1) },
        { uri: 'https://User:Pa55@[2001:DB8::A]:8443/a%2Fb' },
        { email: '"a@b"@example.org' },
        { dns: 'second.example' },
        { uri: 'spiffe://Trust.Domain/ns/Prod/sa/Device' },
        { uri: 'not a uri' },
        { email: 'domain-only.example' },
      ]),
    ],
  );

  noSan = await makeCert([{ CN: ['no-san'] }, { E: ['device@example.com'] }]);
  emptySubject = await makeCert([], [sanExtension([{ dns: 'only-san.example' }])]);
  otherTypesOnly = await makeCert([{ CN: ['dns-only'] }], [sanExtension([{ dns: 'dns-only.example' }])]);
  escaped = await makeCert([{ O: ['Contoso'] }, { CN: utf8('a,b+c"d\\e<f>;g=h') }, { OU: utf8('#lead') }, { OU: utf8(' both ') }]);
  multiValued = await makeCert([{ C: ['US'] }, { O: ['Contoso'], OU: ['Devices'] }, { CN: ['d'] }]);
  unicode = await makeCert([{ O: ['Contoso'] }, { CN: utf8('Gerät-Ω-设备') }]);
  domainComponents = await makeCert([{ DC: ['com'] }, { DC: ['Example'] }, { CN: ['d'] }]);
});

describe('TLS_CLIENT_AUTH_PARAMETERS', () => {
  it('lists the five real members in declared order, without the sentinel', () => {
    expect(TLS_CLIENT_AUTH_PARAMETERS).toEqual([DN, DNS, URI, IP, EMAIL]);
    expect(TLS_CLIENT_AUTH_PARAMETERS).not.toContain('unknownFutureValue');
    expect(Object.isFrozen(TLS_CLIENT_AUTH_PARAMETERS)).toBe(true);
  });
});

describe('assertTlsClientAuthParameter', () => {
  it('accepts each member', () => {
    for (const p of TLS_CLIENT_AUTH_PARAMETERS) expect(assertTlsClientAuthParameter(p)).toBe(p);
  });

  it('rejects unknownFutureValue as the evolvable-enum sentinel', () => {
    const error = errorOf(() => assertTlsClientAuthParameter('unknownFutureValue'));
    expect(error.code).toBe('ERR_INVALID_PARAMETER');
    for (const p of TLS_CLIENT_AUTH_PARAMETERS) expect(error.message).toContain(p);
    expect(error.message).toMatch(/sentinel/);
  });

  it.each([
    '',
    'TLS_CLIENT_AUTH_SAN_DNS',
    'tls_client_auth_san_dns ',
    ' tls_client_auth_san_dns',
    'san_dns',
    'tls_client_auth',
    'tls_client_auth_san_upn',
    'tlsClientAuthSanDns',
    'UnknownFutureValue',
    '__proto__',
    'toString',
    'constructor',
    42,
    null,
    undefined,
    {},
    ['tls_client_auth_san_dns'],
    Symbol('x'),
  ])('rejects %s', (value) => {
    const error = errorOf(() => assertTlsClientAuthParameter(value));
    expect(error.code).toBe('ERR_INVALID_PARAMETER');
    for (const p of TLS_CLIENT_AUTH_PARAMETERS) expect(error.message).toContain(p);
  });

  it('caps long input in the message', () => {
    expect(errorOf(() => assertTlsClientAuthParameter('x'.repeat(10_000))).message.length).toBeLessThan(400);
  });
});

describe('identify', () => {
  it('returns the RFC 4514 subject DN', () => {
    expect(identify(basic, DN)).toEqual({ parameter: DN, values: ['CN=device-1,O=Contoso Ltd,C=US'] });
    expect(identify(basic, DN).values).toEqual([basic.subjectDn]);
  });

  it('returns no subject DN for an empty subject', () => {
    expect(identify(emptySubject, DN)).toEqual({ parameter: DN, values: [] });
    expect(identify(emptySubject, DNS).values).toEqual(['only-san.example']);
  });

  it("reads peculiar's SAN encoding", () => {
    expect(identify(basic, DNS).values).toEqual(['a.example']);
    expect(identify(basic, IP).values).toEqual(['2001:db8::1']);
    expect(identify(basic, URI).values).toEqual(['https://x']);
    expect(identify(basic, EMAIL).values).toEqual(['a@b']);
  });

  it('returns every entry of the type in certificate order', () => {
    expect(identify(multi, DNS).values).toEqual(['Device.Example.COM', '*.example.net', 'xn--bcher-kva.example', 'second.example']);
    expect(identify(multi, URI).values).toEqual([
      'HTTPS://Device.Example.com/Path/To?Q=A#Frag',
      'urn:uuid:6E8BC430-9C3A-11D9-9669-0800200C9A66',
      'https://User:Pa55@[2001:DB8::A]:8443/a%2Fb',
      'spiffe://Trust.Domain/ns/Prod/sa/Device',
      'not a uri',
    ]);
    expect(identify(multi, EMAIL).values).toEqual(['Device.One@Example.COM', 'other@example.com', '"a@b"@example.org', 'domain-only.example']);
  });

  it('writes IP addresses as canonical text', () => {
    expect(identify(multi, IP)).toEqual({ parameter: IP, values: ['192.0.2.1', '::ffff:198.51.100.7', '2001:db8::1'] });
  });

  it('returns [] when there is no SAN or none of the type', () => {
    for (const p of [DNS, URI, IP, EMAIL]) expect(identify(noSan, p).values).toEqual([]);
    for (const p of [URI, IP, EMAIL]) expect(identify(otherTypesOnly, p).values).toEqual([]);
  });

  it('does not treat a subject emailAddress attribute as an rfc822Name SAN', () => {
    expect(identify(noSan, EMAIL).values).toEqual([]);
    expect(matches(noSan, EMAIL, 'device@example.com')).toEqual({ matched: false });
  });

  it('rejects bad parameters (as a JavaScript caller could pass them; the type refuses them)', () => {
    expect(codeOf(() => identify(basic, 'unknownFutureValue' as TlsClientAuthParameter))).toBe('ERR_INVALID_PARAMETER');
    expect(codeOf(() => identify(basic, 'garbage' as TlsClientAuthParameter))).toBe('ERR_INVALID_PARAMETER');
    expect(codeOf(() => identify(basic, undefined as unknown as TlsClientAuthParameter))).toBe('ERR_INVALID_PARAMETER');
  });
});

describe('matches: parameters and arguments', () => {
  it('rejects bad parameters before looking at the value', () => {
    for (const p of ['unknownFutureValue', 'tls_client_auth_SAN_DNS', ''] as readonly string[] as TlsClientAuthParameter[]) {
      expect(codeOf(() => matches(basic, p, 'a.example'))).toBe('ERR_INVALID_PARAMETER');
    }
  });

  it('rejects a non-string expected value', () => {
    for (const p of TLS_CLIENT_AUTH_PARAMETERS) {
      expect(codeOf(() => matches(basic, p, undefined as unknown as string))).toBe('ERR_INVALID_ARGUMENT');
      expect(codeOf(() => matches(basic, p, 7 as unknown as string))).toBe('ERR_INVALID_ARGUMENT');
    }
  });
});

describe('matches: tls_client_auth_san_dns', () => {
  it('compares ASCII case-insensitively and returns the certificate spelling', () => {
    expect(matches(multi, DNS, 'device.example.com')).toEqual({ matched: true, value: 'Device.Example.COM' });
    expect(matches(multi, DNS, 'DEVICE.EXAMPLE.COM')).toEqual({ matched: true, value: 'Device.Example.COM' });
    expect(matches(basic, DNS, 'A.Example')).toEqual({ matched: true, value: 'a.example' });
  });

  it('matches a later entry among several', () => {
    expect(matches(multi, DNS, 'second.example')).toEqual({ matched: true, value: 'second.example' });
    expect(matches(multi, DNS, 'XN--BCHER-KVA.example')).toEqual({ matched: true, value: 'xn--bcher-kva.example' });
  });

  it('treats * literally (no wildcard expansion)', () => {
    expect(matches(multi, DNS, 'host.example.net')).toEqual({ matched: false });
    expect(matches(multi, DNS, 'example.net')).toEqual({ matched: false });
    expect(matches(multi, DNS, '*.example.net')).toEqual({ matched: true, value: '*.example.net' });
    expect(matches(multi, DNS, '*.EXAMPLE.NET')).toEqual({ matched: true, value: '*.example.net' });
    expect(matches(multi, DNS, '*.example.com')).toEqual({ matched: false });
  });

  it('does not match near misses', () => {
    expect(matches(multi, DNS, 'device.example.co')).toEqual({ matched: false });
    expect(matches(multi, DNS, 'evice.example.com')).toEqual({ matched: false });
    expect(matches(multi, DNS, 'x.device.example.com')).toEqual({ matched: false });
  });

  it('does not match without entries of the type', () => {
    expect(matches(noSan, DNS, 'no-san')).toEqual({ matched: false });
    expect(matches(basic, DNS, 'device-1')).toEqual({ matched: false });
  });

  it.each([
    ['empty', ''],
    ['trailing dot', 'device.example.com.'],
    ['lone dot', '.'],
    ['space', ' '],
    ['inner space', 'device .example.com'],
    ['U-label IDN', 'bücher.example'],
    ['Kelvin sign', '\u212a.example'],
  ])('rejects an expected value with %s', (_what, value) => {
    expect(codeOf(() => matches(multi, DNS, value))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('matches: tls_client_auth_san_uri', () => {
  it('folds scheme and host, keeps path, query and fragment exact', () => {
    expect(matches(multi, URI, 'https://device.example.com/Path/To?Q=A#Frag')).toEqual({
      matched: true,
      value: 'HTTPS://Device.Example.com/Path/To?Q=A#Frag',
    });
    expect(matches(multi, URI, 'hTTps://DEVICE.example.COM/Path/To?Q=A#Frag').matched).toBe(true);
    expect(matches(multi, URI, 'https://device.example.com/path/to?Q=A#Frag').matched).toBe(false);
    expect(matches(multi, URI, 'https://device.example.com/Path/To?q=a#Frag').matched).toBe(false);
    expect(matches(multi, URI, 'https://device.example.com/Path/To?Q=A#frag').matched).toBe(false);
    expect(matches(multi, URI, 'https://device.example.com/Path/To?Q=A').matched).toBe(false);
    expect(matches(multi, URI, 'https://device.example.com/Path/To/?Q=A#Frag').matched).toBe(false);
  });

  it('matches spiffe IDs by trust domain case only', () => {
    expect(matches(multi, URI, 'spiffe://trust.domain/ns/Prod/sa/Device')).toEqual({
      matched: true,
      value: 'spiffe://Trust.Domain/ns/Prod/sa/Device',
    });
    expect(matches(multi, URI, 'spiffe://trust.domain/ns/prod/sa/device').matched).toBe(false);
  });

  it('keeps userinfo and port exact, folds a bracketed IPv6 host', () => {
    const value = 'https://User:Pa55@[2001:DB8::A]:8443/a%2Fb';
    expect(matches(multi, URI, 'https://User:Pa55@[2001:db8::a]:8443/a%2Fb')).toEqual({ matched: true, value });
    expect(matches(multi, URI, 'HTTPS://User:Pa55@[2001:DB8::A]:8443/a%2Fb')).toEqual({ matched: true, value });
    expect(matches(multi, URI, 'https://user:pa55@[2001:db8::a]:8443/a%2Fb').matched).toBe(false);
    expect(matches(multi, URI, 'https://User:Pa55@[2001:db8::a]/a%2Fb').matched).toBe(false);
    expect(matches(multi, URI, 'https://User:Pa55@[2001:db8::a]:443/a%2Fb').matched).toBe(false);
  });

  it('does not percent-decode or normalize', () => {
    expect(matches(multi, URI, 'https://User:Pa55@[2001:DB8::A]:8443/a/b').matched).toBe(false);
    expect(matches(multi, URI, 'https://User:Pa55@[2001:DB8::A]:8443/a%2fb').matched).toBe(false);
    expect(matches(multi, URI, 'https://User:Pa55@[2001:db8:0::a]:8443/a%2Fb').matched).toBe(false);
    expect(matches(multi, URI, 'https://device.example.com/Path/./To?Q=A#Frag').matched).toBe(false);
    expect(matches(multi, URI, 'https://device.example.com:443/Path/To?Q=A#Frag').matched).toBe(false);
  });

  it('folds only the scheme of a URN', () => {
    expect(matches(multi, URI, 'URN:uuid:6E8BC430-9C3A-11D9-9669-0800200C9A66').matched).toBe(true);
    expect(matches(multi, URI, 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66').matched).toBe(false);
  });

  it("matches peculiar's encoding and the empty case", () => {
    expect(matches(basic, URI, 'HTTPS://X')).toEqual({ matched: true, value: 'https://x' });
    expect(matches(noSan, URI, 'https://x')).toEqual({ matched: false });
  });

  it.each([
    ['empty', ''],
    ['relative path', '/path'],
    ['bare host', 'device.example.com'],
    ['scheme not starting with a letter', '1http://x'],
    ['empty scheme', '://x'],
    ['unclosed IPv6 literal', 'https://[2001:db8::1/x'],
    ['junk after IPv6 literal', 'https://[::1]x/'],
    ['space', 'https://x/a b'],
    ['newline', 'https://x/\n'],
  ])('rejects an expected value with %s', (_what, value) => {
    expect(codeOf(() => matches(multi, URI, value))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('matches: tls_client_auth_san_ip', () => {
  it('compares bytes, accepting any RFC 4291 form', () => {
    for (const text of ['2001:db8::1', '2001:DB8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0:0:0:0:1', '2001:db8::0:1', '2001:db8::0.0.0.1']) {
      expect(matches(multi, IP, text)).toEqual({ matched: true, value: '2001:db8::1' });
    }
    expect(matches(basic, IP, '2001:0DB8::0001')).toEqual({ matched: true, value: '2001:db8::1' });
  });

  it('matches IPv4 entries', () => {
    expect(matches(multi, IP, '192.0.2.1')).toEqual({ matched: true, value: '192.0.2.1' });
    expect(matches(multi, IP, '192.0.2.10')).toEqual({ matched: false });
  });

  it('keeps a 4-byte address and its IPv4-mapped form apart', () => {
    expect(matches(multi, IP, '::ffff:192.0.2.1')).toEqual({ matched: false });
    expect(matches(multi, IP, '::ffff:c000:201')).toEqual({ matched: false });
    expect(matches(multi, IP, '198.51.100.7')).toEqual({ matched: false });
    expect(matches(multi, IP, '::ffff:198.51.100.7')).toEqual({ matched: true, value: '::ffff:198.51.100.7' });
    expect(matches(multi, IP, '::FFFF:C633:6407')).toEqual({ matched: true, value: '::ffff:198.51.100.7' });
    expect(matches(multi, IP, '0:0:0:0:0:ffff:198.51.100.7')).toEqual({ matched: true, value: '::ffff:198.51.100.7' });
    // IPv4-compatible (::a.b.c.d) is yet another address.
    expect(matches(multi, IP, '::198.51.100.7')).toEqual({ matched: false });
  });

  it('does not match without entries of the type', () => {
    expect(matches(noSan, IP, '192.0.2.1')).toEqual({ matched: false });
    expect(matches(otherTypesOnly, IP, '::1')).toEqual({ matched: false });
  });

  it.each(['', 'fe80::1%eth0', '2001:db8::1/128', '192.0.2.1/32', '[2001:db8::1]', '192.000.002.001', 'a.example', ' 192.0.2.1'])(
    'rejects %j with ERR_INVALID_IP',
    (value) => {
      expect(codeOf(() => matches(multi, IP, value))).toBe('ERR_INVALID_IP');
    },
  );
});

describe('matches: tls_client_auth_san_email', () => {
  it('keeps the local part exact and folds the domain', () => {
    expect(matches(multi, EMAIL, 'Device.One@example.com')).toEqual({ matched: true, value: 'Device.One@Example.COM' });
    expect(matches(multi, EMAIL, 'Device.One@EXAMPLE.COM')).toEqual({ matched: true, value: 'Device.One@Example.COM' });
    expect(matches(multi, EMAIL, 'device.one@example.com')).toEqual({ matched: false });
    expect(matches(multi, EMAIL, 'DEVICE.ONE@Example.COM')).toEqual({ matched: false });
  });

  it('matches a later entry and a quoted local part holding @', () => {
    expect(matches(multi, EMAIL, 'other@EXAMPLE.com')).toEqual({ matched: true, value: 'other@example.com' });
    expect(matches(multi, EMAIL, '"a@b"@Example.ORG')).toEqual({ matched: true, value: '"a@b"@example.org' });
    expect(matches(multi, EMAIL, '"A@b"@example.org')).toEqual({ matched: false });
    expect(matches(basic, EMAIL, 'a@B')).toEqual({ matched: true, value: 'a@b' });
  });

  it('never matches a domain-only rfc822Name entry', () => {
    expect(matches(multi, EMAIL, 'x@domain-only.example')).toEqual({ matched: false });
  });

  it('does not match without entries of the type', () => {
    expect(matches(otherTypesOnly, EMAIL, 'a@b')).toEqual({ matched: false });
  });

  it.each([
    ['empty', ''],
    ['no @', 'device.example.com'],
    ['empty local part', '@example.com'],
    ['empty domain', 'device@'],
    ['@ only', '@'],
  ])('rejects an expected value with %s', (_what, value) => {
    expect(codeOf(() => matches(multi, EMAIL, value))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('matches: tls_client_auth_subject_dn', () => {
  it('matches the same DN, returning the certificate DN', () => {
    expect(matches(basic, DN, 'CN=device-1,O=Contoso Ltd,C=US')).toEqual({ matched: true, value: 'CN=device-1,O=Contoso Ltd,C=US' });
  });

  it('ignores case in caseIgnoreMatch attributes', () => {
    expect(matches(basic, DN, 'cn=DEVICE-1,o=contoso ltd,c=us').matched).toBe(true);
  });

  it('requires the same RDNs in the same order', () => {
    expect(matches(basic, DN, 'C=US,O=Contoso Ltd,CN=device-1').matched).toBe(false);
    expect(matches(basic, DN, 'CN=device-1,O=Contoso Ltd').matched).toBe(false);
    expect(matches(basic, DN, 'CN=device-1,OU=X,O=Contoso Ltd,C=US').matched).toBe(false);
    expect(matches(basic, DN, 'CN=device-2,O=Contoso Ltd,C=US').matched).toBe(false);
    expect(matches(basic, DN, 'CN=device-1+O=Contoso Ltd,C=US').matched).toBe(false);
  });

  it('unescapes special characters in the expected DN', () => {
    const expected = 'OU=\\ both\\ ,OU=\\#lead,CN=a\\,b\\+c\\"d\\\\e\\<f\\>\\;g\\=h,O=Contoso';
    expect(matches(escaped, DN, expected)).toEqual({ matched: true, value: escaped.subjectDn });
    // hex-pair escapes denote the same characters (RFC 4514 §2.4)
    expect(matches(escaped, DN, 'OU=\\20both\\20,OU=\\23lead,CN=a\\2cb\\2Bc\\22d\\5ce\\3cf\\3e\\3bg\\3dh,O=Contoso').matched).toBe(true);
    expect(matches(escaped, DN, 'OU=\\ both\\ ,OU=\\#lead,CN=a\\,b\\+c\\"d\\\\e\\<f\\>\\;g\\=i,O=Contoso').matched).toBe(false);
  });

  it('compares multi-valued RDNs as sets', () => {
    expect(matches(multiValued, DN, 'CN=d,O=Contoso+OU=Devices,C=US')).toEqual({ matched: true, value: multiValued.subjectDn });
    expect(matches(multiValued, DN, 'CN=d,OU=Devices+O=Contoso,C=US').matched).toBe(true);
    expect(matches(multiValued, DN, 'CN=d,O=Contoso,OU=Devices,C=US').matched).toBe(false);
    expect(matches(multiValued, DN, 'CN=d,OU=Devices,O=Contoso,C=US').matched).toBe(false);
    expect(matches(multiValued, DN, 'CN=d,O=Contoso,C=US').matched).toBe(false);
    expect(matches(multiValued, DN, 'CN=d,O=Contoso+OU=Devices+OU=Extra,C=US').matched).toBe(false);
  });

  it('matches UTF-8 values', () => {
    expect(matches(unicode, DN, 'CN=Gerät-Ω-设备,O=Contoso')).toEqual({ matched: true, value: unicode.subjectDn });
    expect(matches(unicode, DN, 'CN=Gerat-Ω-设备,O=Contoso').matched).toBe(false);
    expect(matches(unicode, DN, 'CN=Gerät-Ω-设备x,O=Contoso').matched).toBe(false);
  });

  it('case-folds non-ASCII letters (RFC 4518 §2.3)', () => {
    expect(matches(unicode, DN, 'CN=GERÄT-ω-设备,O=CONTOSO').matched).toBe(true);
  });

  it('compares DC values case-insensitively', () => {
    expect(matches(domainComponents, DN, 'CN=d,DC=example,DC=COM').matched).toBe(true);
    expect(matches(domainComponents, DN, 'CN=d,DC=com,DC=example').matched).toBe(false);
  });

  it('never matches an empty subject', () => {
    expect(matches(emptySubject, DN, 'CN=only-san.example')).toEqual({ matched: false });
  });

  it('throws ERR_INVALID_DN for an expected DN that does not parse', () => {
    for (const value of ['CN', 'CN=a,', '=a', 'CN=a\\', 'CN=a,,O=b', 'CN=a+', ',']) {
      expect(codeOf(() => matches(basic, DN, value))).toBe('ERR_INVALID_DN');
    }
  });

  it('throws ERR_INVALID_ARGUMENT for an empty expected DN', () => {
    expect(codeOf(() => matches(basic, DN, ''))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => matches(emptySubject, DN, ''))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => matches(basic, DN, ' '))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('parameters and values agree', () => {
  it('every identified value matches itself', () => {
    for (const cert of [basic, multi, escaped, multiValued, unicode, domainComponents]) {
      for (const p of TLS_CLIENT_AUTH_PARAMETERS as readonly TlsClientAuthParameter[]) {
        for (const value of identify(cert, p).values) {
          if (p === URI && value === 'not a uri') continue;
          if (p === EMAIL && !value.includes('@')) continue;
          expect(matches(cert, p, value)).toEqual({ matched: true, value });
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Issue 12: the boundaries of each comparison and of each refusal
// ---------------------------------------------------------------------------------------------

describe('messages of refused parameters and values', () => {
  it('lists the accepted parameters, quoted, in declared order', () => {
    const listed = "'tls_client_auth_subject_dn', 'tls_client_auth_san_dns', 'tls_client_auth_san_uri', 'tls_client_auth_san_ip', 'tls_client_auth_san_email'";
    expect(errorOf(() => assertTlsClientAuthParameter('x')).message).toContain(`expected one of ${listed}, received "x"`);
    expect(errorOf(() => assertTlsClientAuthParameter('unknownFutureValue')).message).toContain(`expected one of ${listed}, received 'unknownFutureValue'`);
  });

  it('describes what it received: a quoted string, null, or the type', () => {
    const received = (value: unknown): string => errorOf(() => assertTlsClientAuthParameter(value)).message.replace(/^.*received /s, '');
    expect(received('tls_client_auth_SAN')).toBe('"tls_client_auth_SAN"');
    expect(received(null)).toBe('null');
    expect(received(undefined)).toBe('undefined');
    expect(received(42)).toBe('number');
    expect(received({})).toBe('object');
    expect(received('a"b')).toBe('"a\\"b"');
  });

  it('quotes up to 60 characters whole and cuts longer text to 57 and an ellipsis', () => {
    const received = (value: string): string => errorOf(() => assertTlsClientAuthParameter(value)).message.replace(/^.*received /s, '');
    const sixty = 'p'.repeat(60);
    expect(received(sixty)).toBe(`"${sixty}"`);
    expect(received(`${sixty}q`)).toBe(`"${'p'.repeat(57)}..."`);
    // The same quoting for expected values.
    const dns = errorOf(() => matches(multi, DNS, `${'d'.repeat(70)}.`)).message;
    expect(dns).toContain(`received "${'d'.repeat(57)}..."`);
  });

  it('a non-string expected value is described by its type', () => {
    expect(errorOf(() => matches(basic, DNS, 7 as unknown as string)).message).toBe('expected value: expected a string, received number');
    expect(errorOf(() => matches(basic, DNS, null as unknown as string)).message).toBe('expected value: expected a string, received null');
  });

  it('says which rule an expected dNSName breaks', () => {
    const reason = (value: string): string => errorOf(() => matches(multi, DNS, value)).message;
    expect(reason('')).toBe('expected dNSName: expected a DNS name, received an empty string');
    expect(reason('a b')).toContain('without spaces or control characters');
    expect(reason('a.example.')).toContain('without a trailing dot');
    expect(reason('ä.example')).toContain('an ASCII DNS name');
  });

  it('says which rule an expected rfc822Name breaks', () => {
    const reason = (value: string): string => errorOf(() => matches(multi, EMAIL, value)).message;
    expect(reason('device.example.com')).toBe(`expected rfc822Name: expected a mailbox local@domain, received "device.example.com" without '@'`);
    expect(reason('@example.com')).toBe(`expected rfc822Name: expected a local part before '@', received "@example.com"`);
    expect(reason('device@')).toBe(`expected rfc822Name: expected a domain after '@', received "device@"`);
    expect(reason('@')).toContain('a local part before');
  });

  it('says which rule an expected URI or subject DN breaks', () => {
    expect(errorOf(() => matches(multi, URI, '')).message).toBe('expected uniformResourceIdentifier: expected an absolute URI, received an empty string');
    expect(errorOf(() => matches(multi, URI, 'a b:x')).message).toContain('without spaces or control characters');
    expect(errorOf(() => matches(multi, URI, '/x')).message).toContain('an absolute URI (scheme:');
    expect(errorOf(() => matches(basic, DN, '')).message).toContain('received an empty string');
    expect(errorOf(() => matches(basic, DN, ' ')).message).toContain('received " "');
  });
});

describe('character boundaries', () => {
  let edges: Certificate;
  beforeAll(async () => {
    edges = await makeCert(
      [{ CN: ['edges'] }],
      [
        sanExtension([
          { dns: 'a.example' },
          { dns: 'z.example' },
          { dns: '`.example' },
          { dns: '{.example' },
          { dns: 'x!~.example' },
          { uri: 'a://host/p' },
          { uri: 'z://host/p' },
          { uri: 'h0://host/p' },
          { uri: 'h9://host/p' },
          { uri: 'a+b-c.d://host/p' },
          { uri: 'https://host?Q' },
          { uri: 'https://host#F' },
          { uri: 'https://u@v@host/p' },
          { uri: 'https://host:8443' },
          { email: 'u@`.example' },
          { email: 'u@a.z' },
        ]),
      ],
    );
  });

  it('dNSName: A and Z fold, @ and [ next to them do not', () => {
    expect(matches(edges, DNS, 'A.example')).toEqual({ matched: true, value: 'a.example' });
    expect(matches(edges, DNS, 'Z.example')).toEqual({ matched: true, value: 'z.example' });
    expect(matches(edges, DNS, 'Z.EXAMPLE')).toEqual({ matched: true, value: 'z.example' });
    expect(matches(edges, DNS, '@.example')).toEqual({ matched: false });
    expect(matches(edges, DNS, '[.example')).toEqual({ matched: false });
  });

  it('dNSName: printable ASCII from ! to ~ is allowed; space, DEL and beyond are not', () => {
    expect(matches(edges, DNS, 'x!~.example')).toEqual({ matched: true, value: 'x!~.example' });
    for (const c of [0x00, 0x09, 0x1f, 0x20, 0x7f, 0x80, 0xff, 0x100]) {
      expect(codeOf(() => matches(edges, DNS, `x${String.fromCharCode(c)}.example`)), c.toString(16)).toBe('ERR_INVALID_ARGUMENT');
    }
    expect(errorOf(() => matches(edges, DNS, 'x\u007f.example')).message).toContain('control characters');
    expect(errorOf(() => matches(edges, DNS, 'x\u0080.example')).message).toContain('an ASCII DNS name');
  });

  it('URI scheme: a letter, then letters, digits, +, - and .; folded to lower case', () => {
    for (const [expected, value] of [
      ['A://HOST/p', 'a://host/p'],
      ['Z://Host/p', 'z://host/p'],
      ['H0://host/p', 'h0://host/p'],
      ['h9://HOST/p', 'h9://host/p'],
      ['A+B-C.D://host/p', 'a+b-c.d://host/p'],
    ]) {
      expect(matches(edges, URI, expected!), expected).toEqual({ matched: true, value });
    }
    for (const bad of ['@x://host', '[x://host', '`x://host', '{x://host', '0x://host', 'h/x://host', 'h,x://host', 'h*x://host', 'h;x://host']) {
      expect(codeOf(() => matches(edges, URI, bad)), bad).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('URI host: ends at ?, # or /, and what follows keeps its case', () => {
    expect(matches(edges, URI, 'https://HOST?Q')).toEqual({ matched: true, value: 'https://host?Q' });
    expect(matches(edges, URI, 'https://HOST?q')).toEqual({ matched: false });
    expect(matches(edges, URI, 'https://HOST#F')).toEqual({ matched: true, value: 'https://host#F' });
    expect(matches(edges, URI, 'https://HOST#f')).toEqual({ matched: false });
    expect(matches(edges, URI, 'https://HOST:8443')).toEqual({ matched: true, value: 'https://host:8443' });
  });

  it('URI userinfo: runs to the last @, kept exact', () => {
    expect(matches(edges, URI, 'https://u@v@HOST/p')).toEqual({ matched: true, value: 'https://u@v@host/p' });
    expect(matches(edges, URI, 'https://U@v@host/p')).toEqual({ matched: false });
    expect(matches(edges, URI, 'https://u@V@host/p')).toEqual({ matched: false });
  });

  it('rfc822Name domain: A-Z fold, @ does not fold to `', () => {
    expect(matches(edges, EMAIL, 'u@A.Z')).toEqual({ matched: true, value: 'u@a.z' });
    expect(matches(edges, EMAIL, 'u@@.example')).toEqual({ matched: false });
    expect(matches(edges, EMAIL, 'u@`.example')).toEqual({ matched: true, value: 'u@`.example' });
  });
});

describe('URI and rfc822Name keys: what each part of the text decides', () => {
  let uris: Certificate;
  beforeAll(async () => {
    uris = await makeCert(
      [{ CN: ['uris'] }],
      [
        sanExtension([
          { uri: 'urn:Example:1' },
          { uri: 'https://plain.example/p' },
          { uri: 'https://[2001:db8::a]/p' },
          { uri: 'https://:80/p' },
          { email: 'domain-only.example' },
          { dns: '' },
        ]),
      ],
    );
  });

  it('an empty dNSName entry is compared like any other and matches nothing', () => {
    expect(identify(uris, DNS).values).toEqual(['']);
    expect(matches(uris, DNS, 'a.example')).toEqual({ matched: false });
  });

  it('a URI without // has no host: nothing after the scheme folds', () => {
    expect(matches(uris, URI, 'URN:Example:1')).toEqual({ matched: true, value: 'urn:Example:1' });
    expect(matches(uris, URI, 'urn:example:1')).toEqual({ matched: false });
    expect(matches(uris, URI, 'urn:EXAMPLE:1')).toEqual({ matched: false });
  });

  it('every character of the host counts, with or without a port', () => {
    expect(matches(uris, URI, 'https://PLAIN.example/p')).toEqual({ matched: true, value: 'https://plain.example/p' });
    expect(matches(uris, URI, 'https://plain.exampl/p')).toEqual({ matched: false });
    expect(matches(uris, URI, 'https://plain.examplf/p')).toEqual({ matched: false });
    expect(matches(uris, URI, 'https://@plain.example/p')).toEqual({ matched: false });
  });

  it('every character of a bracketed host counts', () => {
    expect(matches(uris, URI, 'https://[2001:DB8::A]/p')).toEqual({ matched: true, value: 'https://[2001:db8::a]/p' });
    expect(matches(uris, URI, 'https://[2001:db8::b]/p')).toEqual({ matched: false });
    expect(matches(uris, URI, 'https://[2001:db8::]/p')).toEqual({ matched: false });
  });

  it('an empty host keeps its port', () => {
    expect(matches(uris, URI, 'https://:80/p')).toEqual({ matched: true, value: 'https://:80/p' });
    expect(matches(uris, URI, 'https://:81/p')).toEqual({ matched: false });
    expect(matches(uris, URI, 'https:///p')).toEqual({ matched: false });
  });

  it('a domain-only rfc822Name is never a mailbox, whatever the expected local part', () => {
    expect(matches(uris, EMAIL, 'domain-only.exampl@domain-only.example')).toEqual({ matched: false });
    expect(matches(uris, EMAIL, 'x@domain-only.example')).toEqual({ matched: false });
  });
});
