/**
 * Hostile documents, built at run time: names that are Object.prototype's, numbers JSON cannot
 * hold, trees nested past the limit, ensembles with a hundred thousand segments. Each loads or
 * fails with a located TrajanError; none overflows the stack.
 */
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';
import { TrajanError } from '../../src/errors.js';
import { DEFAULT_MAX_TREE_DEPTH } from '../../src/pmml/lower/context.js';

const dictionary = (fields: string) =>
  `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/><DataDictionary>${fields}</DataDictionary>`;

function failure(f: () => unknown): TrajanError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TrajanError);
    return e as TrajanError;
  }
  throw new Error('expected a TrajanError');
}

describe('names of Object.prototype', () => {
  it('keeps a field and a category named __proto__', () => {
    const doc = `${dictionary(`<DataField name="__proto__" optype="continuous" dataType="double"/>
      <DataField name="c" optype="categorical" dataType="string"><Value value="__proto__"/><Value value="constructor"/></DataField>`)}
<TreeModel functionName="classification">
  <MiningSchema><MiningField name="__proto__"/><MiningField name="c" usageType="target"/></MiningSchema>
  <Output><OutputField name="p" feature="probability" value="__proto__"/></Output>
  <Node><True/>
    <Node score="__proto__"><SimplePredicate field="__proto__" operator="lessThan" value="1"/>
      <ScoreDistribution value="__proto__" recordCount="3"/><ScoreDistribution value="constructor" recordCount="1"/></Node>
    <Node score="constructor"><True/><ScoreDistribution value="__proto__" recordCount="1"/><ScoreDistribution value="constructor" recordCount="3"/></Node>
  </Node>
</TreeModel></PMML>`;
    const m = loadPmml(doc);
    expect(m.inputFields.map((f) => f.name)).toEqual(['__proto__']);
    const low = m.score(JSON.parse('{"__proto__": 0}'));
    expect(Object.hasOwn(low, 'c') && low.c).toBe('__proto__');
    expect(low.p).toBe(0.75);
    expect(m.score(JSON.parse('{"__proto__": 5}'))).toMatchObject({ c: 'constructor', p: 0.25 });
  });

  it('writes a result named __proto__ as an own field, one record or a batch', () => {
    const m =
      loadPmml(`${dictionary('<DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/>')}
<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Output><OutputField name="__proto__" feature="predictedValue"/></Output>
  <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel></PMML>`);
    for (const out of [m.score({ x: 3 }), ...m.scoreBatch([{ x: 3 }, { x: 3 }])]) {
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe(7);
      expect(out.y).toBe(7);
    }
  });
});

describe('numbers that are not finite', () => {
  const regression = (
    coefficient: string,
  ) => `${dictionary('<DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/>')}
<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
<RegressionTable intercept="1"><NumericPredictor name="x" coefficient="${coefficient}"/></RegressionTable></RegressionModel></PMML>`;

  it('rejects NaN and infinite coefficients at their element', () => {
    for (const c of ['NaN', 'INF', '-INF', 'Infinity']) {
      const e = failure(() => loadPmml(regression(c)));
      expect(e.code).toBe('pmml-bad-attribute');
      expect(e.location?.pointer).toBe('/PMML/RegressionModel/RegressionTable/NumericPredictor');
      expect(e.location?.line).toBe(3);
    }
  });

  it('rejects an infinite tree score at its Node', () => {
    const doc = `${dictionary('<DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/>')}
<TreeModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
<Node score="0"><True/><Node score="1E400"><True/></Node></Node></TreeModel></PMML>`;
    const e = failure(() => loadPmml(doc));
    expect(e.code).toBe('pmml-bad-attribute');
    expect(e.location?.pointer).toBe('/PMML/TreeModel/Node/Node');
  });

  it('accepts an infinite Interval margin', () => {
    const doc = `${dictionary('<DataField name="x" optype="continuous" dataType="double"><Interval closure="closedOpen" leftMargin="0" rightMargin="INF"/></DataField><DataField name="y" optype="continuous" dataType="double"/>')}
<RegressionModel functionName="regression"><MiningSchema><MiningField name="x" invalidValueTreatment="asMissing"/><MiningField name="y" usageType="target"/></MiningSchema>
<RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel></PMML>`;
    const m = loadPmml(doc);
    expect(m.score({ x: 3 }).y).toBe(7);
    expect(m.score({ x: -3 }).y).toBeNull();
  });
});

describe('text fields read as numbers', () => {
  it('scores NormContinuous and a NumericPredictor over a string field holding numbers, and fails on other text', () => {
    const doc = `${dictionary('<DataField name="s" optype="continuous" dataType="string"/><DataField name="y" optype="continuous" dataType="double"/>')}
<RegressionModel functionName="regression"><MiningSchema><MiningField name="s"/><MiningField name="y" usageType="target"/></MiningSchema>
<LocalTransformations><DerivedField name="z" optype="continuous" dataType="double"><NormContinuous field="s"><LinearNorm orig="0" norm="0"/><LinearNorm orig="10" norm="1"/></NormContinuous></DerivedField></LocalTransformations>
<RegressionTable intercept="0"><NumericPredictor name="s" coefficient="1"/><NumericPredictor name="z" coefficient="100"/></RegressionTable></RegressionModel></PMML>`;
    const m = loadPmml(doc);
    expect(m.score({ s: '5' }).y).toBe(55);
    expect(failure(() => m.score({ s: 'five' })).kind).toBe('runtime');
  });
});

/** A chain of `levels` Nodes (the root included), each splitting on x. */
function deepTree(levels: number): string {
  let open = '';
  let close = '';
  for (let i = 1; i < levels; i++) {
    open += `<Node id="n${i}" score="${i}"><SimplePredicate field="x" operator="greaterThan" value="${i}"/>`;
    close += '</Node>';
  }
  return `${dictionary('<DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/>')}
<TreeModel functionName="regression" noTrueChildStrategy="returnLastPrediction">
<MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
<Node score="0"><True/>${open}${close}</Node></TreeModel></PMML>`;
}

describe('deep trees', () => {
  it('loads and scores a tree at the default depth limit', () => {
    const m = loadPmml(deepTree(DEFAULT_MAX_TREE_DEPTH));
    expect(m.score({ x: 1e6 }).y).toBe(DEFAULT_MAX_TREE_DEPTH - 1);
    expect(m.score({ x: 3.5 }).y).toBe(3);
  });

  it('rejects a deeper tree with a located pmml-too-deep, never a RangeError', () => {
    const e = failure(() => loadPmml(deepTree(DEFAULT_MAX_TREE_DEPTH + 1)));
    expect(e.code).toBe('pmml-too-deep');
    expect(e.location?.line).toBeGreaterThan(0);
    expect(e.location?.pointer).toMatch(/\/Node/);
    // Past the document's own depth limit the XML scan refuses it before the lowering reads it.
    const deeper = failure(() => loadPmml(deepTree(1900)));
    expect(deeper.code).toBe('too-deep');
    expect(deeper.location?.column).toBeGreaterThan(0);
  });

  it('takes its limit from the maxTreeDepth option', () => {
    expect(failure(() => loadPmml(deepTree(11), { maxTreeDepth: 10 })).code).toBe('pmml-too-deep');
    expect(loadPmml(deepTree(10), { maxTreeDepth: 10 }).score({ x: 100 }).y).toBe(9);
  });

  it("bounds the trees of an ensemble's segments by the same limit", () => {
    // The tree of deepTree as the only segment of a MiningModel: its Nodes are as deep as before.
    const inSegment = (levels: number) =>
      deepTree(levels)
        .replace(
          '<TreeModel',
          '<MiningModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema><Segmentation multipleModelMethod="sum"><Segment id="1"><True/><TreeModel',
        )
        .replace('</TreeModel>', '</TreeModel></Segment></Segmentation></MiningModel>');
    const e = failure(() => loadPmml(inSegment(11), { maxTreeDepth: 10 }));
    expect(e.code).toBe('pmml-too-deep');
    expect(e.location?.pointer).toMatch(/\/Segment\/TreeModel\/Node(\/Node)*$/);
    expect(loadPmml(inSegment(10), { maxTreeDepth: 10 }).score({ x: 100 }).y).toBe(9);
  });
});

describe('many segments', () => {
  const ensemble = (n: number) => {
    const segments: string[] = [];
    for (let i = 0; i < n; i++)
      segments.push(
        `<Segment id="${i}"><True/><TreeModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><Node score="${i % 3}"><True/></Node></TreeModel></Segment>`,
      );
    return `${dictionary('<DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/>')}
<MiningModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
<Segmentation multipleModelMethod="sum">${segments.join('')}</Segmentation></MiningModel></PMML>`;
  };

  it('loads an ensemble within maxSegments and refuses one past it, at the Segmentation', () => {
    expect(loadPmml(ensemble(30), { maxSegments: 30 }).score({ x: 0 }).y).toBe(30);
    const e = failure(() => loadPmml(ensemble(31), { maxSegments: 30 }));
    expect(e.code).toBe('pmml-too-large');
    expect(e.location?.pointer).toBe('/PMML/MiningModel/Segmentation');
  });

  it('fails a 100,000-segment document with a coded error, in bounded time', () => {
    const start = Date.now();
    expect(failure(() => loadPmml(ensemble(100_000))).code).toBe('pmml-too-large');
    expect(Date.now() - start).toBeLessThan(60_000);
  }, 120_000);
});
