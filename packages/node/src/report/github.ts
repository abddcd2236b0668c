// `--format github`: GitHub Actions workflow commands (`::error file=…,line=…,title=…::…`),
// escaped as the Actions toolkit escapes them (% CR LF in data; also : and , in properties).

import type { Finding, Severity } from '@graph-mtls/core';
import { fileFindings, type LintRun } from '../lint-files.ts';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', notice: 'notice' };

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(run: LintRun): string {
  const lines: string[] = [];
  for (const file of run.files) for (const f of fileFindings(file)) lines.push(annotation(file.source, f));
  const s = run.summary;
  lines.push(`graph-mtls: ${s.certificates} certificates, ${s.errors} errors, ${s.warnings} warnings, ${s.notices} notices`);
  return lines.join('\n') + '\n';
}

function annotation(source: string, f: Finding): string {
  const props = [`file=${escapeProperty(f.location?.source ?? source)}`];
  if (f.location?.line !== undefined) props.push(`line=${f.location.line}`);
  props.push(`title=${escapeProperty(f.code)}`);
  const graph = f.graphError === undefined ? '' : `\nGraph would answer 400: ${JSON.stringify(f.graphError)}`;
  const ref = f.ref === undefined ? '' : ` [${f.ref}]`;
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(`${f.message}${ref} (${f.citation})${graph}`)}`;
}
