// `graph-mtls rules`: the rule catalogue.

import { parseArgs } from 'node:util';
import { RULES } from '@graph-mtls/core';
import { EXIT_OK, oneOf, type CliContext } from './context.ts';

export const RULES_HELP = `Usage: graph-mtls rules [--format text|json]

Lists every rule: its code, severity, what it applies to, how sure we are that Graph rejects
what it finds (documented, inferred, best-practice), whether Graph answers 400, and its
citation.

Options:
  -f, --format <format>
                      text (default) or json
  -h, --help          show this help
`;

export function rulesCommand(args: readonly string[], ctx: CliContext): number {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: { format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    ctx.stdout.write(RULES_HELP);
    return EXIT_OK;
  }
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  if (format === 'json') {
    ctx.stdout.write(JSON.stringify({ version: 1, rules: RULES }, null, 2) + '\n');
    return EXIT_OK;
  }
  for (const r of RULES) {
    ctx.stdout.write(`${r.code}  ${r.severity}, ${r.appliesTo}, ${r.evidence}${r.rejects ? ', Graph 400' : ''}\n  ${r.description}\n  ${r.citation}\n\n`);
  }
  return EXIT_OK;
}
