// `graph-mtls identify`: the identity value(s) Entra sees on device certificates.

import { parseArgs } from 'node:util';
import {
  dottedTypeNames,
  identify,
  InputError,
  isGraphMtlsError,
  matches,
  scanCertificates,
  assertTlsClientAuthParameter,
  type Certificate,
  type TlsClientAuthParameter,
} from '@graph-mtls/core';
import { escapeForDisplay } from '@graph-mtls/core/encoding';
import { expandInputs, readInput, systemError } from '../inputs.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, oneOf, type CliContext } from './context.ts';

export const IDENTIFY_HELP = `Usage: graph-mtls identify --param <value> [options] <device certificate paths...>

Prints, for each device certificate, the value(s) Entra sees in the field that
tlsClientAuthParameter selects: the RFC 4514 subject DN, or every SAN DNS name, URI,
IP address (canonical text) or email, in certificate order. A subjectAltName with one
malformed entry is refused whole: no SAN value of that certificate is printed, and the
error names the entry, its type and why.

Options:
  --param <value>     tls_client_auth_subject_dn, tls_client_auth_san_dns, tls_client_auth_san_uri,
                      tls_client_auth_san_ip or tls_client_auth_san_email (required)
  --expect <value>    check that the certificate matches this expected value, compared as
                      RFC 8705 §2.1.2 says (DN by RFC 4517 distinguishedNameMatch, DNS
                      case-insensitively, IP by bytes, ...)
  -f, --format <format>
                      text (default) or json
  -h, --help          show this help

Exit codes: 0 every certificate has a value (and matches --expect); 1 one has none or does not
match; 2 usage error, or nothing readable.

Examples:
  graph-mtls identify --param tls_client_auth_san_uri device.pem
  graph-mtls identify --param tls_client_auth_subject_dn --expect "CN=door-camera-0042,O=Contoso Ltd" device.pem
`;

interface Row {
  source: string;
  index: number;
  sha256: string;
  values: readonly string[];
  match: boolean | null;
}

/**
 * What went wrong, in JSON v2 (v1 had bare strings): a stable code (an InputError code such as
 * ERR_PEM_MALFORMED, a system code such as ENOENT, NO_MATCH or NOT_A_FILE), the message, the
 * input it is about and, when it is about one certificate or PEM block there, its 0-based index.
 */
interface Problem {
  code: string;
  message: string;
  source: string;
  index: number | null;
}

/** A row, and what the text output says of it besides its values. */
interface Line {
  readonly row: Row;
  /** Said after the values: the names of dotted-OID attribute types. */
  readonly note: string;
  /** The subjectAltName does not decode. */
  readonly unreadable: boolean;
}

/** The identify command's JSON version: 2 since problems are objects. */
const JSON_VERSION = 2;

// The strict choice, said where it applies: one bad entry hides the good ones.
const SAN_REFUSED = 'no value of this subjectAltName is reported, its valid entries included (a subjectAltName that does not decode is refused whole)';

/** "  (2.5.4.97 is organizationIdentifier)" for the subject's types RFC 4514 writes as dotted OIDs. */
function subjectNotes(cert: Certificate): string {
  const notes = dottedTypeNames(cert.subject);
  return notes.length === 0 ? '' : `  (${notes.join(', ')})`;
}

/** matches(), with a refused --expect value as a usage error; an unreadable certificate throws its InputError. */
function expectMatch(cert: Certificate, parameter: TlsClientAuthParameter, expected: string): boolean {
  try {
    return matches(cert, parameter, expected).matched;
  } catch (error) {
    if (isGraphMtlsError(error) && !(error instanceof InputError)) throw new UsageError(`--expect: ${error.reason}`);
    throw error;
  }
}

export async function identifyCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      param: { type: 'string' },
      expect: { type: 'string' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    ctx.stdout.write(IDENTIFY_HELP);
    return EXIT_OK;
  }
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  if (values.param === undefined) throw new UsageError('expected --param <tlsClientAuthParameter>');
  let parameter: TlsClientAuthParameter;
  try {
    parameter = assertTlsClientAuthParameter(values.param);
  } catch (error) {
    throw new UsageError(`--param: ${isGraphMtlsError(error) ? error.reason : String(error)}`);
  }
  if (positionals.length === 0) throw new UsageError('expected at least one device certificate path');

  const lines: Line[] = [];
  const problems: Problem[] = [];
  const { files, errors } = await expandInputs(positionals, ctx.cwd);
  for (const e of errors) problems.push({ code: e.code, message: e.message, source: e.source, index: null });
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = await readInput(file, ctx.stdin);
    } catch (error) {
      const e = systemError(file.source, error);
      problems.push({ code: e.code, message: e.message, source: e.source, index: null });
      continue;
    }
    let scanned: ReturnType<typeof scanCertificates>;
    try {
      scanned = scanCertificates(bytes, { source: file.source });
    } catch (error) {
      // The input as a whole is refused (too large, too many problems).
      if (!(error instanceof InputError)) throw error;
      problems.push({ code: error.code, message: error.message, source: file.source, index: null });
      continue;
    }
    for (const p of scanned.problems) problems.push({ code: p.error.code, message: p.error.message, source: file.source, index: p.location.index ?? null });
    for (const entry of scanned.certificates) {
      const cert = entry.certificate;
      const row: Row = { source: file.source, index: entry.location.index ?? 0, sha256: cert.sha256, values: [], match: null };
      let note = '';
      let unreadable = false;
      try {
        // --expect first, so a value it refuses is a usage error whatever the certificate holds.
        if (values.expect !== undefined) row.match = expectMatch(cert, parameter, values.expect);
        row.values = identify(cert, parameter).values;
        if (parameter === 'tls_client_auth_subject_dn') note = subjectNotes(cert);
      } catch (error) {
        // Only the subjectAltName is decoded here (the subject was read with the certificate).
        if (!(error instanceof InputError)) throw error;
        if (values.expect !== undefined) row.match = false;
        unreadable = true;
        problems.push({ code: error.code, message: `${row.source}#${row.index + 1}: ${error.reason}; ${SAN_REFUSED}`, source: row.source, index: row.index });
      }
      lines.push({ row, note, unreadable });
    }
  }

  const rows = lines.map((l) => l.row);
  if (format === 'json') {
    ctx.stdout.write(JSON.stringify({ version: JSON_VERSION, parameter, certificates: rows, problems }, null, 2) + '\n');
  } else {
    for (const { row: r, note, unreadable } of lines) {
      const shown = r.values.length > 0 ? r.values.map((v) => escapeForDisplay(v)).join(', ') : unreadable ? '(no value: the subjectAltName does not decode)' : '(no value)';
      const verdict = r.match === null ? '' : r.match ? '  (matches)' : '  (does not match)';
      ctx.stdout.write(`${escapeForDisplay(r.source)}#${r.index + 1}: ${shown}${note}${verdict}\n`);
    }
    for (const p of problems) ctx.stderr.write(`error: ${escapeForDisplay(p.message)}\n`);
  }
  if (rows.length === 0) return EXIT_USAGE;
  if (problems.length > 0 || rows.some((r) => r.values.length === 0 || r.match === false)) return EXIT_FINDINGS;
  return EXIT_OK;
}
