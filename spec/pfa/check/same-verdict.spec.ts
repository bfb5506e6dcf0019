import { describe, expect, it } from 'vitest';
import { TrajanError, checkPfaSource, loadPfa } from '../../../src/index.js';

type Verdict = 'ok' | { kind: string; code: string | number; pointer?: string };

function verdict(run: () => unknown): Verdict {
  try {
    run();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(TrajanError);
    const t = e as TrajanError;
    return { kind: t.kind, code: t.code, pointer: t.location?.pointer };
  }
}

const both = (doc: object) => ({ check: verdict(() => checkPfaSource(doc)), load: verdict(() => loadPfa(doc)) });

const state = (fields: string[]) => ({
  type: 'record',
  name: 'State',
  fields: fields.map((name) => ({ name, type: 'double' })),
});

describe('checkPfaSource (validate-model) and loadPfa give the same verdict', () => {
  it('on bad engine options in the document', () => {
    for (const options of [
      { timeout: -1 },
      { 'timeout.action': 'soon' },
      { maxLoopSteps: -5 },
      { maxCallDepth: null },
      { maxAllocation: -1 },
    ]) {
      const r = both({ input: 'int', output: 'int', options, action: 'input' });
      expect(r.check).toEqual(r.load);
      expect(r.check).toMatchObject({ code: 'bad-option', pointer: `/options/${Object.keys(options)[0]}` });
    }
    const fine = both({
      input: 'int',
      output: 'int',
      options: { timeout: 100, maxLoopSteps: 10, unknownToThisEngine: 'x' },
      action: 'input',
    });
    expect(fine).toEqual({ check: 'ok', load: 'ok' });
  });

  it("on the state records of stat.sample.update, with the call's location", () => {
    const call = (fields: string[]) => ({
      input: 'double',
      output: 'double',
      cells: { s: { type: state(fields), init: Object.fromEntries(fields.map((f) => [f, 0])) } },
      action: [
        { cell: 's', to: { params: [{ old: 'State' }], ret: 'State', do: { 'stat.sample.update': ['input', 1.0, 'old'] } } },
        'input',
      ],
    });
    const bad = both(call(['count', 'variance']));
    expect(bad.check).toEqual(bad.load);
    expect(bad.check).toMatchObject({ kind: 'semantic', code: 'incompatible-record-field', pointer: '/action/0/to/do' });
    expect(both(call(['count', 'mean', 'variance']))).toEqual({ check: 'ok', load: 'ok' });
  });

  it('on library functions passed by name, whose builder checks types too', () => {
    const doc = {
      input: 'double',
      output: { type: 'array', items: state(['count', 'variance']) },
      action: {
        'a.map': [
          { value: [{ count: 0, variance: 0 }], type: { type: 'array', items: 'State' } },
          { fcn: 'stat.sample.update', fill: { x: 'input', w: 1.0 } },
        ],
      },
    };
    const r = both(doc);
    expect(r.check).toEqual(r.load);
    expect(r.check).toMatchObject({ code: 'incompatible-record-field' });
  });

  it('on deeply nested types: refused while reading, before the engine would generate code along them', () => {
    const nestedArray = (n: number): unknown => {
      let t: unknown = 'int';
      for (let i = 0; i < n; i++) t = { type: 'array', items: t };
      return t;
    };
    for (const n of [400, 3000]) {
      const r = both({ input: nestedArray(n), output: 'int', action: 1 });
      expect(r.check).toEqual(r.load);
      if (n === 400) expect(r.check).toBe('ok');
      else expect(r.check).toMatchObject({ kind: 'syntax', code: 'too-deep', pointer: expect.stringMatching(/^\/input\//) });
    }
  });
});
