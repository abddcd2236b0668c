// `graph-mtls build`: the ready-to-POST (or, with --update, ready-to-PATCH) JSON from CA files.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  assertTlsClientAuthParameter,
  buildCreate,
  buildUpdate,
  inputFinding,
  isGraphMtlsError,
  verifyAuthorities,
  type AuthoritySummary,
  type CertificateAuthorityInput,
  type Finding,
} from '@graph-mtls/core';
import { escapeForDisplay } from '@graph-mtls/core/encoding';
import { createVerifier } from '../crypto.ts';
import { expandInputs, readInput } from '../inputs.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError, parseDays, parseNow, useColor, writeOutput, type CliContext } from './context.ts';
import { renderFindings } from '../report/findings-text.ts';

export const BUILD_HELP = `Usage: graph-mtls build --param <value> [options] <CA paths...>
       graph-mtls build --update <current.json> [options] [<CA paths to add...>]

Prints the JSON body for POST /beta/directory/certificateAuthorities/mutualTlsOauthConfigurations
(or, with --update, for PATCH .../{id}) built from CA certificate files (PEM, DER, base64,
PKCS#7; a bundle gives one entry per certificate). isRootAuthority is derived from each
certificate: a root is self-signed (its own key verifies it); a self-issued certificate signed
by another key of the same CA (key rollover) is an intermediate. When Graph would reject the body, nothing is printed on stdout, the reasons and
the 400 body Graph would answer go to stderr, and the exit code is 1.

Options:
  --display-name <name>     displayName of the configuration
  --param <value>           tlsClientAuthParameter (create only): tls_client_auth_subject_dn,
                            tls_client_auth_san_dns, tls_client_auth_san_uri,
                            tls_client_auth_san_ip or tls_client_auth_san_email
  --crl-from-certificate    set certificateRevocationListUrl from each CA's CRL distribution point
  --update <file>           the configuration as GET returned it; prints the PATCH body, and lists
                            the CAs added, kept and removed on stderr
  --remove <sha256|ski>     with --update: remove this CA (repeatable); its SHA-256, or the
                            issuerSki GET shows; a value that matches no CA is an error
  --replace                 with --update: the CA paths are the whole new list
  --now <ISO time>          judge validity at this time (default: now)
  --expiry-warning <days>   warn when a certificate expires within this many days (default: 30)
  --strict                  warnings fail too
  -o, --output <file>       write the JSON to a file instead of stdout
  -h, --help                show this help

Send it:
  az rest --method post --url https://graph.microsoft.com/beta/directory/certificateAuthorities/mutualTlsOauthConfigurations --body @payload.json
  Invoke-MgGraphRequest -Method POST -Uri https://graph.microsoft.com/beta/directory/certificateAuthorities/mutualTlsOauthConfigurations -Body (Get-Content payload.json -Raw)

Examples:
  graph-mtls build --display-name "Door cameras" --param tls_client_auth_san_uri root.pem issuing.pem > payload.json
  graph-mtls build --update current.json new-issuing.pem --remove 3F1C...A0 > patch.json
`;

export async function buildCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      'display-name': { type: 'string' },
      param: { type: 'string' },
      'crl-from-certificate': { type: 'boolean', default: false },
      update: { type: 'string' },
      remove: { type: 'string', multiple: true },
      replace: { type: 'boolean', default: false },
      now: { type: 'string' },
      'expiry-warning': { type: 'string' },
      strict: { type: 'boolean', default: false },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    ctx.stdout.write(BUILD_HELP);
    return EXIT_OK;
  }
  const now = parseNow(values.now);
  const expiryWarningDays = parseDays(values['expiry-warning'], '--expiry-warning');
  const color = useColor(ctx, ctx.stderr);

  if (values.update === undefined && (values.remove !== undefined || values.replace)) throw new UsageError('--remove and --replace go with --update');
  if (values.update === undefined && values.param === undefined) throw new UsageError('expected --param <tlsClientAuthParameter> (or --update <current.json>)');
  if (values.update === undefined && positionals.length === 0) throw new UsageError('expected at least one CA certificate path');

  const { files, errors } = await expandInputs(positionals, ctx.cwd);
  if (errors.length > 0) throw new UsageError(errors.map((e) => e.message).join('; '));
  const cas: CertificateAuthorityInput[] = [];
  for (const file of files) cas.push({ certificate: await readInput(file, ctx.stdin), source: file.source });
  let current: string | undefined;
  if (values.update !== undefined) {
    try {
      current = await readFile(resolve(ctx.cwd, values.update), 'utf8');
    } catch (error) {
      throw new UsageError(`--update ${values.update}: ${(error as Error).message}`);
    }
  }
  const options = {
    now,
    crlUrlFromCertificate: values['crl-from-certificate'],
    // node:crypto tells a root from a key-rollover certificate (self-issued, signed by another key).
    selfSignatures: await verifyAuthorities(cas, createVerifier(), current),
    ...(expiryWarningDays === undefined ? {} : { expiryWarningDays }),
  };

  let body: unknown;
  let findings: readonly Finding[];
  let listing: string | undefined;
  let notFound: readonly string[] = [];
  try {
    if (current === undefined) {
      const parameter = assertTlsClientAuthParameter(values.param);
      const result = buildCreate(
        { ...(values['display-name'] === undefined ? {} : { displayName: values['display-name'] }), tlsClientAuthParameter: parameter, certificateAuthorities: cas },
        options,
      );
      body = result.body;
      findings = result.findings;
      listing = result.authorities
        .map((a) => `  ${a.isRootAuthority ? 'root        ' : 'intermediate'} ${a.subject}  issuerSki ${a.issuerSki ?? '(does not decode)'}${a.issuerSkiComputed ? ' (no SKI extension: computed as .NET does, inferred)' : ''}`)
        .join('\n');
    } else {
      const changes = {
        ...(values['display-name'] === undefined ? {} : { displayName: values['display-name'] }),
        ...(values.param === undefined ? {} : { tlsClientAuthParameter: assertTlsClientAuthParameter(values.param) }),
        ...(values.replace ? { certificateAuthorities: cas } : { add: cas, remove: values.remove ?? [] }),
      };
      const result = buildUpdate(current, changes, options);
      body = result.body;
      findings = result.findings;
      notFound = result.notFound;
      const line = (mark: string, s: AuthoritySummary): string => `  ${mark} ${s.subject === undefined ? '(certificate does not decode)' : escapeForDisplay(s.subject)}  sha256 ${s.sha256?.slice(0, 16) ?? '?'}`;
      listing = [
        ...result.added.map((s) => line('added  ', s)),
        ...result.kept.map((s) => line('kept   ', s)),
        ...result.removed.map((s) => line('removed', s)),
        ...result.notFound.map((n) => `  not found: ${n}`),
        ...(result.changed ? [] : ['  no change: the PATCH body is empty']),
      ].join('\n');
    }
  } catch (error) {
    if (!isGraphMtlsError(error)) throw error;
    if (error.kind !== 'input') throw new UsageError(error.message);
    // The input is not a certificate: Graph would answer 400 too.
    const finding = inputFinding(error, { source: error.source ?? 'input' });
    ctx.stderr.write(renderFindings([finding], color));
    writeGraphAnswer(ctx, finding);
    return EXIT_FINDINGS;
  }

  if (listing) ctx.stderr.write(`${listing}\n`);
  if (findings.length > 0) ctx.stderr.write(renderFindings(findings, color));
  if (notFound.length > 0) {
    ctx.stderr.write(`error: --remove ${notFound.map((n) => escapeForDisplay(n)).join(', ')} matched no CA of the configuration (by SHA-256 or issuerSki); nothing was written\n`);
    return EXIT_FINDINGS;
  }
  const failed = findings.some((f) => f.severity === 'error') || (values.strict && findings.some((f) => f.severity === 'warning'));
  if (failed) {
    const first = findings.find((f) => f.severity === 'error' && f.graphError !== undefined);
    if (first !== undefined) writeGraphAnswer(ctx, first);
    return EXIT_FINDINGS;
  }
  const json = JSON.stringify(body, null, 2) + '\n';
  if (values.output === undefined) ctx.stdout.write(json);
  else await writeOutput(resolve(ctx.cwd, values.output), json);
  return EXIT_OK;
}

function writeGraphAnswer(ctx: CliContext, finding: Finding): void {
  if (finding.graphError !== undefined) ctx.stderr.write(`Graph would answer: 400 Bad Request\n${escapeForDisplay(JSON.stringify(finding.graphError, null, 2), '\n')}\n`);
}

