import { describe, expect, it } from 'vitest';
import { checkPfaSource, loadPfa } from '../../../src/index.js';

type Doc = Record<string, unknown>;

/** Whether `symbol` is defined in `section` of a document (with `extra` top-level fields). */
function defined(section: 'begin' | 'action' | 'end' | 'merge', symbol: string, extra: Doc = {}): boolean {
  const fold = section === 'merge' || 'zero' in extra;
  const doc: Doc = {
    input: 'int',
    output: 'int',
    ...(fold ? { method: 'fold', zero: 0, merge: 0 } : {}),
    action: 0,
    ...extra,
    cells: { sink: { type: ['null', 'int', 'long', 'string', { type: 'map', values: 'string' }], init: null } },
  };
  doc[section] = [{ cell: 'sink', to: symbol }, 0];
  try {
    checkPfaSource(doc);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'unknown-symbol') return false;
    throw e;
  }
}

describe('predefined symbols (specification, "Predefined symbols")', () => {
  it('begin has name, instance, metadata, and version when the document has one', () => {
    for (const s of ['name', 'instance', 'metadata']) expect(defined('begin', s), s).toBe(true);
    expect(defined('begin', 'version')).toBe(false);
    expect(defined('begin', 'version', { version: 3 })).toBe(true);
    for (const s of ['input', 'tally', 'actionsStarted', 'actionsFinished']) expect(defined('begin', s), s).toBe(false);
  });

  it('action adds input and the counters, and tally for fold engines only', () => {
    for (const s of ['name', 'instance', 'metadata', 'input', 'actionsStarted', 'actionsFinished'])
      expect(defined('action', s), s).toBe(true);
    expect(defined('action', 'version', { version: 1 })).toBe(true);
    expect(defined('action', 'tally')).toBe(false);
    expect(defined('action', 'tally', { zero: 0 })).toBe(true);
  });

  it('end has the counters but no input; tally for fold engines', () => {
    for (const s of ['name', 'instance', 'metadata', 'actionsStarted', 'actionsFinished']) expect(defined('end', s), s).toBe(true);
    expect(defined('end', 'input')).toBe(false);
    expect(defined('end', 'version', { version: 1 })).toBe(true);
    expect(defined('end', 'tally', { zero: 0 })).toBe(true);
    expect(defined('end', 'tally')).toBe(false);
  });

  it('merge has tallyOne and tallyTwo, not input or tally', () => {
    expect(defined('merge', 'tallyOne')).toBe(true);
    expect(defined('merge', 'tallyTwo')).toBe(true);
    expect(defined('merge', 'input')).toBe(false);
    expect(defined('merge', 'tally')).toBe(false);
    expect(defined('merge', 'version', { version: 2 })).toBe(true);
  });

  it('no user function sees them', () => {
    const doc = { input: 'int', output: 'int', version: 4, fcns: { f: { params: [], ret: 'int', do: 'version' } }, action: { 'u.f': [] } };
    expect(() => checkPfaSource(doc)).toThrow(/unknown symbol "version"/);
  });

  it("version has the document's value in every section, and is read-only", () => {
    const e = loadPfa({
      input: 'int',
      output: 'int',
      version: 7,
      cells: { atBegin: { type: 'int', init: 0 }, atEnd: { type: 'int', init: 0 } },
      begin: { cell: 'atBegin', to: 'version' },
      action: { '+': ['input', 'version'] },
      end: { cell: 'atEnd', to: 'version' },
    });
    e.begin();
    expect(e.action(1)).toBe(8);
    e.end();
    expect(e.snapshot().cells).toEqual({ atBegin: 7, atEnd: 7 });
    const closures = loadPfa({ input: 'int', output: 'int', version: 2, action: { '*': ['input', 'version'] } }, { backend: 'closures' });
    expect(closures.action(5)).toBe(10);
    expect(() => checkPfaSource({ input: 'int', output: 'int', version: 2, action: [{ set: { version: 3 } }, 0] })).toThrow(
      /cannot be reassigned/,
    );
  });

  it('a version beyond 32 bits is refused', () => {
    expect(() => checkPfaSource({ input: 'int', output: 'int', version: 2 ** 40, action: 0 })).toThrow(/32-bit/);
  });
});
