#!/usr/bin/env node
// `pnpm mutate -- <file|glob>... [options]`: mutation testing (StrykerJS 9, vitest runner) of the
// named core files only, on demand; never part of .ci/run. Configuration: stryker.config.mjs and
// vitest.mutate.config.ts. Prints, per file, the mutants and two scores: Stryker's, and one that
// leaves out "message" mutants (string and template literals that only feed an error message,
// a finding's message or ref, or similar text; see isMessageMutant below).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the command was typed (pnpm runs scripts from the root and says so in INIT_CWD). */
const CALLER_CWD = process.env.INIT_CWD ?? process.cwd();
const FOLDERS = ['checks', 'encoding', 'identity', 'input', 'graph'].map((f) => `packages/core/src/${f}`);

const USAGE = `Usage: pnpm mutate -- <file|glob>... [options]

Mutates only the given core source files (Stryker's --mutate; a line range works too:
file.ts:10-40), runs the packages/core/test tests that cover each mutant, and prints per file:
mutants, killed (+timeout), survived, no coverage, ignored, and two scores.

Options:
  --survivors        list each surviving / uncovered mutant: file:line:col, mutator, original → replacement
  --report           do not run: print the table (and survivors) from the last report
  --concurrency N    test runner processes (default 2, the machine's cores)
  --ignore-static    faster, less complete: skip mutants reached only while modules load, and run
                     those also reached by tests against those tests alone, not all of them
  --tests GLOB       run only these test files (repeatable; default: every packages/core/test file
                     that imports the mutated file). Faster; the score is then a lower bound
  --report-file FILE write the JSON report here (and work in a sandbox of its own), so that two
                     runs at once do not overwrite each other's report
  --incremental      reuse the results of the previous incremental run (${'reports/mutation/stryker-incremental.json'})
  -h, --help         this text

Examples:
  pnpm mutate -- packages/core/src/encoding/base64.ts
  pnpm mutate -- packages/core/src/encoding/hex.ts packages/core/src/identity/dn-match.ts --survivors
  pnpm mutate -- 'packages/core/src/encoding/*.ts'      (quote globs; a whole folder takes hours)

Time on the 2-core machine: hex.ts (50 mutants) 2 min, base64.ts (237 mutants) 15 min; more when
the machine is busy. The sandbox is a copy in .stryker-tmp/: edits made during a run are not seen,
but a test file moved or deleted during a run makes it fail at its end (Stryker reads them again).

Equivalent mutant: put above the line, with the mutator's name and why it is equivalent,
  // Stryker disable next-line EqualityOperator: the extra iteration writes an unused slot
It is then reported as ignored and left out of both scores. The comment covers every mutant of
that mutator on the next line (\`all\` covers every mutator; \`// Stryker disable X: why\` ...
\`// Stryker restore X\` a block), so keep it as narrow as the equivalence.

Reports: reports/mutation/mutation.json and mutation.html.
Folders of interest:`;

const argv = process.argv.slice(2).filter((a) => a !== '--');
const opts = { survivors: false, report: false, concurrency: undefined, ignoreStatic: false, incremental: false, tests: [], files: [], reportFile: undefined };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '-h' || a === '--help') usage(0);
  else if (a === '--survivors') opts.survivors = true;
  else if (a === '--report') opts.report = true;
  else if (a === '--ignore-static') opts.ignoreStatic = true;
  else if (a === '--incremental') opts.incremental = true;
  else if (a === '--report-file' || a.startsWith('--report-file=')) {
    const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
    if (v === undefined || v === '') fail('--report-file: expected a file name');
    opts.reportFile = path.relative(ROOT, path.resolve(CALLER_CWD, v));
  } else if (a === '--tests' || a.startsWith('--tests=')) {
    const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
    if (v === undefined || v === '') fail('--tests: expected a test file or glob');
    opts.tests.push(path.relative(ROOT, path.resolve(CALLER_CWD, v)).split(path.sep).join('/'));
  }
  else if (a === '--concurrency' || a.startsWith('--concurrency=')) {
    const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
    opts.concurrency = Number(v);
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) fail(`--concurrency: expected a positive integer, received ${v}`);
  } else if (a.startsWith('-')) fail(`unknown option ${a}`);
  else opts.files.push(a);
}

process.chdir(ROOT);
const config = (await import(new URL('../stryker.config.mjs', import.meta.url).href)).default;
const REPORT = opts.reportFile ?? config.jsonReporter.fileName;

if (!opts.report) {
  if (opts.files.length === 0) usage(0);
  const mutate = opts.files.map(toMutatePattern);
  rmSync(REPORT, { force: true });
  // vitest.mutate.config.ts reads this; Stryker's vitest runner passes no file list of its own.
  if (opts.tests.length > 0) process.env.GRAPH_MTLS_MUTATE_TESTS = JSON.stringify(opts.tests);
  const { Stryker } = await import('@stryker-mutator/core');
  const started = performance.now();
  try {
    await new Stryker({
      configFile: 'stryker.config.mjs',
      mutate,
      ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
      ...(opts.ignoreStatic ? { ignoreStatic: true } : {}),
      ...(opts.incremental ? { incremental: true } : {}),
      ...(opts.reportFile === undefined ? {} : { jsonReporter: { fileName: opts.reportFile }, reporters: ['json', 'progress-append-only'], tempDirName: `.stryker-tmp-${path.basename(opts.reportFile, '.json')}` }),
    }).runMutationTest();
  } catch (error) {
    console.error(`\nStryker failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  console.log(`\nStryker took ${formatDuration(performance.now() - started)} for ${mutate.join(' ')}`);
}

if (!existsSync(REPORT)) fail(`no report at ${REPORT}${opts.report ? ': run pnpm mutate -- <file> first' : ''}`);
const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
if (files.length === 0) {
  console.log('No file was mutated: check the paths (they must be under packages/core/src).');
  process.exit(0);
}
const isMessage = await messageClassifier(Object.fromEntries(files.map(([name, f]) => [name, f.source])));

const rows = [];
const totals = emptyCounts();
for (const [name, file] of files) {
  const c = emptyCounts();
  for (const m of file.mutants) {
    m.message = m.mutatorName === 'StringLiteral' && isMessage(name, m.location);
    count(c, m);
    count(totals, m);
  }
  rows.push([name, c]);
}
console.log('');
printTable(files.length > 1 ? [...rows, ['all files', totals]] : rows);
console.log(
  '\nscore = (killed + timeout) / (killed + timeout + survived + no coverage); ignored mutants' +
    ' (// Stryker disable) and compile/runtime errors are left out.\nexcl. msg = the same without' +
    ' "message" mutants (StringLiteral mutants whose text only feeds a message, reason or ref).',
);
if (opts.survivors) printSurvivors(files);
else if (totals.survived + totals.noCoverage > 0) console.log('Add --survivors (or --report --survivors to reuse this run) to list the surviving mutants.');
console.log(`Reports: ${REPORT}, ${config.htmlReporter.fileName}`);
process.exit(0);

function usage(code) {
  const lines = [USAGE];
  for (const folder of FOLDERS) {
    const names = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.ts')).sort() : [];
    lines.push(`  ${folder}/  ${names.join(' ')}`);
  }
  console.log(lines.join('\n'));
  process.exit(code);
}

function fail(message) {
  console.error(`pnpm mutate: ${message}\n(pnpm mutate -- --help for usage)`);
  process.exit(2);
}

/** A path relative to the repository root, as Stryker's `mutate` expects; plain paths must exist. */
function toMutatePattern(arg) {
  const base = CALLER_CWD;
  const range = /:\d+(?::\d+)?-\d+(?::\d+)?$/.exec(arg)?.[0] ?? '';
  const file = arg.slice(0, arg.length - range.length);
  const rel = path.relative(ROOT, path.resolve(base, file)).split(path.sep).join('/');
  if (rel.startsWith('..')) fail(`${arg} is outside the repository`);
  if (/\.test\.ts$/.test(rel)) fail(`${arg} is a test file: name the source file it tests`);
  if (!/[*?[\]{}!]/.test(rel) && !existsSync(rel)) fail(`${arg}: no such file`);
  if (!rel.startsWith('packages/core/src/')) console.warn(`pnpm mutate: ${arg} is outside packages/core/src; only packages/core/test runs against it`);
  return rel + range;
}

function emptyCounts() {
  return { total: 0, killed: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0, pending: 0, message: 0, msgDetected: 0, msgUndetected: 0 };
}

function count(c, m) {
  c.total++;
  const detected = m.status === 'Killed' || m.status === 'Timeout';
  const undetected = m.status === 'Survived' || m.status === 'NoCoverage';
  if (detected) c.killed++;
  else if (m.status === 'Survived') c.survived++;
  else if (m.status === 'NoCoverage') c.noCoverage++;
  else if (m.status === 'Ignored') c.ignored++;
  else if (m.status === 'CompileError' || m.status === 'RuntimeError') c.errors++;
  else c.pending++;
  if (m.message && (detected || undetected)) {
    c.message++;
    if (detected) c.msgDetected++;
    else c.msgUndetected++;
  }
}

function score(detected, undetected) {
  const valid = detected + undetected;
  return valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`;
}

function printTable(rows) {
  const head = ['file', 'mutants', 'killed', 'survived', 'no cov', 'ignored', 'errors', 'score', 'message', 'excl. msg'];
  const body = rows.map(([name, c]) => [
    name,
    c.total,
    c.killed,
    c.survived,
    c.noCoverage,
    c.ignored,
    c.errors + c.pending,
    score(c.killed, c.survived + c.noCoverage),
    c.message,
    score(c.killed - c.msgDetected, c.survived + c.noCoverage - c.msgUndetected),
  ].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

function printSurvivors(files) {
  for (const [name, file] of files) {
    const lineStarts = [0];
    for (let i = 0; i < file.source.length; i++) if (file.source[i] === '\n') lineStarts.push(i + 1);
    const offset = (p) => lineStarts[p.line - 1] + p.column - 1;
    const left = file.mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
    console.log(`\n${name}: ${left.length} surviving mutant(s)`);
    for (const m of left) {
      const { start, end } = m.location;
      const original = file.source.slice(offset(start), offset(end));
      const tags = [m.status === 'NoCoverage' ? 'no coverage' : '', m.static ? 'static' : '', m.message ? 'message' : ''].filter(Boolean);
      console.log(
        `  ${name}:${start.line}:${start.column}  ${m.mutatorName}  ${snippet(original)} → ${snippet(m.replacement ?? '')}` +
          (tags.length > 0 ? `  [${tags.join(', ')}]` : ''),
      );
    }
  }
}

function snippet(text) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 69)}…` : flat;
}

function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * Tells whether a StringLiteral mutant only changes message text. The literal (or template) is
 * followed up through text-building expressions (`+`, template spans, `?:`, `??`, `||`, method
 * calls on it, padStart/join/replace/JSON.stringify arguments, parentheses) to where its value lands; it is a
 * message when that is
 *   - an argument whose parameter is named like a message (`new GraphMtlsError(code, reason)`,
 *     `finding(code, message, ref)`, `new Error(message)`, `invalidArgument(what, expected,
 *     received)`), resolved with the type checker;
 *   - a property, variable, assignment or parameter default named like one (`reason: ...`,
 *     `what = ...`, `let message = ...`);
 *   - the return value of a function named describe*, format*, explain*, quote*, *Message, *Reason.
 * A literal that looks like a code (`ERR_BASE64_INVALID`, `GET`) never is, nor one compared,
 * used as a key, or passed on as data.
 */
async function messageClassifier(sources) {
  const ts = (await import('typescript')).default;
  // The project's messages read "what: expected ..., received ..." (src/errors.ts).
  const SINK = /^(message|reason|ref|what|expected|received|description|citation|details?|hint|explanation)$|[a-z](Message|Reason|Ref|Description|Hint)$/;
  const RETURN_SINK = /^(describe|format|explain|quote)|[a-z](Message|Reason)$/;
  const CODE = /^[A-Z][A-Z0-9_]*$/;
  // Calls whose arguments end up in the text they return: `s.padStart(4, '0')`, `parts.join(', ')`.
  const TEXT_CALLS = /^(String|JSON\.stringify)$|\.(padStart|padEnd|concat|join|replace|replaceAll)$/;
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options, true);
  const byPath = new Map(Object.entries(sources).map(([rel, text]) => [path.resolve(ROOT, rel), text]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = byPath.get(path.resolve(fileName));
    return text === undefined ? getSourceFile(fileName, languageVersion, ...rest) : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  const program = ts.createProgram([...byPath.keys()], options, host);
  const checker = program.getTypeChecker();

  const nameOf = (node) => (node && (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteral(node)) ? node.text : undefined);
  const literalText = (node) =>
    ts.isTemplateExpression(node) ? node.head.text + node.templateSpans.map((s) => s.literal.text).join('') : node.text;

  function findLiteral(sf, start, end) {
    let found;
    const visit = (node) => {
      if (found || node.pos > start || node.end < end) return;
      if (node.getStart(sf) === start && node.end === end && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))) {
        found = node;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    return found;
  }

  function sinkOf(node) {
    let cur = node;
    for (;;) {
      const p = cur.parent;
      if (!p) return false;
      if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p)) cur = p;
      else if (ts.isTemplateSpan(p)) cur = p.parent;
      else if (ts.isConditionalExpression(p) && cur !== p.condition) cur = p;
      else if (ts.isBinaryExpression(p) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(p.operatorToken.kind)) cur = p;
      else if (ts.isPropertyAccessExpression(p) && p.expression === cur && ts.isCallExpression(p.parent) && p.parent.expression === p) cur = p.parent;
      else if (ts.isCallExpression(p) && p.arguments.includes(cur) && TEXT_CALLS.test(p.expression.getText())) cur = p;
      else if (ts.isPropertyAssignment(p) && p.initializer === cur) return SINK.test(nameOf(p.name) ?? '');
      else if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isPropertyDeclaration(p)) && p.initializer === cur) return SINK.test(nameOf(p.name) ?? '');
      else if (ts.isBinaryExpression(p) && p.right === cur && [ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken].includes(p.operatorToken.kind)) {
        const target = ts.isPropertyAccessExpression(p.left) ? p.left.name : p.left;
        return SINK.test(nameOf(target) ?? '');
      } else if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(cur)) {
        const signature = checker.getResolvedSignature(p);
        if (!signature) return false;
        const index = p.arguments.indexOf(cur);
        const params = signature.getParameters();
        const param = params[Math.min(index, params.length - 1)];
        return param !== undefined && SINK.test(param.getName());
      } else if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === cur)) {
        let fn = p;
        while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
        let name = fn && nameOf(fn.name);
        if (name === undefined && fn && ts.isVariableDeclaration(fn.parent)) name = nameOf(fn.parent.name);
        return RETURN_SINK.test(name ?? '');
      } else return false;
    }
  }

  return (fileName, location) => {
    const sf = program.getSourceFile(path.resolve(ROOT, fileName));
    if (!sf) return false;
    const pos = (p) => ts.getPositionOfLineAndCharacter(sf, p.line - 1, p.column - 1);
    const node = findLiteral(sf, pos(location.start), pos(location.end));
    if (!node || CODE.test(literalText(node))) return false;
    return sinkOf(node);
  };
}
