/**
 * Where predicates are found (predicate.ts `predicateChild`): the first child of a Node, Segment,
 * Attribute, SimpleRule or CompoundRule that is one of PMML's predicate elements, whatever comes
 * before it; every model family that reads one refuses a holder without one, at the holder.
 */
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../../src/index.js';
import { predicateChild } from '../../../src/pmml/lower/predicate.js';
import { parseXml } from '../../../src/pmml/xml.js';
import { seededRandom } from '../../helpers/random.js';
import { thrown } from '../../thrown.js';

/** The PREDICATE group of the PMML schema, as the standard lists it. */
const STANDARD_PREDICATES = ['SimplePredicate', 'CompoundPredicate', 'SimpleSetPredicate', 'True', 'False'];
/** Other children a predicate holder has, and names near a predicate's. */
const OTHERS = ['Node', 'ScoreDistribution', 'Extension', 'Partition', 'SimplePredicates', 'true', 'Predicate', 'Array'];

describe('predicateChild', () => {
  it("is a holder's first child of the standard's predicate elements, or undefined", () => {
    const names = [...STANDARD_PREDICATES, ...OTHERS];
    const r = seededRandom(11);
    let found = 0;
    for (let i = 0; i < 500; i++) {
      const kids = Array.from({ length: Math.floor(r() * 5) }, () => names[Math.floor(r() * names.length)]!);
      const node = parseXml(`<PMML><Node>${kids.map((k) => `<${k}/>`).join('')}</Node></PMML>`).children[0]!;
      const first = kids.findIndex((k) => STANDARD_PREDICATES.includes(k));
      expect([kids, predicateChild(node)]).toEqual([kids, first < 0 ? undefined : node.children[first]]);
      if (first >= 0) found++;
    }
    // Both answers are common.
    expect(found).toBeGreaterThan(100);
    expect(found).toBeLessThan(400);
  });
});

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';
const dictionary = `<DataDictionary>
  <DataField name="a" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="p"/><Value value="q"/></DataField>
</DataDictionary>`;
const schema = (target: string) => `<MiningSchema><MiningField name="a"/><MiningField name="${target}" usageType="target"/></MiningSchema>`;
const below = (v: number) => `<SimplePredicate field="a" operator="lessThan" value="${v}"/>`;

/** A tree whose first child node holds `pred` (and whatever is before it): 1 where it holds, else 2 (the second child's `other` holds). */
const tree = (pred: string, strategy = 'none', fn = 'regression', other = '<True/>') =>
  `${header}${dictionary}<TreeModel functionName="${fn}" missingValueStrategy="${strategy}">${schema(fn === 'regression' ? 'y' : 'c')}
<Node score="${fn === 'regression' ? 0 : 'p'}"><True/>
  <Node score="${fn === 'regression' ? 1 : 'p'}">${pred}<ScoreDistribution value="p" recordCount="1"/><ScoreDistribution value="q" recordCount="0"/></Node>
  <Node score="${fn === 'regression' ? 2 : 'q'}">${other}<ScoreDistribution value="p" recordCount="0"/><ScoreDistribution value="q" recordCount="1"/></Node>
</Node></TreeModel></PMML>`;

const scorecard = (
  pred: string,
) => `${header}${dictionary}<Scorecard functionName="regression" initialScore="0" useReasonCodes="false">${schema('y')}
<Characteristics><Characteristic name="ch"><Attribute partialScore="1">${pred}</Attribute><Attribute partialScore="2"><True/></Attribute></Characteristic></Characteristics>
</Scorecard></PMML>`;

const ruleSet = (pred: string, compound = '<True/>') => `${header}${dictionary}<RuleSetModel functionName="classification">${schema('c')}
<RuleSet defaultScore="q"><RuleSelectionMethod criterion="firstHit"/>
  <CompoundRule>${compound}<SimpleRule score="p">${pred}</SimpleRule></CompoundRule>
</RuleSet></RuleSetModel></PMML>`;

const mining = (pred: string) => `${header}${dictionary}<MiningModel functionName="regression">${schema('y')}
<Segmentation multipleModelMethod="sum">
  <Segment>${pred}<RegressionModel functionName="regression">${schema('y')}<RegressionTable intercept="1"/></RegressionModel></Segment>
  <Segment><True/><RegressionModel functionName="regression">${schema('y')}<RegressionTable intercept="2"/></RegressionModel></Segment>
</Segmentation></MiningModel></PMML>`;

/** A family of models with a predicate holder, and its result where the predicate holds (a = 0) and where not (a = 5). */
interface Family {
  readonly name: string;
  readonly doc: (pred: string) => string;
  readonly field: string;
  readonly holds: unknown;
  readonly fails: unknown;
  readonly holder: string;
  readonly message: string;
}

const regression = (name: string, doc: Family['doc'], holder: string, message: string, holds = 1): Family => ({
  name,
  doc,
  field: 'y',
  holds,
  fails: 2,
  holder,
  message,
});
const classification = (name: string, doc: Family['doc'], holder: string, message: string): Family => ({
  name,
  doc,
  field: 'c',
  holds: 'p',
  fails: 'q',
  holder,
  message,
});

// A compound predicate is no plain test (flat-tree.ts): such a tree is lowered as nested conditionals (tree.ts).
const COMPOUND = '<CompoundPredicate booleanOperator="and"><True/><True/></CompoundPredicate>';

const FAMILIES: readonly Family[] = [
  regression('flat tree', (p) => tree(p), 'Node', 'Node has no predicate'),
  regression('nested tree', (p) => tree(p, 'defaultChild', 'regression', COMPOUND), 'Node', 'Node has no predicate'),
  classification('combining tree', (p) => tree(p, 'aggregateNodes', 'classification'), 'Node', 'Node has no predicate'),
  regression('scorecard', scorecard, 'Attribute', 'Attribute needs a predicate'),
  classification('rule set', (p) => ruleSet(p), 'SimpleRule', 'SimpleRule needs a predicate'),
  classification('rule set, compound rule', (p) => ruleSet('<True/>', p), 'CompoundRule', 'CompoundRule needs a predicate'),
  regression('mining model', mining, 'Segment', 'Segment has no predicate', 3),
];

describe('the families that read a predicate', () => {
  for (const f of FAMILIES) {
    it(`${f.name}: take the first predicate after other children, and refuse ${f.holder} elements without one`, () => {
      const m = loadPmml(f.doc(`<Extension name="x"/>${below(1)}<True/>`));
      if (f.name.endsWith('tree')) expect(JSON.stringify(m.pfa).includes('model.tree.missingWalk')).toBe(f.name === 'flat tree');
      expect([m.score({ a: 0 })[f.field], m.score({ a: 5 })[f.field]]).toEqual([f.holds, f.fails]);
      const doc = f.doc('<Extension name="x"/>');
      const e = thrown(() => loadPmml(doc));
      expect([e.code, e.message]).toEqual(['pmml-invalid', expect.stringContaining(f.message)]);
      // At the holder without a predicate: the one line whose holder has only an Extension before its end.
      const line = doc.split('\n').findIndex((l) => l.includes(`<${f.holder}`) && l.includes('<Extension name="x"/>')) + 1;
      expect(e.location?.line).toBe(line);
    });
  }
});

describe('SimplePredicate with a non-finite value', () => {
  // A tree of nested predicates (not a flat tree: flat trees keep finite thresholds only).
  const tree = (op: string, value: string, dataType: string) => `${header}<DataDictionary>
  <DataField name="x" optype="continuous" dataType="${dataType}"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<TreeModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Node score="0"><True/>
    <Node score="1"><SimplePredicate field="x" operator="${op}" value="${value}"/></Node>
    <Node score="2"><True/></Node>
  </Node></TreeModel></PMML>`;

  it('compares with the infinity it names, for double and float fields', () => {
    for (const dataType of ['double', 'float']) {
      const below = loadPmml(tree('lessOrEqual', 'Infinity', dataType));
      const above = loadPmml(tree('greaterThan', '-INF', dataType));
      for (const x of [-1e30, 0, 3.5, 1e30]) {
        expect(below.score({ x }).y).toBe(1);
        expect(above.score({ x }).y).toBe(1);
      }
      // Nothing is below -Infinity.
      expect(loadPmml(tree('lessThan', '-Infinity', dataType)).score({ x: -1e30 }).y).toBe(2);
    }
  });
});
