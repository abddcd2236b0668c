// The page: files in (drop or pick), the analysis done by the Web Worker (worker.ts, the core's
// checks, payload builder and device verification), and the result shown with text nodes only,
// so nothing from a certificate or a file name is ever read as HTML.

import type { Analysis, DroppedFile, ShownFinding } from './analyse.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const drop = $('drop');
const picker = $<HTMLInputElement>('files');
const status = $('status');
const results = $('results');
let lastFiles: File[] = [];
// One worker, started with the page, so the page works offline once loaded; each run has a
// number, and the answer to an older run than the last is dropped.
const worker = new Worker('worker.js', { type: 'module' });
let runs = 0;
let shownFiles = 0;
worker.onmessage = (event: MessageEvent<{ run: number } & ({ type: 'progress'; done: number; total: number } | { type: 'result'; analysis: Analysis } | { type: 'error'; message: string })>) => {
  const m = event.data;
  if (m.run !== runs) return;
  if (m.type === 'progress') status.textContent = `Checked ${m.done} of ${plural(m.total, 'file')}…`;
  else if (m.type === 'error') status.textContent = `Could not check the files: ${m.message}`;
  else {
    render(m.analysis);
    status.textContent = `Checked ${plural(shownFiles, 'file')}.`;
  }
};

drop.addEventListener('click', () => picker.click());
drop.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    picker.click();
  }
});
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  void run([...(e.dataTransfer?.files ?? [])]);
});
picker.addEventListener('change', () => void run([...(picker.files ?? [])]));
for (const id of ['parameter', 'display-name', 'replace']) $(id).addEventListener('change', () => lastFiles.length > 0 && void run(lastFiles));

async function run(files: File[]): Promise<void> {
  lastFiles = files;
  const run = ++runs;
  results.replaceChildren();
  status.textContent = `Reading ${plural(files.length, 'file')}…`;
  const dropped: DroppedFile[] = [];
  for (const f of files) dropped.push({ name: f.name, bytes: await f.arrayBuffer() });
  if (run !== runs) return;
  shownFiles = files.length;
  const options = {
    parameter: $<HTMLSelectElement>('parameter').value,
    displayName: $<HTMLInputElement>('display-name').value,
    replace: $<HTMLInputElement>('replace').checked,
    now: Date.now(),
  };
  worker.postMessage({ run, files: dropped, options }, dropped.map((d) => d.bytes));
}

const OUTCOME = { trusted: 'trusted', 'not-verified': 'not verified', refused: 'refused', 'not-checked': 'not checked' } as const;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** An element with attributes and children (strings become text nodes). */
function el(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function section(id: string, title: string, ...children: Node[]): HTMLElement {
  return el('section', { id, 'aria-labelledby': `${id}-heading` }, el('h2', { id: `${id}-heading` }, title), ...children);
}

function findingsList(findings: readonly ShownFinding[]): HTMLElement {
  if (findings.length === 0) return el('p', { class: 'ok' }, 'no findings');
  return el(
    'ul',
    { class: 'findings' },
    ...findings.map((f) =>
      el(
        'li',
        {},
        el('span', { class: f.severity }, f.severity),
        ' ',
        el('code', {}, f.code),
        ` ${f.message}`,
        ...(f.citation === '' ? [] : [el('div', { class: 'muted' }, f.citation)]),
        ...(f.graphError === null ? [] : [el('details', {}, el('summary', {}, 'Graph would answer 400'), el('pre', {}, f.graphError))]),
      ),
    ),
  );
}

function render(a: Analysis): void {
  const parts: HTMLElement[] = [];
  if (a.problems.length > 0) {
    parts.push(section('problems', 'Input problems', el('ul', {}, ...a.problems.map((p) => el('li', { class: 'error' }, `${p.message} (${p.code})`)))));
  }
  if (a.payloads.length > 0) {
    parts.push(section('payload-files', 'Payload files', ...a.payloads.map((p) => el('div', { class: 'card' }, el('h3', {}, p.file), findingsList(p.findings)))));
  }
  if (a.certificates.length > 0) {
    parts.push(
      section(
        'certificates',
        'Certificates',
        ...a.certificates.map((c) =>
          el(
            'div',
            { class: 'card certificate' },
            el('h3', {}, c.subject || '(empty subject)', ' ', el('span', { class: 'muted' }, `${c.role}, ${c.file} ${c.place}`)),
            el(
              'table',
              {},
              el('tbody', {},
                ...[['issuer', c.issuer], ['validity', `${c.notBefore} to ${c.notAfter}`], ['key usage', c.keyUsage.join(', ') || '(none)'], ...(c.role === 'device' || c.role === 'not a CA' ? [['identity', c.identity.join(', ') || '(no value)']] : []), ['SHA-256', c.sha256]].map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k!), el('td', {}, v!))),
              ),
            ),
            findingsList(c.findings),
          ),
        ),
      ),
    );
  }
  if (a.payload !== null) {
    const p = a.payload;
    const download = el('button', { type: 'button', id: 'download' }, 'Download payload.json');
    download.addEventListener('click', () => {
      const link = el('a', { href: URL.createObjectURL(new Blob([p.json], { type: 'application/json' })), download: 'payload.json' });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.getAttribute('href')!), 10_000);
    });
    const copy = el('button', { type: 'button', id: 'copy' }, 'Copy');
    copy.addEventListener('click', () => void navigator.clipboard.writeText(p.json).then(() => (status.textContent = 'Payload copied.')));
    const changes = p.method === 'PATCH' ? [el('p', {}, `added: ${p.added.join('; ') || 'none'} · kept: ${p.kept.join('; ') || 'none'} · removed: ${p.removed.join('; ') || 'none'}`)] : [];
    parts.push(
      section(
        'payload',
        p.method === 'POST' ? 'Create payload' : 'Update (PATCH) payload',
        el('p', { class: p.refused ? 'error' : 'ok' }, p.refused ? 'Graph would refuse it: see the findings.' : 'Graph should take it.'),
        ...changes,
        findingsList(p.findings),
        el('pre', { id: 'payload-json', tabindex: '0', 'aria-label': 'payload JSON' }, p.json),
        el('p', {}, copy, ' ', download),
        el('h3', {}, 'Send it'),
        el('p', {}, 'Graph Explorer: ', el('code', {}, `${p.method} ${p.url}`), ' with the payload as the request body.'),
        el('pre', { id: 'az-rest' }, `az rest --method ${p.method.toLowerCase()} --url ${p.url} --body @payload.json`),
        el('pre', { id: 'powershell' }, `Invoke-MgGraphRequest -Method ${p.method} -Uri '${p.url}' -Body (Get-Content payload.json -Raw) -ContentType 'application/json'`),
      ),
    );
  }
  if (a.devices.length > 0) {
    parts.push(
      section(
        'devices',
        'Will these devices authenticate?',
        ...a.devices.map((d) =>
          el(
            'div',
            { class: 'card device' },
            el('h3', {}, d.subject || '(empty subject)', ' ', el('span', { class: d.outcome === 'trusted' ? 'trusted' : d.outcome === 'not-checked' ? 'muted' : 'refused' }, OUTCOME[d.outcome]), ' ', el('span', { class: 'muted' }, `${d.file} ${d.place}`)),
            el('p', {}, `identity: ${d.identity.join(', ') || '(no value)'}`),
            ...(d.path.length === 0 ? [] : [el('p', { class: 'muted' }, `path: ${d.path.join(' ← ')}`)]),
            d.outcome === 'not-checked' ? el('p', { class: 'muted' }, 'Drop the CA certificates (or the configuration) to verify it against.') : findingsList(d.findings),
          ),
        ),
      ),
    );
  }
  results.replaceChildren(...parts);
}
