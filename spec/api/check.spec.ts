/**
 * `check`: every independent problem of a document, with its code and location, and no cascades;
 * the verdict is loading's, and the first problem is the error loading (checkPfaSource) throws.
 */
import { describe, expect, it } from 'vitest';
import { check, checkPfaSource, loadPmml, TrajanError } from '../../src/index.js';

const PFA_THREE = `{"input": "double", "output": "double",
 "cells": {"c": {"type": "int", "init": "abc"}},
 "fcns": {"f": {"params": [{"x": "double"}], "ret": "string", "do": [{"+": ["x", 1]}]}},
 "action": [{"m.nosuch": ["input"]}, "input"]}`;

const pmml = (transformations: string, model: string) => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<Header/>
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<TransformationDictionary>${transformations}</TransformationDictionary>
${model}
</PMML>`;

const REGRESSION =
  '<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema><RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel>';
const derived = (name: string, field: string) =>
  `\n<DerivedField name="${name}" optype="continuous" dataType="double"><FieldRef field="${field}"/></DerivedField>`;

function thrownBy(f: () => unknown): TrajanError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof TrajanError) return e;
    throw e;
  }
  return undefined;
}

describe('check, PFA', () => {
  it('reports a bad cell init, a type mismatch in a function and an unknown function in the action, each where it is', () => {
    const r = check(PFA_THREE);
    expect(r.ok).toBe(false);
    expect(r.format).toBe('pfa');
    expect(r.truncated).toBe(false);
    expect(r.problems.map((p) => [p.code, p.severity, p.location.pointer, p.location.line])).toEqual([
      ['bad-value', 'error', '/cells/c/init', 2],
      ['return-mismatch', 'error', '/fcns/f/do', 3],
      ['unknown-function', 'error', '/action/0', 4],
    ]);
    expect(r.problems[2]!.message).toBe('unknown function "m.nosuch"');
  });

  it('gives one problem for one misspelt variable, however it is used afterwards', () => {
    const doc = {
      input: 'double',
      output: 'double',
      action: [{ let: { y: { '+': ['inptu', 1] } } }, { '+': ['y', 'inptu'] }, { set: { y: { '*': ['y', 2] } } }, 'y'],
    };
    const r = check(doc);
    expect(r.problems.map((p) => [p.code, p.location.pointer])).toEqual([['unknown-symbol', '/action/0/let/y/+/0']]);
  });

  it('reports nothing more for what uses a cell, a function or an expression that failed', () => {
    const doc = {
      input: 'double',
      output: 'double',
      cells: { c: { type: 'nosuchtype', init: 0 } },
      fcns: { f: { params: 'not a list', ret: 'double', do: 0 } },
      action: [{ let: { a: { cell: 'c' }, b: { 'u.f': ['input', 'input'] }, z: { if: 'nosuch' } } }, { '+': ['a', { '+': ['b', 'z'] }] }],
    };
    expect(check(doc).problems.map((p) => p.location.pointer)).toEqual(['/cells/c/type', '/fcns/f/params', '/action/0/let/z']);
  });

  it('goes on with the next expression of a list, and with the other sections', () => {
    const doc = {
      input: 'double',
      output: 'double',
      begin: [{ 'm.nope': [] }],
      action: [{ '+': ['a', 1] }, { '+': ['input', 'b'] }, 'input'],
      end: [{ 'x.y': [] }],
    };
    expect(check(doc).problems.map((p) => [p.code, p.location.pointer])).toEqual([
      ['unknown-function', '/begin/0'],
      ['unknown-symbol', '/action/0/+/0'],
      ['unknown-symbol', '/action/1/+/1'],
      ['unknown-function', '/end/0'],
    ]);
  });

  it('stops at maxProblems and says so', () => {
    const action = Array.from({ length: 50 }, (_, i) => ({ '+': [`v${i}`, 1] }));
    const doc = { input: 'double', output: 'double', action: [...action, 'input'] };
    expect(check(doc).problems).toHaveLength(50);
    const r = check(doc, { maxProblems: 5 });
    expect(r.problems.map((p) => p.location.pointer)).toEqual([
      '/action/0/+/0',
      '/action/1/+/0',
      '/action/2/+/0',
      '/action/3/+/0',
      '/action/4/+/0',
    ]);
    expect(r.truncated).toBe(true);
    expect(check({ input: 'double', output: 'double', action: Array.from({ length: 150 }, (_, i) => `v${i}`) }).problems).toHaveLength(100);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(thrownBy(() => check(doc, { maxProblems: bad }))?.code).toBe('bad-option');
    expect(thrownBy(() => check(doc, { maxProblem: 5 } as object))?.code).toBe('unknown-option');
  });

  it('gives loading its verdict, and the error loading throws as its first problem', () => {
    const docs = [
      PFA_THREE,
      '{"input": "int", "output": "int", "action": "input"}',
      'input: double\noutput: double\naction: {"+": [input, 1]}\n',
      '{"input": "int", "output": "int", "options": {"timeout": -1}, "action": "input"}',
      '{"input": "int", "output": "int", "action": [{"let": {"x": {"error": "no"}}}, 0]}',
      '{"input": "int", "output": "string", "action": "input"}',
      '{"input": "int", "output": "int", "action": [{"let": {"x": 1}}, {"let": {"x": 2}}, "x"]}',
      '{"input": "int", "output": "int", "action": {"cell": "nope"}}',
      '{"input": "int", "output": "int", "method": "fold", "zero": 0, "merge": "tallyOne", "action": {"+": ["input", "tally"]}}',
      '{"input": "int", "output": "int", "action": ',
      '{"input": "int", "output": "int", "actoin": "input"}',
      '{"input": {"type": "record", "name": "R", "fields": [{"name": "a", "type": "nope"}]}, "output": "int", "action": 1}',
    ];
    for (const text of docs) {
      const loading = thrownBy(() => checkPfaSource(text));
      const r = check(text);
      expect(r.ok).toBe(loading === undefined);
      expect(r.problems[0] && { code: r.problems[0].code, location: r.problems[0].location }).toEqual(
        loading && { code: loading.code, location: loading.location },
      );
    }
  });

  it('takes bytes and parsed documents, and reports bytes that are not UTF-8', () => {
    expect(check(new TextEncoder().encode(PFA_THREE)).problems).toHaveLength(3);
    expect(check(JSON.parse(PFA_THREE)).problems.map((p) => p.location)).toEqual([
      { pointer: '/cells/c/init' },
      { pointer: '/fcns/f/do' },
      { pointer: '/action/0' },
    ]);
    const r = check(new Uint8Array([0x7b, 0xff, 0x7d]));
    expect(r.problems.map((p) => p.code)).toEqual(['invalid-utf8']);
  });
});

describe('check, PMML', () => {
  it('reports two bad fields and an unsupported model, each at its line', () => {
    const r = check(
      pmml(derived('a', 'nosuch1') + derived('b', 'nosuch2'), '<SequenceModel functionName="sequences"><MiningSchema/></SequenceModel>'),
    );
    expect(r.format).toBe('pmml');
    expect(r.problems.map((p) => [p.code, p.location.pointer, p.location.line])).toEqual([
      ['pmml-undefined-field', '/PMML/TransformationDictionary/DerivedField/FieldRef', 5],
      ['pmml-undefined-field', '/PMML/TransformationDictionary/DerivedField[2]/FieldRef', 6],
      ['pmml-unsupported', '/PMML/SequenceModel', 7],
    ]);
  });

  it('reports nothing more for a field defined from a field that failed', () => {
    const r = check(
      pmml(
        derived('a', 'nosuch') + derived('b', 'a') + derived('c', 'b'),
        REGRESSION.replace('<MiningField name="x"/>', '<MiningField name="x"/><MiningField name="c"/>'),
      ),
    );
    expect(r.problems.map((p) => p.code)).toEqual(['pmml-undefined-field']);
  });

  it('gives loading its verdict and first error', () => {
    for (const text of [
      pmml('', REGRESSION),
      pmml(derived('a', 'nosuch'), REGRESSION),
      '<PMML><oops',
      pmml('', '<SequenceModel functionName="sequences"><MiningSchema/></SequenceModel>'),
    ]) {
      const loading = thrownBy(() => loadPmml(text));
      const r = check(text);
      expect(r.ok).toBe(loading === undefined);
      expect(r.problems[0] && { code: r.problems[0].code, location: r.problems[0].location }).toEqual(
        loading && { code: loading.code, location: loading.location },
      );
    }
  });
});
