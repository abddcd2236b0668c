// Findings as text lines, shared by `build`, `plan`/`apply` (on stderr) and `verify` (under each device).

import { type Finding } from '@graph-mtls/core';
import { escapeForDisplay as shown } from '@graph-mtls/core/encoding';

export function renderFindings(findings: readonly Finding[], color: boolean): string {
  const paint = (code: number, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const label = { error: paint(31, 'error  '), warning: paint(33, 'warning'), notice: paint(36, 'notice ') } as const;
  return findings
    .map((f) => {
      const where = [f.location?.source, f.location?.line === undefined ? undefined : `line ${f.location.line}`, f.ref].filter((x) => x !== undefined).join(', ');
      return `${label[f.severity]} ${f.code}  ${shown(f.message)}${where ? paint(2, ` [${shown(where)}]`) : ''}\n`;
    })
    .join('');
}
