/**
 * `TrajanErrorCode` lists every string code the sources raise: the sources are read, and each code
 * in a raising position (an error's constructor, a `fail` helper, a `code:` property, a default
 * code, an HTTP status's code) must be listed, and each listed code must be raised somewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTrajanErrorCode, loadModel, loadModelFile, TRAJAN_ERROR_CODES, type TrajanErrorCode } from '../../src/index.js';
import { thrown } from '../thrown.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const CODE = "'([a-z][a-z0-9]*(?:-[a-z0-9]+)*)'";
const RAISING = [
  // new PfaSyntaxError('code', ...), and the boundary's `new make('code', ...)`
  String.raw`new (?:\w*Error|make)\(\s*${CODE}`,
  String.raw`new (?:\w*Error|make)\(\s*[\w.]+ \? ${CODE} : ${CODE}`,
  // fail('code', message, ...) and ctx.fail(element, 'code', message)
  String.raw`\bfail\(\s*(?:[\w.]+,\s*)?` + CODE + String.raw`\s*,`,
  String.raw`\bcode:\s*` + CODE,
  String.raw`\bcode \?\? ` + CODE,
  // codes of HTTP statuses: { 404: 'not-found' }
  String.raw`\b\d{3}: ` + CODE,
].map((p) => new RegExp(p, 'g'));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each code raised in the sources, with a file that raises it. */
function raisedCodes(): Map<string, string> {
  const raised = new Map<string, string>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const re of RAISING)
      for (const m of text.matchAll(re))
        for (const code of m.slice(1)) if (code && !raised.has(code)) raised.set(code, file.slice(SRC.length + 1));
  }
  return raised;
}

describe('TrajanErrorCode', () => {
  const raised = raisedCodes();

  it('finds the codes where the sources raise them', () => {
    // A check on the reading itself: a few codes raised in each of the positions above.
    for (const code of ['json-syntax', 'file-not-found', 'unknown-function', 'pmml-invalid', 'unknown-field', 'user-error', 'not-found'])
      expect(raised.has(code)).toBe(true);
  });

  it('lists every code raised in src/', () => {
    const missing = [...raised].filter(([code]) => !isTrajanErrorCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('lists no code that src/ does not raise', () => {
    expect(TRAJAN_ERROR_CODES.filter((code) => !raised.has(code))).toEqual([]);
  });

  it('lists each code once', () => {
    expect(new Set(TRAJAN_ERROR_CODES).size).toBe(TRAJAN_ERROR_CODES.length);
  });

  it('is what errors carry, and numbers are not codes of its', () => {
    const codes: TrajanErrorCode[] = ['unknown-option', 'file-not-found'];
    expect(isTrajanErrorCode(thrown(() => loadModel('{', { timout: 1 } as never)).code)).toBe(true);
    expect(codes).toContain(thrown(() => loadModelFile('/nowhere/model.pmml')).code);
    expect(isTrajanErrorCode(18000)).toBe(false);
    expect(isTrajanErrorCode('no-such-code')).toBe(false);
  });
});
