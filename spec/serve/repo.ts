/** Model repositories in temporary folders and servers on them, for the server specs. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type ModelServer, type ServeOptions } from '../../src/serve/server.js';

export const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
export const example = (path: string) => fileURLToPath(new URL(`../../examples/${path}`, import.meta.url));

/** Model file name in a version folder for a source file: keeps the extension (.json, .yaml, ...). */
export function modelFileName(source: string): string {
  const ext = extname(source);
  return `model${ext === '.json' && basename(source).endsWith('.pfa.json') ? '.pfa' : ext}`;
}

/** `{name: {version: sourceFile}}` → a repository in a fresh temporary folder. */
export function makeRepository(models: Record<string, Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'trajan-repo-'));
  for (const [name, versions] of Object.entries(models)) {
    for (const [version, source] of Object.entries(versions)) {
      mkdirSync(join(root, name, version), { recursive: true });
      copyFileSync(source, join(root, name, version, modelFileName(source)));
    }
  }
  return root;
}

export async function serveRepository(root: string, options: Partial<ServeOptions> = {}): Promise<ModelServer> {
  return startServer({ modelDir: root, port: 0, logger: false, pollInterval: 0, ...options });
}

export function removeRepository(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string | null; text: string; json: () => any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text, json: () => JSON.parse(text) };
}

export async function get(url: string): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(url);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
