/**
 * The browser build and the example page, in a real headless Chromium (Debian's `chromium`
 * package, driven by playwright-core; CI installs it). The page is served from 127.0.0.1 with the
 * bundle built into a temporary folder.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowser, loadedBytes } from '../../scripts/build-browser.js';

/**
 * How long a status may take to appear. A load runs after the file is read, and the first PMML
 * load also fetches the on-demand chunks (`ready()`): about 0.3 s on an idle machine, more than
 * poll's default second on a busy one, and once more than 15 s while the whole suite ran on two
 * cores. The poll ends as soon as the status appears, so a generous bound costs nothing.
 */
const LOADING = { timeout: 60_000 };

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const repoFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

if (!existsSync(CHROMIUM)) console.warn(`skipping the browser specs: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!existsSync(CHROMIUM))('browser build and example page', () => {
  let dir: string;
  let bundle: string;
  let startBytes: number;
  let server: Server;
  let url: string;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trajan-browser-'));
    bundle = join(dir, 'bundle');
    startBytes = loadedBytes(await buildBrowser(bundle), 'trajan');
    // Only the page, its script and the bundle's files are served.
    const files: Record<string, string> = {
      '/examples/browser/index.html': repoFile('examples/browser/index.html'),
      '/examples/browser/app.js': repoFile('examples/browser/app.js'),
    };
    for (const name of readdirSync(bundle)) files[`/dist/browser/${name}`] = join(bundle, name);
    server = createServer((req, res) => {
      const file = files[req.url ?? ''];
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/examples/browser/index.html`;
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  }, 120_000);

  /**
   * Chooses a model file as a user does. In about one choice in eight (5 of 40, twice), this
   * headless Chromium with playwright-core sets the input's file but fires no `change` event: the
   * file is there, the page's listener is attached (a `change` dispatched afterwards loads it), and
   * the status stays "No model loaded." When nothing has happened after a few seconds, the event
   * the browser should have fired is dispatched; a second `change` for the same file only loads it
   * again.
   */
  async function choose(file: string): Promise<void> {
    const before = await page.textContent('#status');
    await page.setInputFiles('#model-file', file);
    for (let waited = 0; waited < 5_000; waited += 100) {
      if ((await page.textContent('#status')) !== before) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.dispatchEvent('#model-file', 'change');
  }

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('bundles the core with no Node built-ins', () => {
    for (const name of readdirSync(bundle)) {
      const text = readFileSync(join(bundle, name), 'utf8');
      expect(text, name).not.toMatch(/\bfrom\s*"node:|require\("(fs|path|stream|zlib|worker_threads)"\)/);
    }
  });

  it('keeps the PFA scoring entry under 500 KB, the parts loaded on demand aside', () => {
    expect(startBytes).toBeLessThan(500_000);
  });

  it('loads a model file chosen by the user and scores the form', async () => {
    await page.goto(url);
    await choose(fileURLToPath(new URL('../fixtures/scoring/total.pfa.yaml', import.meta.url)));
    await expect.poll(() => page.textContent('#status'), LOADING).toBe('Loaded Total (PFA) from total.pfa.yaml.');
    await page.fill('#field-x', '1.5');
    await page.fill('#field-y', '2');
    await page.fill('#field-label', 'web');
    await page.click('#score');
    expect(JSON.parse((await page.textContent('#result'))!)).toEqual({ total: 3.5, label: 'WEB' });
    await page.fill('#field-y', '');
    await page.click('#score');
    expect(JSON.parse((await page.textContent('#result'))!)).toEqual({ total: 1.5, label: 'WEB' });
    expect(errors).toEqual([]);
  });

  it('loads a PMML file through the same page', async () => {
    await page.goto(url);
    await choose(fileURLToPath(new URL('../fixtures/scoring/linear.pmml', import.meta.url)));
    await expect.poll(() => page.textContent('#status'), LOADING).toMatch(/\(PMML\) from linear\.pmml\.$/);
    await page.fill('#field-x', '3');
    await page.click('#score');
    expect(JSON.parse((await page.textContent('#result'))!)).toEqual({ y: 7 });
  });

  it('scores a model with a non-record result, and reports a document that does not load', async () => {
    await page.goto(url);
    await choose(repoFile('examples/iris-tree.pfa.json'));
    await expect.poll(() => page.textContent('#status'), LOADING).toMatch(/^Loaded IrisTree/);
    for (const [field, value] of [
      ['sepal_length', '6.3'],
      ['sepal_width', '3.3'],
      ['petal_length', '6.0'],
      ['petal_width', '2.5'],
    ])
      await page.fill(`#field-${field}`, value!);
    await page.click('#score');
    expect(await page.textContent('#result')).toBe('"virginica"');
    await choose(fileURLToPath(new URL('../fixtures/unknown-function.pfa.json', import.meta.url)));
    await expect.poll(() => page.textContent('#status'), LOADING).toMatch(/^unknown-function\.pfa\.json: unknown function "m\.nosuch"/);
    expect(await page.getAttribute('#status', 'class')).toBe('error');
  });
});
