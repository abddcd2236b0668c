// The conformance suite inside QuickJS-WASM, a bare ES engine (no console, TextDecoder, atob,
// URL, crypto): the suite and the core are bundled by esbuild the way an embedder would
// (platform neutral, main fields module,main), evaluated in a fresh context with memory, stack
// and time limits, and must give expected.json exactly, self-signatures "not-verified".

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { getQuickJS, shouldInterruptAfterDeadline, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutVerifier } from './suite.ts';

const ENTRY = fileURLToPath(new URL('./quickjs-entry.ts', import.meta.url));
const CORE = fileURLToPath(new URL('../../packages/core/src/', import.meta.url));
const FIXTURES = new URL('./fixtures.json', import.meta.url);
const EXPECTED = new URL('./expected.json', import.meta.url);
const GLOBAL_NAME = '__conformance';
const MEMORY_LIMIT = 256 * 1024 * 1024;
const STACK_LIMIT = 1024 * 1024;
const DEADLINE_MS = 20_000;

/** `@graph-mtls/core` is the source, not dist: what is tested is what is in the tree. */
const coreSource: Plugin = {
  name: 'core-source',
  setup(b) {
    b.onResolve({ filter: /^@graph-mtls\/core(\/graph|\/encoding)?$/ }, (args) => ({ path: `${CORE}${args.path.slice('@graph-mtls/core'.length + 1) || '.'}/index.ts` }));
  },
};

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'iife',
    globalName: GLOBAL_NAME,
    target: 'es2022',
    plugins: [coreSource],
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output');
  return output.text;
}

/** Unwraps a result, turning a QuickJS exception into a host Error with its message and stack. */
function unwrap(vm: QuickJSContext, result: ReturnType<QuickJSContext['evalCode']>, what: string): QuickJSHandle {
  if (result.error !== undefined) {
    const dumped: unknown = vm.dump(result.error);
    result.error.dispose();
    throw new Error(`${what} threw inside QuickJS: ${JSON.stringify(dumped)}`);
  }
  return result.value;
}

/** Evaluates code that yields a string. */
function evalString(vm: QuickJSContext, code: string): string {
  const handle = unwrap(vm, vm.evalCode(code, 'probe.js', { type: 'global' }), code);
  try {
    return vm.getString(handle);
  } finally {
    handle.dispose();
  }
}

describe('conformance (QuickJS-WASM)', () => {
  let runtime: QuickJSRuntime;
  let vm: QuickJSContext;
  let code: string;

  beforeAll(async () => {
    const [quickjs, text] = await Promise.all([getQuickJS(), bundle()]);
    code = text;
    runtime = quickjs.newRuntime();
    runtime.setMemoryLimit(MEMORY_LIMIT);
    runtime.setMaxStackSize(STACK_LIMIT);
    runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + DEADLINE_MS));
    vm = runtime.newContext();
  });

  afterAll(() => {
    vm?.dispose();
    runtime?.dispose();
  });

  it('runs in a bare engine: no console, TextDecoder, atob, URL, crypto', () => {
    const probe = `JSON.stringify([typeof console, typeof TextDecoder, typeof TextEncoder, typeof atob, typeof btoa, typeof URL, typeof crypto, typeof Buffer, typeof process, typeof Intl, typeof fetch, typeof setTimeout])`;
    expect(JSON.parse(evalString(vm, probe))).toEqual(Array(12).fill('undefined'));
  });

  it('gives exactly the expected results (self-signatures not verified)', async () => {
    const fixtures = readFileSync(FIXTURES, 'utf8');
    const expected = withoutVerifier(JSON.parse(readFileSync(EXPECTED, 'utf8')) as Parameters<typeof withoutVerifier>[0]);

    unwrap(vm, vm.evalCode(code, 'conformance.iife.js', { type: 'global' }), 'the bundle').dispose();
    const run = unwrap(vm, vm.evalCode(`${GLOBAL_NAME}.runConformanceJson`, 'get.js', { type: 'global' }), 'runConformanceJson lookup');
    const input = vm.newString(fixtures);
    let promise: QuickJSHandle;
    try {
      promise = unwrap(vm, vm.callFunction(run, vm.undefined, input), 'runConformanceJson');
    } finally {
      input.dispose();
      run.dispose();
    }
    const settled = vm.resolvePromise(promise);
    promise.dispose();
    // No host I/O is involved: running every pending job settles the suite's promise.
    for (;;) {
      const jobs = runtime.executePendingJobs();
      if (jobs.error !== undefined) {
        const dumped: unknown = jobs.error.context.dump(jobs.error);
        jobs.error.dispose();
        throw new Error(`a pending job threw inside QuickJS: ${JSON.stringify(dumped)}`);
      }
      if (jobs.value === 0) break;
    }
    const handle = unwrap(vm, await settled, 'runConformance');
    let json: string;
    try {
      json = vm.getString(handle);
    } finally {
      handle.dispose();
    }
    const actual: unknown = JSON.parse(json);

    expect(actual).toEqual(expected);
    // The comparison has teeth: one changed leaf and the results no longer match.
    const mutated = JSON.parse(json) as { certificates: { result: { view?: { serial?: string } } }[] };
    const first = mutated.certificates[0]?.result.view;
    expect(first?.serial).toBeTypeOf('string');
    first!.serial = `${first!.serial!}00`;
    expect(mutated).not.toEqual(expected);
    // And the run without a verifier differs from the verified Node results where it should.
    expect(actual).not.toEqual(JSON.parse(readFileSync(EXPECTED, 'utf8')));
  });
});
