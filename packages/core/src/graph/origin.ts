// Where the bearer token may go: Graph's origin (RFC 6454 §4: scheme, host and port) and no
// other. The base URL is checked once, when a client is made: https, or http to a loopback
// host (the emulator's), without credentials, query or fragment. Every URL a response hands
// back (an @odata.nextLink) must then be on that origin. Parsed by hand, without the URL
// global (QuickJS has none), and strictly: a URL that a WHATWG parser could read another way
// (backslashes, userinfo, percent-encoded or non-ASCII hosts, whitespace) is refused, not
// guessed at.

import { ArgumentError } from '../errors.ts';
import { formatIpAddress, parseIpAddress } from '../x509/ip-address.ts';

/** Scheme, host and port of a URL (RFC 6454): where a token may go. */
export interface Origin {
  readonly scheme: 'https' | 'http';
  /** Lower case; an IPv6 literal keeps its brackets. */
  readonly host: string;
  readonly port: number;
}

const DEFAULT_PORTS = { https: 443, http: 80 } as const;
// scheme "://" authority path-abempty [ "?" query ] (RFC 3986 §3), in the strict subset we accept.
const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/;
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

/** The origin of an absolute http(s) URL, or a reason it is refused. */
export function parseOrigin(url: string): Origin | string {
  // Tabs, line breaks, spaces, backslashes and other characters a WHATWG parser removes or reinterprets.
  if (/[\s\\\u0000-\u001f\u007f-\uffff]/.test(url)) return 'it holds whitespace, a backslash or a non-ASCII character';
  const m = URL_SHAPE.exec(url);
  if (m === null) return 'it is not an absolute URL (scheme://host/path)';
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') return `its scheme is ${scheme}:, not https:`;
  const authority = m[2]!;
  if (authority.includes('@')) return 'it holds credentials (user:password@)';
  const at = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  // Stryker disable next-line OptionalChaining,StringLiteral: group 1 always matches (maybe empty) when `at` does, and a null `at` yields a host no pattern accepts, '' or any other text with spaces alike
  const host = canonicalHost(at?.[1]?.toLowerCase() ?? '');
  if (host === undefined) return 'its host is not a plain host name, a dotted-decimal IPv4 address or a bracketed IPv6 address';
  // Stryker disable next-line OptionalChaining: a null `at` has already returned (its host is refused above)
  const portText = at?.[2];
  const port = portText === undefined || portText === '' ? DEFAULT_PORTS[scheme] : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'its port is not a number from 1 to 65535';
  return { scheme, host, port };
}

/**
 * The host in one spelling per address, or undefined when a WHATWG parser could read it as
 * another host: a name whose last label is a number is an IPv4 address to it (`https://1` is
 * 0.0.0.1, `127.01.0.1` is 127.1.0.1), so only the plain dotted-decimal form is taken; an
 * IPv6 literal must parse, and is written in its RFC 5952 form.
 */
function canonicalHost(host: string): string | undefined {
  if (IPV6_LITERAL.test(host)) {
    try {
      const bytes = parseIpAddress(host.slice(1, -1));
      return bytes.length === 16 ? `[${formatIpAddress(bytes)}]` : undefined;
      // Stryker disable next-line BlockStatement: without the return, a bracketed host falls through to HOST_NAME, which refuses '[' all the same
    } catch {
      return undefined;
    }
  }
  if (!HOST_NAME.test(host)) return undefined;
  const labels = host.split('.');
  if (!/^(0x[0-9a-f]*|\d+)$/.test(labels[labels.length - 1]!)) return host;
  const ipv4 = labels.length === 4 && labels.every((l) => /^(0|[1-9]\d{0,2})$/.test(l) && Number(l) <= 255);
  return ipv4 ? host : undefined;
}

/** Same scheme, host and port (RFC 6454 §5). */
export function sameOrigin(a: Origin, b: Origin): boolean {
  return a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}

/** scheme://host, with the port only when it is not the scheme's default. */
export function formatOrigin(o: Origin): string {
  return `${o.scheme}://${o.host}${o.port === DEFAULT_PORTS[o.scheme] ? '' : `:${o.port}`}`;
}

/** 127.0.0.0/8, ::1 and localhost: where http may go, since nothing leaves the machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Graph's root as given by the caller (`baseUrl`), checked: its origin is the only one the
 * token is sent to. Throws ERR_INVALID_ARGUMENT, naming what is wrong; a URL with credentials
 * is not echoed.
 */
export function checkBaseUrl(baseUrl: unknown): Origin {
  if (typeof baseUrl !== 'string') throw new ArgumentError('ERR_INVALID_ARGUMENT', `Graph base URL: expected a string such as https://graph.microsoft.com, received ${baseUrl === null ? 'null' : typeof baseUrl}`);
  const parsed = parseOrigin(baseUrl);
  const shown = /@/.test(baseUrl) ? 'a URL with credentials' : `'${baseUrl.slice(0, 100).replace(/[^\x20-\x7e]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)}'`;
  const expected = 'Graph base URL: expected https://host[:port][/path] (http:// only for a loopback host such as 127.0.0.1)';
  if (typeof parsed === 'string') throw new ArgumentError('ERR_INVALID_ARGUMENT', `${expected}, received ${shown}: ${parsed}`);
  if (/[?#]/.test(baseUrl)) throw new ArgumentError('ERR_INVALID_ARGUMENT', `${expected}, received ${shown}: it holds a query or fragment`);
  if (parsed.scheme === 'http' && !isLoopback(parsed.host)) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `${expected}, received ${shown}: plain http to a host that is not loopback would send the token in clear`);
  }
  return parsed;
}
