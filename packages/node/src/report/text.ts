// `--format text` (the default): readable, grouped by file, colour only on a TTY and never
// with NO_COLOR (no-color.org), a summary line at the end.

import type { Finding, Severity } from '@graph-mtls/core';
import type { LintRun } from '../lint-files.ts';

export interface TextOptions {
  readonly color: boolean;
  /** Only errors (and the summary). */
  readonly quiet?: boolean;
}

const SGR = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1, green: 32 } as const;

export function renderText(run: LintRun, options: TextOptions): string {
  const paint = (style: keyof typeof SGR, text: string): string => (options.color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  const severity: Record<Severity, string> = {
    error: paint('red', 'error  '),
    warning: paint('yellow', 'warning'),
    notice: paint('cyan', 'notice '),
  };
  const keep = (f: Finding): boolean => !options.quiet || f.severity === 'error';
  const lines: string[] = [];
  const finding = (f: Finding, indent: string): void => {
    const ref = f.ref === undefined ? '' : paint('dim', ` [${f.ref}]`);
    lines.push(`${indent}${severity[f.severity]} ${paint('bold', f.code)}  ${f.message}${ref}`);
    lines.push(`${indent}        ${paint('dim', f.citation)}`);
    if (f.graphError !== undefined) lines.push(`${indent}        ${paint('dim', `Graph would answer 400: ${JSON.stringify(f.graphError)}`)}`);
  };
  for (const file of run.files) {
    const before = lines.length;
    lines.push(paint('bold', file.source));
    if (file.type === 'certificates') {
      for (const i of file.report.inputs) for (const f of i.findings.filter(keep)) finding(f, '  ');
      for (const c of file.report.certificates) {
        const kind = c.role === 'device' ? 'device' : c.isRootAuthority ? 'root CA' : 'intermediate CA';
        const where = c.line === null ? `#${c.index + 1}` : `line ${c.line}`;
        const shown = c.findings.filter(keep);
        if (options.quiet && shown.length === 0) continue;
        lines.push(`  ${c.subject || '(empty subject)'} ${paint('dim', `(${kind}, ${where}, sha256 ${c.sha256.slice(0, 16)})`)}`);
        if (shown.length === 0) lines.push(`    ${paint('green', 'ok')}`);
        for (const f of shown) finding(f, '    ');
      }
    } else {
      const shown = file.findings.filter(keep);
      if (shown.length === 0) lines.push(`  ${paint('green', 'ok')}${file.type === 'payload' ? paint('dim', ` (${file.kind} payload)`) : ''}`);
      for (const f of shown) finding(f, '  ');
    }
    if (options.quiet && lines.length === before + 1) lines.length = before;
    else lines.push('');
  }
  const s = run.summary;
  const status = s.errors > 0 ? paint('red', '✖') : paint('green', '✔');
  lines.push(`${status} ${s.certificates} certificate${s.certificates === 1 ? '' : 's'} in ${run.files.length} input${run.files.length === 1 ? '' : 's'}: ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.notices} notice${s.notices === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}
