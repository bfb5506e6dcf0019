/** Aggregate: over a transaction's items, or running over the records of a group. */
import { describe, expect, it } from 'vitest';
import { checkPfaSource, loadPfa, loadPmml, type PmmlModel } from '../../src/index.js';
import { thrown } from '../helpers/pfa.js';

/** A model over `g` (string) and `x` (double); `group` makes it transactional (x is then a list). */
function model(derived: Record<string, string>, group = false): PmmlModel {
  return loadPmml(`<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="g" optype="categorical" dataType="string"/>
  <DataField name="x" optype="continuous" dataType="double"/>
</DataDictionary>
<TransformationDictionary>${Object.entries(derived)
    .map(([n, e]) => `<DerivedField name="${n}" optype="continuous" dataType="double">${e}</DerivedField>`)
    .join('')}</TransformationDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="g"${group ? ' usageType="group"' : ''}/><MiningField name="x"/></MiningSchema>
  <Output>${Object.keys(derived)
    .map((n) => `<OutputField name="o_${n}" feature="transformedValue" dataType="double"><FieldRef field="${n}"/></OutputField>`)
    .join('')}</Output>
  <RegressionTable intercept="0"/>
</RegressionModel></PMML>`);
}

const ALL = {
  count: '<Aggregate field="x" function="count" groupField="g"/>',
  sum: '<Aggregate field="x" function="sum" groupField="g"/>',
  average: '<Aggregate field="x" function="average" groupField="g"/>',
  min: '<Aggregate field="x" function="min" groupField="g"/>',
  max: '<Aggregate field="x" function="max" groupField="g"/>',
};

describe('Aggregate over a transaction', () => {
  const m = model(ALL, true);

  it('aggregates the items of the record', () => {
    // Items 3, 1, 8: three of them, sum 12, average 4.
    expect(m.score({ g: 't1', x: [3, 1, 8] })).toEqual({ o_count: 3, o_sum: 12, o_average: 4, o_min: 1, o_max: 8 });
    // The next transaction does not see the first one.
    expect(m.score({ g: 't2', x: [5] })).toEqual({ o_count: 1, o_sum: 5, o_average: 5, o_min: 5, o_max: 5 });
  });

  it('gives 0 items an average, min and max that are missing', () => {
    expect(m.score({ g: 't3', x: [] })).toEqual({ o_count: 0, o_sum: 0, o_average: null, o_min: null, o_max: null });
    expect(m.score({ g: 't4' })).toEqual({ o_count: null, o_sum: null, o_average: null, o_min: null, o_max: null });
  });
});

describe('Aggregate over records', () => {
  it('keeps a running aggregate per group, this record included', () => {
    const m = model(ALL);
    const rows = [
      { g: 'a', x: 2 },
      { g: 'b', x: 10 },
      { g: 'a', x: 6 },
      { g: 'a', x: null },
      { g: 'a', x: 1 },
    ];
    // Group a: 2 | 2, 6 | 2, 6 (missing not counted) | 2, 6, 1.
    expect(rows.map((r) => m.score(r))).toEqual([
      { o_count: 1, o_sum: 2, o_average: 2, o_min: 2, o_max: 2 },
      { o_count: 1, o_sum: 10, o_average: 10, o_min: 10, o_max: 10 },
      { o_count: 2, o_sum: 8, o_average: 4, o_min: 2, o_max: 6 },
      { o_count: 2, o_sum: 8, o_average: 4, o_min: 2, o_max: 6 },
      { o_count: 3, o_sum: 9, o_average: 3, o_min: 1, o_max: 6 },
    ]);
  });

  it('aggregates every record without a groupField', () => {
    const m = model({ count: '<Aggregate field="g" function="count"/>', avg: '<Aggregate field="x" function="average"/>' });
    expect([{ g: 'a', x: 1 }, { g: 'b' }, { g: 'c', x: 3 }].map((r) => m.score(r))).toEqual([
      { o_count: 1, o_avg: 1 },
      { o_count: 2, o_avg: 1 },
      { o_count: 3, o_avg: 2 },
    ]);
  });

  it('starts with missing values before a group has any', () => {
    expect(model(ALL).score({ g: 'a' })).toEqual({ o_count: 0, o_sum: 0, o_average: null, o_min: null, o_max: null });
  });

  it('reports a sum of text and unknown functions at load', () => {
    expect(thrown(() => model({ s: '<Aggregate field="g" function="sum"/>' })).code).toBe('pmml-invalid');
    expect(thrown(() => model({ s: '<Aggregate field="x" function="median"/>' })).code).toBe('pmml-bad-attribute');
  });

  it('writes PFA that validates and scores the same record sequence', () => {
    const m = model(ALL);
    const text = JSON.stringify(m.pfa);
    checkPfaSource(text);
    const pfa = loadPfa(text);
    for (const r of [
      { g: 'a', x: 2 },
      { g: 'a', x: 5 },
      { g: 'b', x: 1 },
    ])
      expect(pfa.action(m.pfaInput(r))).toEqual(m.engine.action(m.pfaInput(r)));
  });
});
