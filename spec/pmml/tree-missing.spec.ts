import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

/**
 * A small classification tree: the root splits on x (a: x < 5, b: x >= 5), and a splits again on
 * y (a1: y < 1, a2: y >= 1). Node record counts and score distributions are chosen so that the
 * two strategies give different answers.
 */
const tree = (strategy: string): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="u"/><Value value="v"/></DataField>
</DataDictionary>
<TreeModel functionName="classification" missingValueStrategy="${strategy}">
  <MiningSchema><MiningField name="x"/><MiningField name="y"/><MiningField name="c" usageType="target"/></MiningSchema>
  <Output>
    <OutputField name="pu" feature="probability" value="u" dataType="double"/>
    <OutputField name="id" feature="entityId" dataType="string"/>
  </Output>
  <Node id="root" score="u" recordCount="100"><True/>
    <ScoreDistribution value="u" recordCount="50" confidence="0.5"/><ScoreDistribution value="v" recordCount="50" confidence="0.5"/>
    <Node id="a" score="u" recordCount="80"><SimplePredicate field="x" operator="lessThan" value="5"/>
      <ScoreDistribution value="u" recordCount="48" confidence="0.6"/><ScoreDistribution value="v" recordCount="32" confidence="0.4"/>
      <Node id="a1" score="u" recordCount="60"><SimplePredicate field="y" operator="lessThan" value="1"/>
        <ScoreDistribution value="u" recordCount="45" confidence="0.75"/><ScoreDistribution value="v" recordCount="15" confidence="0.25"/>
      </Node>
      <Node id="a2" score="v" recordCount="20"><SimplePredicate field="y" operator="greaterOrEqual" value="1"/>
        <ScoreDistribution value="u" recordCount="3" confidence="0.15"/><ScoreDistribution value="v" recordCount="17" confidence="0.85"/>
      </Node>
    </Node>
    <Node id="b" score="v" recordCount="20"><SimplePredicate field="x" operator="greaterOrEqual" value="5"/>
      <ScoreDistribution value="u" recordCount="2" confidence="0.2"/><ScoreDistribution value="v" recordCount="18" confidence="0.8"/>
    </Node>
  </Node>
</TreeModel></PMML>`;

describe('TreeModel missingValueStrategy weightedConfidence', () => {
  const m = loadPmml(tree('weightedConfidence'));

  it('follows the tree to a leaf when nothing is missing', () => {
    expect(m.score({ x: 1, y: 2 })).toMatchObject({ c: 'v', id: 'a2' });
  });

  it('weights the confidences of the children it cannot choose between by their record counts', () => {
    // y missing under a: (60 * 0.75 + 20 * 0.15) / 80 = 0.6 for u, (60 * 0.25 + 20 * 0.85) / 80 = 0.4 for v
    const r = m.score({ x: 1 });
    expect(r.c).toBe('u');
    expect(r.pu).toBeCloseTo(0.6, 12);
    expect(r.id).toBe(null);
  });

  it('applies the weighting recursively', () => {
    // x and y missing: a gives 0.6/0.4 (above), b 0.2/0.8; (80 * 0.6 + 20 * 0.2) / 100 = 0.52 for u
    const r = m.score({});
    expect(r.pu).toBeCloseTo(0.52, 12);
    expect(r.c).toBe('u');
  });
});

describe('TreeModel missingValueStrategy aggregateNodes', () => {
  const m = loadPmml(tree('aggregateNodes'));

  it('follows the tree to a leaf when nothing is missing', () => {
    // b's recordCount share, 2 / 20 (not its confidence, 0.2)
    expect(m.score({ x: 7, y: 0 })).toMatchObject({ c: 'v', id: 'b', pu: 0.1 });
  });

  it('adds up the record counts of every leaf a missing value can reach', () => {
    // x missing, y = 2: leaves a2 (3 u, 17 v) and b (2 u, 18 v): 5 u and 35 v
    const r = m.score({ y: 2 });
    expect(r.c).toBe('v');
    expect(r.pu).toBeCloseTo(5 / 40, 12);
  });

  it('reaches every leaf when every input is missing', () => {
    // a1 + a2 + b: 45 + 3 + 2 = 50 u and 15 + 17 + 18 = 50 v, a tie the first category wins
    const r = m.score({});
    expect(r.pu).toBeCloseTo(0.5, 12);
    expect(r.c).toBe('u');
  });
});

describe('TreeModel combining strategies outside classification', () => {
  it('are reported as unsupported for regression trees', () => {
    const doc = tree('aggregateNodes').replace('functionName="classification"', 'functionName="regression"');
    expect(() => loadPmml(doc)).toThrow(/aggregateNodes outside classification/);
  });
});
