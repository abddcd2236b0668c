// Rules as a user configures them, the way ESLint, zlint and pkilint users expect: a rule turned
// off, or given another severity, for every input or for the paths of an override. The file
// (`graph-mtls.config.json` in the CLI) is checked against the catalogue here, so an unknown
// rule or a bad value is an error naming its place; matching an override's paths is the
// caller's (the core has no file system), through a predicate.
//
//   { "rules": { "CERT_EXPIRING_SOON": "error" },
//     "overrides": [{ "files": ["legacy/**"], "rules": { "SIGNATURE_WEAK_HASH": "off" } }] }

import { ArgumentError } from '../errors.ts';
import type { Finding, Severity } from './finding.ts';
import { RULES, type RuleCode } from './rules.ts';

/** What a rule is set to: a severity, or `off` (its findings are dropped). */
export type RuleSetting = Severity | 'off';

/** A checked configuration: settings for every input, then overrides applied in order to the paths they match. */
export interface RuleConfig {
  readonly rules: ReadonlyMap<RuleCode, RuleSetting>;
  readonly overrides: readonly { readonly files: readonly string[]; readonly rules: ReadonlyMap<RuleCode, RuleSetting> }[];
}

const SETTINGS: readonly RuleSetting[] = ['off', 'notice', 'warning', 'error'];
const CODES: ReadonlySet<string> = new Set(RULES.map((r) => r.code));

/**
 * Checks a parsed configuration: an object with optional `rules` (rule code to `off`,
 * `notice`, `warning` or `error`) and `overrides` (objects with `files`, a non-empty list of
 * path patterns, and `rules`). Throws ArgumentError naming `source` and the place, with the
 * nearest rule code for a misspelt one.
 * @example
 * const config = readRuleConfig({ rules: { CERT_EXPIRING_SOON: 'error' } });
 * config.rules.get('CERT_EXPIRING_SOON'); // 'error'
 */
export function readRuleConfig(json: unknown, options: { readonly source?: string } = {}): RuleConfig {
  const source = options.source ?? 'configuration';
  const fail = (place: string, expected: string, received: unknown): never => {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `${source}: ${place}: expected ${expected}, received ${describe(received)}`);
  };
  if (!isObject(json)) return fail('the top level', 'an object with "rules" and "overrides"', json);
  for (const key of Object.keys(json)) if (key !== 'rules' && key !== 'overrides' && key !== '$schema') fail(key, 'only "rules" and "overrides"', key);
  const rules = readRules(json['rules'], 'rules', fail);
  const overrides: RuleConfig['overrides'][number][] = [];
  const list = json['overrides'];
  if (list !== undefined) {
    if (!Array.isArray(list)) return fail('overrides', 'a list of { "files": [...], "rules": {...} }', list);
    list.forEach((entry: unknown, i) => {
      const place = `overrides[${i}]`;
      if (!isObject(entry)) return fail(place, 'an object with "files" and "rules"', entry);
      for (const key of Object.keys(entry)) if (key !== 'files' && key !== 'rules') fail(`${place}.${key}`, 'only "files" and "rules"', key);
      const files = entry['files'];
      if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === 'string' && f !== '')) return fail(`${place}.files`, 'a non-empty list of path patterns', files);
      overrides.push({ files: files as string[], rules: readRules(entry['rules'], `${place}.rules`, fail) });
    });
  }
  return { rules, overrides };
}

function readRules(value: unknown, place: string, fail: (place: string, expected: string, received: unknown) => never): Map<RuleCode, RuleSetting> {
  const out = new Map<RuleCode, RuleSetting>();
  if (value === undefined) return out;
  if (!isObject(value)) return fail(place, 'an object of rule codes', value);
  for (const [code, setting] of Object.entries(value)) {
    if (!CODES.has(code)) {
      const near = closestName(code, CODES);
      fail(`${place}.${code}`, `a rule code of the catalogue${near === undefined ? '' : ` (did you mean ${near}?)`}`, code);
    }
    if (!SETTINGS.includes(setting as RuleSetting)) fail(`${place}.${code}`, '"off", "notice", "warning" or "error"', setting);
    out.set(code as RuleCode, setting as RuleSetting);
  }
  return out;
}

/** The settings for one input: the configuration's rules, then each override whose patterns `matches` (in order, later ones win). */
export function rulesFor(config: RuleConfig, matches: (pattern: string) => boolean): ReadonlyMap<RuleCode, RuleSetting> {
  let out: Map<RuleCode, RuleSetting> | undefined;
  for (const o of config.overrides) {
    if (!o.files.some(matches)) continue;
    out ??= new Map(config.rules);
    for (const [code, setting] of o.rules) out.set(code, setting);
  }
  return out ?? config.rules;
}

/** The findings under `settings`: a rule set `off` dropped, another severity given where set; the same array when nothing changes. */
export function applyRuleSettings(findings: readonly Finding[], settings: ReadonlyMap<RuleCode, RuleSetting>): readonly Finding[] {
  if (settings.size === 0 || !findings.some((f) => settings.has(f.code))) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const setting = settings.get(f.code);
    if (setting === undefined || setting === f.severity) out.push(f);
    else if (setting !== 'off') out.push({ ...f, severity: setting });
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.slice(0, 80)}'`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * The name among `names` closest to `word` (case aside, an edit distance of at most a third of
 * its length, and at least 2), for "did you mean": rule codes here, options and commands in the CLI.
 * @example
 * closestName('CERT_EXPIRD', ['CERT_EXPIRED', 'CA_SKI_MISSING']); // 'CERT_EXPIRED'
 */
export function closestName(word: string, names: Iterable<string>): string | undefined {
  const wanted = word.toUpperCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1;
  for (const candidate of names) {
    const d = distance(wanted, candidate.toUpperCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below it. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let low = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < low) low = v;
    }
    if (low >= limit) return limit;
    previous = row;
  }
  return previous[b.length]!;
}
