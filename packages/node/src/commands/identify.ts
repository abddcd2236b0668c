// `graph-mtls identify`: the identity value(s) Entra sees on device certificates.

import { parseArgs } from 'node:util';
import {
  identify,
  isGraphMtlsError,
  matches,
  scanCertificates,
  assertTlsClientAuthParameter,
  type TlsClientAuthParameter,
} from '@graph-mtls/core';
import { escapeForDisplay } from '@graph-mtls/core/encoding';
import { expandInputs, readInput, systemError } from '../inputs.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, oneOf, type CliContext } from './context.ts';

export const IDENTIFY_HELP = `Usage: graph-mtls identify --param <value> [options] <device certificate paths...>

Prints, for each device certificate, the value(s) Entra sees in the field that
tlsClientAuthParameter selects: the RFC 4514 subject DN, or every SAN DNS name, URI,
IP address (canonical text) or email, in certificate order.

Options:
  --param <value>     tls_client_auth_subject_dn, tls_client_auth_san_dns, tls_client_auth_san_uri,
                      tls_client_auth_san_ip or tls_client_auth_san_email (required)
  --expect <value>    check that the certificate matches this expected value, compared as
                      RFC 8705 §2.1.2 says (DN by RFC 4517 distinguishedNameMatch, DNS
                      case-insensitively, IP by bytes, ...)
  --format <format>   text (default) or json
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

export async function identifyCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      param: { type: 'string' },
      expect: { type: 'string' },
      format: { type: 'string' },
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

  const rows: Row[] = [];
  const problems: string[] = [];
  const { files, errors } = await expandInputs(positionals, ctx.cwd);
  for (const e of errors) problems.push(e.message);
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = await readInput(file, ctx.stdin);
    } catch (error) {
      problems.push(systemError(file.source, error).message);
      continue;
    }
    const scanned = scanCertificates(bytes, { source: file.source });
    for (const p of scanned.problems) problems.push(p.error.message);
    for (const entry of scanned.certificates) {
      let match: boolean | null = null;
      if (values.expect !== undefined) {
        try {
          match = matches(entry.certificate, parameter, values.expect).matched;
        } catch (error) {
          if (isGraphMtlsError(error)) throw new UsageError(`--expect: ${error.reason}`);
          throw error;
        }
      }
      let found: readonly string[] = [];
      try {
        found = identify(entry.certificate, parameter).values;
      } catch (error) {
        if (!isGraphMtlsError(error)) throw error;
        problems.push(`${file.source}: ${error.reason}`);
      }
      rows.push({ source: file.source, index: entry.location.index ?? 0, sha256: entry.certificate.sha256, values: found, match });
    }
  }

  if (format === 'json') {
    ctx.stdout.write(JSON.stringify({ version: 1, parameter, certificates: rows, problems }, null, 2) + '\n');
  } else {
    for (const r of rows) {
      const verdict = r.match === null ? '' : r.match ? '  (matches)' : '  (does not match)';
      ctx.stdout.write(`${escapeForDisplay(r.source)}#${r.index + 1}: ${r.values.length === 0 ? '(no value)' : r.values.map((v) => escapeForDisplay(v)).join(', ')}${verdict}\n`);
    }
    for (const p of problems) ctx.stderr.write(`error: ${escapeForDisplay(p)}\n`);
  }
  if (rows.length === 0) return EXIT_USAGE;
  if (problems.length > 0 || rows.some((r) => r.values.length === 0 || r.match === false)) return EXIT_FINDINGS;
  return EXIT_OK;
}
