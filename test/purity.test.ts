// The purity gate of @graph-mtls/core: bundled for a neutral platform, it imports no Node
// built-in, refers to no host global (only ES2022's), and evaluating it changes nothing in a
// fresh QuickJS context beyond the one name the IIFE assigns.

import { builtinModules, createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { getQuickJS, shouldInterruptAfterDeadline } from 'quickjs-emscripten';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Every entry point of the package: the gate covers what any of them can bring in. */
const ENTRIES = ['packages/core/src/index.ts', 'packages/core/src/graph/index.ts', 'packages/core/src/verify/index.ts', 'packages/core/src/encoding/index.ts'];
const GLOBAL_NAME = '__core';

/** The host globals the brief forbids, as identifier references (member names like `this.process(` don't count). */
const FORBIDDEN: readonly { readonly label: string; readonly pattern: RegExp }[] = [
  ['Buffer', /(?<![\w$.])Buffer(?![\w$])/g],
  ['process', /(?<![\w$.])process(?![\w$])(?!\s*\([^()]*\)\s*\{)/g],
  ['require(', /(?<![\w$.])require\s*\(/g],
  ['__dirname', /(?<![\w$.])__dirname(?![\w$])/g],
  ['__filename', /(?<![\w$.])__filename(?![\w$])/g],
  ['global.', /(?<![\w$.])global\s*\./g],
  ['setTimeout', /(?<![\w$.])setTimeout(?![\w$])/g],
  ['setInterval', /(?<![\w$.])setInterval(?![\w$])/g],
  ['TextDecoder', /(?<![\w$.])TextDecoder(?![\w$])/g],
  ['TextEncoder', /(?<![\w$.])TextEncoder(?![\w$])/g],
  ['atob', /(?<![\w$.])atob(?![\w$])/g],
  ['btoa', /(?<![\w$.])btoa(?![\w$])/g],
  ['console.', /(?<![\w$.])console\s*\./g],
  ['fetch(', /(?<![\w$.])fetch\s*\(/g],
  ['Intl.', /(?<![\w$.])Intl\s*\./g],
  ['new URL(', /\bnew\s+URL\s*\(/g],
  ['import(', /(?<![\w$.])import\s*\(/g],
].map(([label, pattern]) => ({ label: label as string, pattern: pattern as RegExp }));

interface Bundle {
  readonly text: string;
  readonly metafile: Metafile;
}

async function bundle(format: 'esm' | 'iife'): Promise<Bundle> {
  const result = await build({
    absWorkingDir: ROOT,
    stdin: { contents: ENTRIES.map((e) => `export * from './${e}';`).join('\n'), resolveDir: ROOT, sourcefile: 'entries.js' },
    bundle: true,
    write: false,
    metafile: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format,
    ...(format === 'iife' ? { globalName: GLOBAL_NAME } : {}),
    target: 'es2022',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output');
  return { text: output.text, metafile: result.metafile };
}

/** Which input file a bundle offset comes from: unminified esbuild output marks each module with a `// path` line. */
function sourceOf(b: Bundle): (offset: number) => string {
  const marks: [number, string][] = [];
  const inputs = new Set(Object.keys(b.metafile.inputs));
  for (const m of b.text.matchAll(/^\/\/ (\S+)$/gm)) if (inputs.has(m[1]!)) marks.push([m.index, m[1]!]);
  return (offset) => {
    let file = '(bundle preamble)';
    for (const [at, path] of marks) if (at <= offset) file = path;
    return file;
  };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Every free name the bundle refers to that ES2022 does not declare, found by TypeScript's
 * checker over the bundle with `lib: ["ES2022"]` and no types: "Cannot find name" and
 * `globalThis.x` on a name ES2022 lacks.
 */
function undeclaredGlobals(text: string): { name: string; offset: number }[] {
  const file = '/virtual/core.bundle.js';
  const options: ts.CompilerOptions = { allowJs: true, checkJs: true, noEmit: true, lib: ['lib.es2022.d.ts'], types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, noResolve: true, skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, text, language, true, ts.ScriptKind.JS) : getSourceFile.call(host, name, language, ...rest));
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  const program = ts.createProgram([file], options, host);
  const cannotFindName = new Set([2304, 2552, 2580, 2581, 2582, 2583, 2584, 2591, 2592, 2593, 2662, 2663]);
  const found: { name: string; offset: number }[] = [];
  for (const d of program.getSemanticDiagnostics(program.getSourceFile(file))) {
    if (d.start === undefined || d.length === undefined) continue;
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const onGlobalThis = (d.code === 2339 || d.code === 7017) && message.includes('typeof globalThis');
    if (cannotFindName.has(d.code) || onGlobalThis) found.push({ name: text.slice(d.start, d.start + d.length), offset: d.start });
  }
  return found;
}

interface ImportReport {
  readonly error: unknown;
  readonly reads: string[];
  readonly changed: string[];
  readonly defined: string;
  readonly exports: number;
  readonly parseCertificate: string;
}

const HOST_NAMES = ['console', 'process', 'Buffer', 'global', 'window', 'self', 'navigator', 'document', 'crypto', 'performance', 'TextDecoder', 'TextEncoder', 'atob', 'btoa', 'URL', 'fetch', 'Intl', 'setTimeout', 'setInterval', 'queueMicrotask', 'structuredClone', 'require', 'module', 'exports', 'Deno', 'Bun'];

// Traps on host names record any read (`typeof x` included); a snapshot of every global and of
// the intrinsics' and their prototypes' own properties shows any definition, replacement or patch.
const WATCH = `(() => {
  const reads = [];
  for (const name of ${JSON.stringify(HOST_NAMES)}) {
    if (name in globalThis) throw new Error('QuickJS unexpectedly defines ' + name);
    Object.defineProperty(globalThis, name, { configurable: true, enumerable: false, get() { reads.push(name); return undefined; } });
  }
  const intrinsics = Object.getOwnPropertyNames(globalThis).map((n) => Object.getOwnPropertyDescriptor(globalThis, n).value).filter((v) => (typeof v === 'function' || typeof v === 'object') && v !== null);
  const targets = [globalThis, ...intrinsics, ...intrinsics.map((v) => v.prototype).filter((p) => typeof p === 'object' && p !== null)];
  const snapshot = () => targets.map((t) => Reflect.ownKeys(t).map((k) => [k, Object.getOwnPropertyDescriptor(t, k)]));
  const same = (a, b) => a.length === b.length && a.every(([k, d], i) => b[i][0] === k && ['value', 'get', 'set', 'writable', 'enumerable', 'configurable'].every((f) => Object.is(d[f], b[i][1][f])));
  const before = snapshot();
  return { check(error) {
    const after = snapshot();
    const changed = new Set();
    targets.forEach((t, i) => {
      const b = t === globalThis ? after[i].filter(([k]) => k !== ${JSON.stringify(GLOBAL_NAME)}) : after[i];
      if (!same(before[i], b)) changed.add(t === globalThis ? 'globalThis' : Object.prototype.hasOwnProperty.call(t, 'constructor') && typeof t.constructor === 'function' && t.constructor.prototype === t ? t.constructor.name + '.prototype' : String(t.name || i));
    });
    const api = typeof ${GLOBAL_NAME} === 'object' ? ${GLOBAL_NAME} : {};
    return JSON.stringify({ error: error === undefined ? null : String(error), reads, changed: [...changed], defined: typeof ${GLOBAL_NAME}, exports: Object.keys(api).length, parseCertificate: typeof api.parseCertificate });
  } };
})()`;

/** Evaluates `code` as a classic script in a fresh QuickJS context and reports what it touched. */
async function evaluateWatched(code: string): Promise<ImportReport> {
  const quickjs = await getQuickJS();
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(64 * 1024 * 1024);
  runtime.setMaxStackSize(1024 * 1024);
  runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + 10_000));
  const vm = runtime.newContext();
  try {
    const watcher = vm.unwrapResult(vm.evalCode(WATCH, 'watch.js', { type: 'global' }));
    const evaluated = vm.evalCode(code, 'core.iife.js', { type: 'global' });
    const error = evaluated.error ?? vm.undefined;
    if (evaluated.error === undefined) evaluated.value.dispose();
    const checked = vm.callMethod(watcher, 'check', [error]);
    evaluated.error?.dispose();
    watcher.dispose();
    const handle = vm.unwrapResult(checked);
    const report = JSON.parse(vm.getString(handle)) as ImportReport;
    handle.dispose();
    return report;
  } finally {
    vm.dispose();
    runtime.dispose();
  }
}

describe('purity of @graph-mtls/core', () => {
  let esm: Bundle;
  let iife: Bundle;

  beforeAll(async () => {
    [esm, iife] = await Promise.all([bundle('esm'), bundle('iife')]);
  });

  it('imports no Node built-in', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const offending: string[] = [];
    for (const [input, { imports }] of Object.entries(esm.metafile.inputs)) {
      if (input.startsWith('node:') || builtins.has(input)) offending.push(`${input} is itself a built-in`);
      for (const i of imports) if (i.path.startsWith('node:') || builtins.has(i.path) || builtins.has(i.original ?? '') || i.external === true) offending.push(`${input} imports ${i.original ?? i.path}${i.external === true ? ' (external)' : ''}`);
    }
    expect(offending, `the core bundle reaches outside ES2022:\n${offending.join('\n')}`).toEqual([]);
    // Only the core's sources and its declared dependencies are bundled.
    const dependencies = Object.keys((createRequire(import.meta.url)('../packages/core/package.json') as { dependencies?: Record<string, string> }).dependencies ?? {});
    const strays = Object.keys(esm.metafile.inputs).filter((input) => input !== 'entries.js' && !input.startsWith('packages/core/src/') && !dependencies.some((d) => input.includes(`/node_modules/${d}/`)));
    expect(strays, `bundled files that are neither core sources nor declared dependencies:\n${strays.join('\n')}`).toEqual([]);
  });

  it('refers to none of the forbidden host globals', () => {
    const from = sourceOf(esm);
    const offending: string[] = [];
    for (const { label, pattern } of FORBIDDEN) {
      for (const m of esm.text.matchAll(pattern)) {
        offending.push(`\`${label}\` in ${from(m.index)} (bundle line ${lineOf(esm.text, m.index)}: ${esm.text.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\s+/g, ' ')})`);
      }
    }
    expect(offending, `the core bundle refers to host globals:\n${offending.join('\n')}`).toEqual([]);
  });

  it('refers to no global beyond ES2022 (TypeScript, lib ES2022, no types)', () => {
    const from = sourceOf(esm);
    const offending = undeclaredGlobals(esm.text).map(({ name, offset }) => `\`${name}\` in ${from(offset)} (bundle line ${lineOf(esm.text, offset)})`);
    expect(offending, `the core bundle refers to names ES2022 does not define:\n${offending.join('\n')}`).toEqual([]);
  });

  it('the gate has teeth: a stray global is caught and attributed', () => {
    const stray: Bundle = {
      text: `// packages/core/src/one.ts\nconst ok = new Uint8Array(1);\n// packages/core/src/stray.ts\nconst d = new TextDecoder(); console.log(process.env, d, globalThis.crypto, ok);\nclass H { process(v) { return v; } }\n`,
      metafile: { inputs: { 'packages/core/src/one.ts': { bytes: 0, imports: [] }, 'packages/core/src/stray.ts': { bytes: 0, imports: [] } }, outputs: {} },
    };
    const from = sourceOf(stray);
    const hits = FORBIDDEN.flatMap(({ label, pattern }) => [...stray.text.matchAll(pattern)].map((m) => [label, from(m.index)]));
    expect(hits).toEqual([['process', 'packages/core/src/stray.ts'], ['TextDecoder', 'packages/core/src/stray.ts'], ['console.', 'packages/core/src/stray.ts']]);
    expect(undeclaredGlobals(stray.text).map((g) => [g.name, from(g.offset)])).toEqual([
      ['TextDecoder', 'packages/core/src/stray.ts'],
      ['console', 'packages/core/src/stray.ts'],
      ['process', 'packages/core/src/stray.ts'],
      ['crypto', 'packages/core/src/stray.ts'],
    ]);
  });

  it('evaluating it touches no global: defines only the IIFE name, mutates nothing, reads no host name', async () => {
    const report = await evaluateWatched(iife.text);
    expect(report.error, 'evaluating the core bundle threw inside QuickJS').toBeNull();
    expect(report.reads, `host names read while evaluating the core: ${report.reads.join(', ')}`).toEqual([]);
    expect(report.changed, `globals changed while evaluating the core: ${report.changed.join(', ')}`).toEqual([]);
    expect(report).toMatchObject({ defined: 'object', parseCertificate: 'function' });
    expect(report.exports).toBeGreaterThan(20);
  });

  it('the import-time check has teeth: a probe, a new global and a patched prototype are caught', async () => {
    const report = await evaluateWatched(`${iife.text}\nif (typeof process !== 'undefined') {}\nvar leaked = 1;\nArray.prototype.polluted = 1;\n`);
    expect(report.error).toBeNull();
    expect(report.reads).toEqual(['process']);
    expect(report.changed).toEqual(expect.arrayContaining(['globalThis', 'Array.prototype']));
  });
});
