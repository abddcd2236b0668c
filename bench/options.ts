// The benchmark's command line (see bench/README.md).

import { parseArgs } from 'node:util';
import { LIBRARIES, type Library } from './libraries.ts';

export interface Options {
  readonly quick: boolean;
  readonly count: number;
  readonly seed: number;
  readonly libs: readonly Library[];
  readonly children: boolean;
  readonly json: string | undefined;
  readonly slowSample: number | undefined;
  /** Other libraries are measured on (what they read of) the first `subset` certificates. */
  readonly subset: number;
  /** Slow libraries' agreement runs on the first `slowAgreement` certificates... */
  readonly slowAgreement: number;
  /** ...unless this is set. */
  readonly agreeAll: boolean;
  /** The CLI end to end (bench/cli.ts); needs `pnpm build`. */
  readonly cli: boolean;
}

export function options(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      count: { type: 'string' },
      seed: { type: 'string', default: '1' },
      libs: { type: 'string' },
      'no-children': { type: 'boolean', default: false },
      json: { type: 'string' },
      'slow-sample': { type: 'string' },
      subset: { type: 'string' },
      'agree-all': { type: 'boolean', default: false },
      'no-cli': { type: 'boolean', default: false },
    },
  });
  const quick = values.quick === true;
  const ids = values.libs?.split(',').map((s) => s.trim());
  const libs = ids ? LIBRARIES.filter((l) => l.id === 'ours' || l.id === 'node' || ids.includes(l.id)) : LIBRARIES;
  return {
    quick,
    count: Number(values.count ?? (quick ? 300 : 10_000)),
    seed: Number(values.seed),
    libs,
    children: values['no-children'] !== true,
    json: values.json,
    slowSample: values['slow-sample'] ? Number(values['slow-sample']) : quick ? 100 : undefined,
    subset: Number(values.subset ?? (quick ? 200 : 2000)),
    slowAgreement: quick ? 300 : 3000,
    agreeAll: values['agree-all'] === true,
    cli: values['no-cli'] !== true,
  };
}
