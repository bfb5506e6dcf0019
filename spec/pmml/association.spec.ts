import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';

function ruleValue(name: string, attrs: string): string {
  return `<OutputField name="${name}" feature="ruleValue" ${attrs}/>`;
}

// Items bread(1) milk(2) jam(3) butter(4); rules in document order:
//   1: {bread} -> {milk}         support 0.4 confidence 0.8 lift 1.2
//   2: {bread,milk} -> {jam}     support 0.2 confidence 0.5 lift 2
//   r3: {milk} -> {bread}        support 0.4 confidence 0.9 lift 1.1
//   4: {bread} -> {butter}       support 0.1 confidence 0.8 (no lift)
const model = `${header}<DataDictionary>
  <DataField name="tx" optype="categorical" dataType="string"/>
  <DataField name="item" optype="categorical" dataType="string"/>
</DataDictionary>
<AssociationModel functionName="associationRules" numberOfTransactions="10" minimumSupport="0.1" minimumConfidence="0.5" numberOfItems="4" numberOfItemsets="5" numberOfRules="4">
  <MiningSchema><MiningField name="tx" usageType="group"/><MiningField name="item"/></MiningSchema>
  <Output>
    ${ruleValue('excl1', 'ruleFeature="consequent"')}
    ${ruleValue('excl1Id', 'ruleFeature="ruleId"')}
    ${ruleValue('excl1Rule', 'ruleFeature="rule"')}
    ${ruleValue('excl2', 'rank="2"')}
    ${ruleValue('excl3', 'rank="3"')}
    ${ruleValue('rec1', 'ruleFeature="ruleId" algorithm="recommendation"')}
    ${ruleValue('rec2', 'ruleFeature="ruleId" algorithm="recommendation" rank="2"')}
    ${ruleValue('rec3', 'ruleFeature="ruleId" algorithm="recommendation" rank="3"')}
    ${ruleValue('assocLow', 'ruleFeature="ruleId" algorithm="ruleAssociation" rankBasis="support" rankOrder="ascending"')}
    ${ruleValue('assocAntecedent', 'ruleFeature="antecedent" algorithm="ruleAssociation" rankBasis="support" rankOrder="ascending"')}
    ${ruleValue('lift1', 'ruleFeature="lift" rankBasis="lift"')}
    ${ruleValue('lift2', 'ruleFeature="lift" rankBasis="lift" rank="2"')}
    ${ruleValue('lift2Id', 'ruleFeature="ruleId" rankBasis="lift" rank="2"')}
    ${ruleValue('support1', 'ruleFeature="support"')}
    ${ruleValue('confidence1', 'ruleFeature="confidence"')}
  </Output>
  <Item id="1" value="bread"/><Item id="2" value="milk"/><Item id="3" value="jam"/><Item id="4" value="butter"/>
  <Itemset id="1"><ItemRef itemRef="1"/></Itemset>
  <Itemset id="2"><ItemRef itemRef="2"/></Itemset>
  <Itemset id="3"><ItemRef itemRef="1"/><ItemRef itemRef="2"/></Itemset>
  <Itemset id="4"><ItemRef itemRef="3"/></Itemset>
  <Itemset id="5"><ItemRef itemRef="4"/></Itemset>
  <AssociationRule antecedent="1" consequent="2" support="0.4" confidence="0.8" lift="1.2"/>
  <AssociationRule antecedent="3" consequent="4" support="0.2" confidence="0.5" lift="2"/>
  <AssociationRule id="r3" antecedent="2" consequent="1" support="0.4" confidence="0.9" lift="1.1"/>
  <AssociationRule antecedent="1" consequent="5" support="0.1" confidence="0.8"/>
</AssociationModel></PMML>`;

describe('AssociationModel', () => {
  const m = loadPmml(model);

  it('takes the items of a transaction as an array input field', () => {
    const item = (m.inputType as { fields: { name: string; type: unknown }[] }).fields.find((f) => f.name === 'item')!;
    expect(JSON.stringify(item.type)).toContain('"array"');
    expect(m.pfaInput({ tx: ['t1', 't1'], item: ['bread', 'milk'] })).toEqual({ tx: 't1', item: ['bread', 'milk'] });
    expect(m.pfaInput({ tx: 't1', item: 'bread' })).toEqual({ tx: 't1', item: ['bread'] });
  });

  it('selects exclusive recommendations (consequent not in the basket) by confidence', () => {
    // Basket {bread, milk}: all four antecedents hold; rules 1 and r3 recommend what is already there.
    // Left: rule 4 (confidence 0.8), rule 2 (0.5).
    const r = m.score({ tx: 't1', item: ['bread', 'milk'] });
    expect(r).toMatchObject({
      excl1: 'butter',
      excl1Id: '4',
      excl1Rule: '{bread}->{butter}',
      excl2: 'jam',
      excl3: null,
      support1: 0.1,
      confidence1: 0.8,
    });
  });

  it('ranks every firing rule for recommendation, ties in document order', () => {
    // Confidences r3 0.9, 1 0.8, 4 0.8, 2 0.5.
    expect(m.score({ item: ['bread', 'milk'] })).toMatchObject({ rec1: 'r3', rec2: '1', rec3: '4' });
  });

  it('keeps rules whose consequent is in the basket for ruleAssociation, in ascending support', () => {
    // Rules 1 and r3 both have support 0.4: document order.
    expect(m.score({ item: ['milk', 'bread'] })).toMatchObject({ assocLow: '1', assocAntecedent: 'bread' });
  });

  it('ranks a rule without the rank basis measure last', () => {
    expect(m.score({ item: ['bread', 'milk'] })).toMatchObject({ lift1: 2, lift2: null, lift2Id: '4' });
  });

  it('gives missing values when no rule fires or the basket is empty', () => {
    const none = { excl1: null, excl1Id: null, rec1: null, assocLow: null, lift1: null, support1: null };
    expect(m.score({ tx: 't2', item: ['jam'] })).toMatchObject(none);
    expect(m.score({ tx: 't3' })).toMatchObject(none);
  });

  it('reads a single value as a one-item basket', () => {
    // {bread}: rules 1 (milk, 0.8) and 4 (butter, 0.8) tie on confidence: document order.
    expect(m.score({ item: 'bread' })).toMatchObject({ excl1: 'milk', excl2: 'butter', rec1: '1' });
  });

  it('rejects a scalar field given different values', () => {
    expect(() => m.score({ tx: ['t1', 't2'], item: ['bread'] })).toThrow(/takes one value/);
  });
});
