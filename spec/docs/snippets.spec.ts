/**
 * Every fenced block of docs/ that a reader would run, run as written: the `trajan` and
 * `validate-model` commands of `sh` blocks (from the sources, as `npx` runs them from the build) and
 * the `js`/`ts` blocks as modules with `trajan` resolved to the sources. Both run in a scratch
 * folder that holds the repository's `examples/`, so files a snippet writes stay out of the tree.
 *
 * A block that cannot run here says why in an HTML comment on the line before its fence
 * (`<!-- not run: REASON -->`); blocks without a language are text (usage, output, diagrams).
 * docs/serving.md's requests are sent by serving-examples.spec.ts, and the README's blocks by
 * readme.spec.ts.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's loader, by URL: the scratch folder has no node_modules to resolve `tsx` from. */
const TSX = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
const scratch = mkdtempSync(join(tmpdir(), 'trajan-docs-'));
symlinkSync(join(root, 'examples'), join(scratch, 'examples'), 'dir');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Pages whose blocks another spec runs. */
const RUN_ELSEWHERE = new Set(['serving.md']);

interface Block {
  readonly page: string;
  readonly line: number;
  readonly lang: string;
  readonly body: string;
  /** Why the block is not run, when the page says so. */
  readonly notRun: string | undefined;
}

function blocksOf(page: string): Block[] {
  const lines = readFileSync(join(root, 'docs', page), 'utf8').split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    expect(end, `${page}:${i + 1}: an unclosed block`).toBeGreaterThan(i);
    const marker = /^<!-- not run: (.+) -->$/.exec(lines[i - 1] ?? '');
    found.push({ page, line: i + 1, lang: open[1]!, body: lines.slice(i + 1, end).join('\n'), notRun: marker?.[1] });
    i = end;
  }
  return found;
}

const pages = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && !RUN_ELSEWHERE.has(f));
const blocks = pages.flatMap(blocksOf);
const runnable = blocks.filter((b) => b.lang !== '' && b.notRun === undefined);

const BINS: Record<string, string> = { trajan: 'src/cli/trajan.ts', 'validate-model': 'src/cli/validate-model.ts' };

/** The commands of a shell block: one per line and per `&&`, without comments. */
function commands(body: string): string[][] {
  return body
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .flatMap((l) => l.split('&&'))
    .map((c) => c.trim().split(/\s+/));
}

function runCommand(words: string[], where: string): string {
  const [first, ...rest] = words[0] === 'npx' ? words.slice(1) : words;
  const entry = BINS[first!];
  if (entry === undefined)
    throw new Error(`${where}: \`${words.join(' ')}\` is not a command of this package; mark the block <!-- not run: ... -->`);
  return execFileSync(process.execPath, ['--import', TSX, join(root, entry), ...rest], {
    cwd: scratch,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A module's source with the package's entry points resolved to the sources. */
function resolvedModule(body: string): string {
  const entry = (path: string) => JSON.stringify(pathToFileURL(join(root, path)).href);
  return body
    .replace(/from 'trajan'/g, `from ${entry('src/index.ts')}`)
    .replace(/from 'trajan\/browser'/g, `from ${entry('src/browser.ts')}`);
}

describe('docs/ snippets', () => {
  it('every block that is not run says why', () => {
    for (const b of blocks.filter((x) => x.notRun !== undefined))
      expect(b.notRun!.trim().length, `${b.page}:${b.line}`).toBeGreaterThan(10);
    expect(runnable.length).toBeGreaterThan(3);
  });

  for (const b of runnable) {
    const where = `${b.page}:${b.line}`;
    it(`${where} (${b.lang}) runs`, () => {
      if (b.lang === 'sh' || b.lang === 'bash') {
        const all = commands(b.body);
        expect(all.length, where).toBeGreaterThan(0);
        for (const c of all) runCommand(c, where);
      } else if (b.lang === 'js' || b.lang === 'ts') {
        const file = join(scratch, `${b.page.replace(/\W/g, '-')}-${b.line}.mts`);
        writeFileSync(file, resolvedModule(b.body));
        const out = execFileSync(process.execPath, ['--import', TSX, file], {
          cwd: scratch,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        // A block that ends with `// VALUE` under a console.log prints that value.
        const last = b.body.trim().split('\n').at(-1)!;
        if (/^\/\/ /.test(last) && /console\.log/.test(b.body)) expect(out.trim().replace(/\s+/g, ' '), where).toBe(last.slice(3).trim());
      } else {
        throw new Error(`${where}: a \`${b.lang}\` block is neither run nor marked <!-- not run: ... -->`);
      }
    }, 60_000);
  }
});
