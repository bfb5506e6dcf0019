import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

/** A classification RegressionModel whose tables give probabilities directly (normalizationMethod none). */
const model = (categories: string[]): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="p" optype="continuous" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string">${categories.map((c) => `<Value value="${c}"/>`).join('')}</DataField>
</DataDictionary>
<RegressionModel functionName="classification">
  <MiningSchema><MiningField name="p"/><MiningField name="c" usageType="target"/></MiningSchema>
  <Output>${categories.map((c) => `<OutputField name="p_${c}" feature="probability" value="${c}" dataType="double"/>`).join('')}</Output>
  <RegressionTable intercept="0" targetCategory="${categories[0]}"><NumericPredictor name="p" coefficient="1"/></RegressionTable>
  ${categories.length > 2 ? `<RegressionTable intercept="0.25" targetCategory="${categories[1]}"/>` : ''}
  <RegressionTable intercept="0" targetCategory="${categories.at(-1)}"/>
</RegressionModel></PMML>`;

describe('RegressionModel classification with normalizationMethod none', () => {
  it("gives the second of two categories the rest of the first one's probability", () => {
    const m = loadPmml(model(['yes', 'no']));
    // yes: 0.3, no: 1 - 0.3 = 0.7 (not its own table's 0)
    expect(m.score({ p: 0.3 })).toMatchObject({ c: 'no', p_yes: 0.3, p_no: 0.7 });
    expect(m.score({ p: 0.8 }).c).toBe('yes');
    expect(m.score({ p: 0.8 }).p_no).toBeCloseTo(0.2, 12);
  });

  it('gives the last of several categories what the others leave', () => {
    const m = loadPmml(model(['red', 'yellow', 'green']));
    // red: 0.5, yellow: 0.25, green: 1 - 0.75 = 0.25
    expect(m.score({ p: 0.5 })).toMatchObject({ c: 'red', p_red: 0.5, p_yellow: 0.25, p_green: 0.25 });
    // red: 0.1, yellow: 0.25, green: 0.65
    expect(m.score({ p: 0.1 }).c).toBe('green');
    expect(m.score({ p: 0.1 }).p_green).toBeCloseTo(0.65, 12);
  });
});
