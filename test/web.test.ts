// The static page (packages/web) in the real Chromium: built, served from a local static server,
// driven by Playwright as a user would drop files on it. It shows the findings (and the 400 body),
// a payload byte for byte what `graph-mtls build` writes for the same CAs, the devices' verdicts,
// refuses a private key without showing it, and makes no request but to its own origin.

import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type FileChooser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, pkcs8Der, toPem } from '@graph-mtls/test/fixtures/certificates.ts';

const root = new URL('../', import.meta.url).pathname;
const examples = (path: string): string => join(root, 'examples', path);
const work = mkdtempSync(join(tmpdir(), 'graph-mtls-web-'));
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let keyFile: string;
let keyBody: string;

function node(args: readonly string[], cwd = root): Promise<{ code: number; stdout: string }> {
  return new Promise((done) => execFile(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => done({ code: error === null ? 0 : Number(error.code), stdout })));
}

beforeAll(async () => {
  const built = await node(['packages/web/build.mjs']);
  expect(built.code).toBe(0);
  const { serve } = (await import(new URL('../packages/web/serve.mjs', import.meta.url).href)) as { serve: (port?: number) => Promise<{ url: string; close: () => Promise<void> }> };
  server = await serve(0);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const pem = toPem(pkcs8Der((await getKey('p256', 99)).privateKey), 'PRIVATE KEY');
  keyBody = pem.split('\n')[1]!;
  keyFile = join(work, 'device.key.pem');
  writeFileSync(keyFile, pem);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The page with `files` dropped (through the file picker), once it says it checked them; and every request it made. */
async function dropped(files: readonly string[], displayName = ''): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (r) => void requests.push(r.url()));
  await page.goto(server.url);
  // Every text the status line shows, to see the worker's progress.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statuses: string[] }).statuses = seen;
    const status = document.getElementById('status')!;
    new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
  });
  if (displayName !== '') await page.fill('#display-name', displayName);
  await page.setInputFiles('#files', [...files]);
  await page.waitForFunction((n) => document.getElementById('status')?.textContent === `Checked ${n} file${n === 1 ? '' : 's'}.`, files.length, { timeout: 60_000 });
  return { page, requests };
}

describe('the page', () => {
  it('builds the payload graph-mtls build writes, verifies the devices, refuses a key unseen, and asks nothing of anyone', async () => {
    const cas = [examples('certs/contoso-root-ca.pem'), examples('certs/contoso-issuing-ca.pem')];
    const { page, requests } = await dropped([...cas, examples('devices/door-camera-0042.pem'), examples('devices/window-sensor-0007.pem'), keyFile], 'Door cameras');
    const cli = await node([join(root, 'packages/node/dist/cli.js'), 'build', '--display-name', 'Door cameras', '--param', 'tls_client_auth_san_uri', ...cas]);
    expect(cli.code).toBe(0);
    expect(await page.textContent('#payload-json')).toBe(cli.stdout);
    expect(await page.textContent('#az-rest')).toBe('az rest --method post --url https://graph.microsoft.com/beta/directory/certificateAuthorities/mutualTlsOauthConfigurations --body @payload.json');
    const devices = await page.$$eval('#devices .device h3', (hs) => hs.map((h) => h.textContent));
    expect(devices).toEqual([expect.stringMatching(/^CN=door-camera-0042.* trusted /), expect.stringMatching(/^CN=window-sensor-0007.* refused /)]);
    expect(await page.textContent('#devices')).toContain('VERIFY_EKU_NO_CLIENT_AUTH');
    expect(await page.textContent('#problems')).toContain('ERR_PRIVATE_KEY');
    expect(await page.content()).not.toContain(keyBody);
    // The Web Worker reported its progress file by file.
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses).toEqual(expect.arrayContaining(['Checked 1 of 5 files…', 'Checked 5 of 5 files…', 'Checked 5 files.']));
    const roles = await page.$$eval('#certificates .certificate h3 .muted', (s) => s.map((x) => x.textContent));
    expect(roles.map((r) => r!.split(',')[0])).toEqual(['root CA', 'intermediate CA', 'device', 'device']);
    const origin = new URL(server.url).origin;
    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) expect(url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:'), url).toBe(true);
    await page.close();
  }, 120_000);

  it('shows each finding with its citation and the 400 body Graph would answer, and says Graph would refuse the payload', async () => {
    const { page } = await dropped([examples('certs/fabrikam-legacy-ca.pem')]);
    const text = (await page.textContent('#certificates'))!;
    expect(text).toContain('CERT_EXPIRED');
    expect(text).toContain('RFC 5280');
    expect(text).toContain('Graph would answer 400');
    expect(await page.textContent('#certificates pre')).toContain("Invalid value specified for property 'certificate' of resource 'CertificateAuthorityInformation'.");
    expect(await page.textContent('#payload')).toContain('Graph would refuse it');
    await page.close();
  }, 120_000);

  it('is usable by keyboard and every control has a label', async () => {
    const page = await browser.newPage();
    // Listening before the page loads turns on Playwright's interception of the file chooser in
    // good time: waiting for it only when the key is pressed races with the key on a busy machine.
    const chooser = new Promise<FileChooser>((resolve) => page.once('filechooser', resolve));
    await page.goto(server.url);
    const unlabelled = await page.$$eval('select, input:not([type=file])', (controls) => controls.filter((c) => (c as HTMLInputElement).labels?.length === 0).map((c) => c.id));
    expect(unlabelled).toEqual([]);
    await page.focus('#drop');
    await page.keyboard.press('Enter');
    expect((await chooser).isMultiple()).toBe(true);
    await page.close();
  }, 120_000);

  it('keeps text readable in light and dark: every coloured text has a contrast of at least 4.5:1 (WCAG AA)', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme });
      await page.goto(server.url);
      await page.setInputFiles('#files', [examples('certs/fabrikam-legacy-ca.pem'), examples('certs/contoso-root-ca.pem'), examples('devices/window-sensor-0007.pem')]);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Checked 3 files.', undefined, { timeout: 60_000 });
      const ratios = await page.evaluate(() => {
        const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = (c: number[]): number => {
          const [r, g, b] = c.map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
        const out: Record<string, number> = {};
        for (const cls of ['error', 'warning', 'notice', 'ok', 'trusted', 'refused', 'muted']) {
          const e = document.querySelector(`.${cls}`);
          if (e === null) continue;
          const fg = lum(rgb(getComputedStyle(e).color));
          out[cls] = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        }
        out['body'] = (Math.max(lum(rgb(getComputedStyle(document.body).color)), bg) + 0.05) / (Math.min(lum(rgb(getComputedStyle(document.body).color)), bg) + 0.05);
        return out;
      });
      expect(Object.keys(ratios).length, colorScheme).toBeGreaterThanOrEqual(5);
      for (const [cls, ratio] of Object.entries(ratios)) expect(ratio, `${colorScheme} .${cls}`).toBeGreaterThanOrEqual(4.5);
      await page.close();
    }
  }, 120_000);

  it('works offline once loaded: with every request refused after the load, a drop is still checked', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.readyState === 'complete');
    const refused: string[] = [];
    await page.route('**/*', (route) => {
      refused.push(route.request().url());
      return route.abort();
    });
    await page.setInputFiles('#files', [examples('certs/contoso-root-ca.pem')]);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Checked 1 file.', undefined, { timeout: 60_000 });
    expect(await page.textContent('#payload-json')).toContain('"isRootAuthority": true');
    expect(refused).toEqual([]);
    await page.close();
  }, 120_000);

  it('a dropped create payload is checked as Graph reads it, and its CAs count as dropped: the same payload comes out, and devices verify against it', async () => {
    const payload = join(work, 'payload.json');
    const built = await node([join(root, 'packages/node/dist/cli.js'), 'build', '--display-name', 'Door cameras', '--param', 'tls_client_auth_san_uri', examples('certs/contoso-root-ca.pem'), examples('certs/contoso-issuing-ca.pem')]);
    writeFileSync(payload, built.stdout);
    const { page } = await dropped([payload, examples('devices/door-camera-0042.pem')], 'Door cameras');
    expect(await page.textContent('#payload-files')).toContain('no findings');
    expect(await page.textContent('#payload-json')).toBe(built.stdout);
    expect(await page.$$eval('#devices .device h3', (hs) => hs.map((h) => h.textContent))).toEqual([expect.stringMatching(/^CN=door-camera-0042.* trusted /)]);
    await page.close();
  }, 120_000);

  it('with the current configuration dropped, shows the PATCH and what it adds and keeps', async () => {
    const current = join(work, 'current.json');
    const created = await node([join(root, 'packages/node/dist/cli.js'), 'build', '--param', 'tls_client_auth_san_uri', examples('certs/contoso-root-ca.pem')]);
    writeFileSync(current, JSON.stringify({ id: 'f0e1d2c3-0000-4000-8000-000000000001', ...JSON.parse(created.stdout) }));
    const { page } = await dropped([current, examples('certs/contoso-issuing-ca.pem')]);
    const text = (await page.textContent('#payload'))!;
    expect(text).toContain('Update (PATCH) payload');
    expect(text).toMatch(/added: CN=Contoso IoT Issuing CA 01.*kept: CN=Contoso IoT Root CA/);
    expect(await page.textContent('#az-rest')).toContain('--method patch --url https://graph.microsoft.com/beta/directory/certificateAuthorities/mutualTlsOauthConfigurations/f0e1d2c3-0000-4000-8000-000000000001');
    await page.close();
  }, 120_000);
});
