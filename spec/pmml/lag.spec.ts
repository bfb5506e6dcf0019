/** Lag: values of earlier records, kept in a pool by the engine between records. */
import { describe, expect, it } from 'vitest';
import { checkPfaSource, loadPfa, loadPmml, type PmmlModel } from '../../src/index.js';
import { thrown } from '../helpers/pfa.js';

/** A model over `id` (string) and `x` (double) whose outputs are the given DerivedFields' values. */
function model(derived: Record<string, string>, type = 'double'): PmmlModel {
  return loadPmml(`<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="id" optype="categorical" dataType="string"/>
  <DataField name="x" optype="continuous" dataType="double"/>
</DataDictionary>
<TransformationDictionary>${Object.entries(derived)
    .map(([n, e]) => `<DerivedField name="${n}" optype="continuous" dataType="${type}">${e}</DerivedField>`)
    .join('')}</TransformationDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="id"/><MiningField name="x"/></MiningSchema>
  <Output>${Object.keys(derived)
    .map((n) => `<OutputField name="o_${n}" feature="transformedValue" dataType="${type}"><FieldRef field="${n}"/></OutputField>`)
    .join('')}</Output>
  <RegressionTable intercept="0"/>
</RegressionModel></PMML>`);
}

const ROWS = [
  { id: 'a', x: 1 },
  { id: 'b', x: 2 },
  { id: 'a', x: 4 },
  { id: 'a', x: null },
  { id: 'a', x: 8 },
];

describe('Lag', () => {
  it('gives the value n records back, missing before there is one', () => {
    const m = model({ prev: '<Lag field="x"/>', back2: '<Lag field="x" n="2"/>' });
    expect(ROWS.map((r) => m.score(r))).toEqual([
      { o_prev: null, o_back2: null },
      { o_prev: 1, o_back2: null },
      { o_prev: 2, o_back2: 1 },
      { o_prev: 4, o_back2: 2 },
      // The record before was missing: so is its lag.
      { o_prev: null, o_back2: 4 },
    ]);
  });

  it('keeps one history per block of BlockIndicator values', () => {
    const m = model({ back2: '<Lag field="x" n="2"><BlockIndicator field="id"/></Lag>' });
    // Block a holds 1, 4, missing, 8: the third a-record sees 1, the fourth sees 4; b has one record.
    expect(ROWS.map((r) => m.score(r).o_back2)).toEqual([null, null, null, 1, 4]);
  });

  it('aggregates the n records before this one, skipping missing values', () => {
    const m = model({
      avg: '<Lag field="x" n="2" aggregate="avg"/>',
      sum: '<Lag field="x" n="2" aggregate="sum"/>',
      max: '<Lag field="x" n="3" aggregate="max"/>',
      sd: '<Lag field="x" n="3" aggregate="stddev"/>',
    });
    const out = ROWS.map((r) => m.score(r));
    // Earlier values (up to n): [] | [1] | [1, 2] | [2, 4] (n=2) or [1, 2, 4] (n=3) | [4, missing] or [2, 4, missing].
    expect(out.map((o) => o.o_avg)).toEqual([null, 1, 1.5, 3, 4]);
    expect(out.map((o) => o.o_sum)).toEqual([null, 1, 3, 6, 4]);
    expect(out.map((o) => o.o_max)).toEqual([null, 1, 2, 4, 4]);
    // Population deviation of [1, 2] is 0.5; of [1, 2, 4] sqrt(((4/3)² + (1/3)² + (5/3)²)/3) = sqrt(42/27); of [2, 4] 1.
    expect(out[2]!.o_sd).toBe(0.5);
    expect(out[3]!.o_sd).toBeCloseTo(Math.sqrt(42 / 27), 12);
    expect(out[4]!.o_sd).toBe(1);
  });

  it('records every record inside an if branch that is not taken', () => {
    // if(x > 3, Lag(x), -1): the records 1 and 2 take the other branch but still enter the history.
    const m = model({
      v: '<Apply function="if"><Apply function="greaterThan"><FieldRef field="x"/><Constant>3</Constant></Apply><Lag field="x"/><Constant>-1</Constant></Apply>',
    });
    expect([1, 2, 4].map((x) => m.score({ x }).o_v)).toEqual([-1, -1, 2]);
  });

  it('lags a string field', () => {
    const m = model({ prev: '<Lag field="id"/>' }, 'string');
    expect(ROWS.slice(0, 3).map((r) => m.score(r).o_prev)).toEqual([null, 'a', 'b']);
  });

  it('keeps its state in the engine: a new model starts again', () => {
    const m = model({ prev: '<Lag field="x"/>' });
    m.score({ x: 5 });
    expect(m.score({ x: 6 }).o_prev).toBe(5);
    expect(model({ prev: '<Lag field="x"/>' }).score({ x: 7 }).o_prev).toBe(null);
  });

  it('reports an aggregate of a string field and a bad n at load', () => {
    expect(thrown(() => model({ s: '<Lag field="id" aggregate="sum"/>' })).code).toBe('pmml-invalid');
    expect(thrown(() => model({ s: '<Lag field="x" n="0"/>' })).code).toBe('pmml-bad-attribute');
  });

  it('writes PFA with a pool that validates and scores the same record sequence', () => {
    const m = model({ back2: '<Lag field="x" n="2"><BlockIndicator field="id"/></Lag>', avg: '<Lag field="x" n="2" aggregate="avg"/>' });
    const text = JSON.stringify(m.pfa);
    expect(Object.keys((m.pfa as { pools?: object }).pools ?? {})).toHaveLength(2);
    checkPfaSource(text);
    const pfa = loadPfa(text);
    for (const r of ROWS) expect(pfa.action(m.pfaInput(r))).toEqual(m.engine.action(m.pfaInput(r)));
  });
});
