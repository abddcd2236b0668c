// `graph-mtls lint`: pre-flight lint of CA certificates and payload files for CI.

import { resolve } from 'node:path';
import { webcrypto } from 'node:crypto';
import { parseArgs } from 'node:util';
import { assertTlsClientAuthParameter, createWebCryptoVerifier, isGraphMtlsError, type SubtleCryptoLike, type TlsClientAuthParameter } from '@graph-mtls/core';
import { expandInputs } from '../inputs.ts';
import { lintFile, summarizeRun, unreadable, type FileReport, type LintRun } from '../lint-files.ts';
import { renderGithub } from '../report/github.ts';
import { renderJson } from '../report/json.ts';
import { renderSarif } from '../report/sarif.ts';
import { renderText } from '../report/text.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, VERSION, oneOf, parseDays, parseNow, useColor, writeOutput, type CliContext } from './context.ts';

export const LINT_HELP = `Usage: graph-mtls lint [options] <paths...>

Checks CA certificates (and device certificates, with --param) the way Microsoft Graph's
mutualTlsOauthConfiguration does, and payload JSON files as Graph would parse them, before
anything is sent. Paths are files, directories (read recursively), globs, or - for stdin.
Certificates may be PEM (bundles too), DER, bare base64 or PKCS#7 (.p7b); files whose
content starts with { or [ are payloads.

Options:
  --profile <name>          rule profile (default: graph)
  --now <ISO time>          judge validity at this time (default: now)
  --expiry-warning <days>   warn when a certificate expires within this many days (default: 30)
  --param <value>           tlsClientAuthParameter: certificates that are not CAs are checked as
                            device certificates and must carry this field (tls_client_auth_subject_dn,
                            tls_client_auth_san_dns, _san_uri, _san_ip, _san_email)
  --payload <kind>          judge JSON payloads as create, update or auto (default: auto, i.e.
                            create when the body has tlsClientAuthParameter)
  --strict                  warnings fail too (exit 1)
  --format <format>         text (default), json, sarif or github
  --output <file>           write the report to a file instead of stdout
  --quiet                   text format: show errors only
  -h, --help                show this help

Exit codes: 0 no errors (warnings allowed unless --strict); 1 error findings;
2 usage error, or nothing readable at all.

Examples:
  graph-mtls lint certs/
  graph-mtls lint --format sarif --output graph-mtls.sarif 'pki/**/*.pem' payload.json
  cat root.pem | graph-mtls lint -
  graph-mtls lint --param tls_client_auth_san_uri devices/
`;

export async function lintCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      profile: { type: 'string' },
      now: { type: 'string' },
      'expiry-warning': { type: 'string' },
      param: { type: 'string' },
      payload: { type: 'string' },
      strict: { type: 'boolean', default: false },
      format: { type: 'string' },
      output: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    ctx.stdout.write(LINT_HELP);
    return EXIT_OK;
  }
  oneOf(values.profile, ['graph'], '--profile', 'graph');
  const format = oneOf(values.format, ['text', 'json', 'sarif', 'github'] as const, '--format', 'text');
  const payloadKind = oneOf(values.payload, ['auto', 'create', 'update'] as const, '--payload', 'auto');
  const now = parseNow(values.now);
  const expiryWarningDays = parseDays(values['expiry-warning'], '--expiry-warning');
  let parameter: TlsClientAuthParameter | undefined;
  if (values.param !== undefined) {
    try {
      parameter = assertTlsClientAuthParameter(values.param);
    } catch (error) {
      throw new UsageError(`--param: ${isGraphMtlsError(error) ? error.reason : String(error)}`);
    }
  }
  if (positionals.length === 0) throw new UsageError('expected at least one path (a file, a directory, a glob, or - for stdin)');

  const { files, errors } = await expandInputs(positionals, ctx.cwd);
  const verifier = createWebCryptoVerifier(webcrypto.subtle as unknown as SubtleCryptoLike);
  const reports: FileReport[] = errors.map(unreadable);
  const progress = format === 'text' && ctx.stderr.isTTY === true && files.length > 20;
  let done = 0;
  for (const file of files) {
    reports.push(
      await lintFile(file, {
        now,
        verifier,
        payloadKind,
        stdin: ctx.stdin,
        ...(parameter === undefined ? {} : { parameter }),
        ...(expiryWarningDays === undefined ? {} : { expiryWarningDays }),
      }),
    );
    done++;
    if (progress && (done % 50 === 0 || done === files.length)) ctx.stderr.write(`\rgraph-mtls: ${done}/${files.length} files`);
  }
  if (progress) ctx.stderr.write('\r\x1b[K');
  const run: LintRun = summarizeRun(now, reports);

  const target = values.output === undefined ? ctx.stdout : undefined;
  const rendered =
    format === 'json' ? renderJson(run) :
    format === 'sarif' ? renderSarif(run, VERSION) :
    format === 'github' ? renderGithub(run) :
    renderText(run, { color: target !== undefined && useColor(ctx, target), quiet: values.quiet });
  if (values.output === undefined) ctx.stdout.write(rendered);
  else await writeOutput(resolve(ctx.cwd, values.output), rendered);

  if (!run.anythingReadable) return EXIT_USAGE;
  if (run.summary.errors > 0 || (values.strict && run.summary.warnings > 0)) return EXIT_FINDINGS;
  return EXIT_OK;
}
