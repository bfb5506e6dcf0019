/**
 * Bad PMML and bad records: every problem is a TrajanError with a code, raised at load (located in
 * the XML: element path, line and column) or, for records, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { loadPmml, TrajanError } from '../../src/index.js';

function error(f: () => unknown): TrajanError {
  try {
    f();
  } catch (e) {
    if (e instanceof TrajanError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const doc = (
  model: string,
  dictionary = '<DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/>',
) =>
  `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">\n<Header/>\n<DataDictionary>${dictionary}</DataDictionary>\n${model}\n</PMML>`;

const regression = (extra = '', schema = '<MiningField name="x"/>') =>
  `<RegressionModel functionName="regression"><MiningSchema>${schema}<MiningField name="y" usageType="target"/></MiningSchema>${extra}<RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel>`;

describe('bad PMML documents', () => {
  it('rejects malformed XML with its line', () => {
    const e = error(() => loadPmml('<PMML version="4.4">\n<DataDictionary>\n</PMML>'));
    expect(e.code).toBe('xml-syntax');
    expect(e.location?.line).toBeGreaterThan(1);
  });

  it('rejects entity declarations without expanding them (billion laughs)', () => {
    const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE PMML [<!ENTITY l0 "lol">${entities}]>\n<PMML version="4.4"><Header>&l10;</Header></PMML>`;
    const e = error(() => loadPmml(laughs));
    expect(e.code).toBe('xml-doctype');
    expect(e.location?.line).toBe(2);
  });

  it('never fetches external entities', () => {
    const e = error(() => loadPmml('<?xml version="1.0"?><!DOCTYPE PMML [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]><PMML>&x;</PMML>'));
    expect(e.code).toBe('xml-doctype');
  });

  it('reports an unsupported model element with its path and line', () => {
    const e = error(() => loadPmml(doc('<SequenceModel functionName="sequences"><MiningSchema/></SequenceModel>')));
    expect(e.code).toBe('pmml-unsupported');
    expect(e.location).toMatchObject({ pointer: '/PMML/SequenceModel', line: 4 });
  });

  it('reports the Aggregate forms it cannot lower at load: multiset values and sqlWhere', () => {
    for (const expr of ['<Aggregate field="x" function="multiset"/>', '<Aggregate field="x" function="sum" sqlWhere="x &gt; 0"/>']) {
      const e = error(() =>
        loadPmml(
          doc(
            regression(
              `<LocalTransformations><DerivedField name="d" optype="continuous" dataType="double">${expr}</DerivedField></LocalTransformations>`,
            ),
          ),
        ),
      );
      expect(e.code).toBe('pmml-unsupported');
      expect(e.location?.pointer).toMatch(/^\/PMML\/RegressionModel\/LocalTransformations\/DerivedField\/Aggregate$/);
      expect(e.location?.line).toBe(4);
    }
  });

  it('reports a missing required attribute', () => {
    const e = error(() => loadPmml(doc(regression(), '<DataField optype="continuous" dataType="double"/>')));
    expect(e.code).toBe('pmml-missing-attribute');
    expect(e.message).toMatch(/DataField needs attribute name/);
  });

  it('reports an undefined field reference', () => {
    const e = error(() => loadPmml(doc(regression('', '<MiningField name="z"/>'))));
    expect(e.code).toBe('pmml-undefined-field');
    expect(e.message).toContain('"z"');
  });

  it('reports an unknown function', () => {
    const e = error(() =>
      loadPmml(
        doc(
          regression(
            '<LocalTransformations><DerivedField name="d" dataType="double" optype="continuous"><Apply function="frobnicate"><FieldRef field="x"/></Apply></DerivedField></LocalTransformations>',
          ),
        ),
      ),
    );
    expect(e.code).toBe('pmml-unsupported');
    expect(e.message).toContain('frobnicate');
  });

  it('reports a document without a scorable model', () => {
    expect(error(() => loadPmml(doc(''))).code).toBe('pmml-no-model');
  });
});

describe('bad records', () => {
  it('replaces a missing value as the MiningSchema says, or gives a missing prediction', () => {
    expect(loadPmml(doc(regression('', '<MiningField name="x" missingValueReplacement="4"/>'))).score({}).y).toBe(9);
    expect(loadPmml(doc(regression())).score({ x: null }).y).toBeNull();
  });

  it('treats an invalid value as the MiningSchema says', () => {
    const dictionary =
      '<DataField name="x" optype="continuous" dataType="double"><Interval closure="closedClosed" leftMargin="0" rightMargin="10"/></DataField><DataField name="y" optype="continuous" dataType="double"/>';
    expect(
      loadPmml(doc(regression('', '<MiningField name="x" invalidValueTreatment="asMissing"/>'), dictionary)).score({ x: 11 }).y,
    ).toBeNull();
    expect(
      loadPmml(
        doc(regression('', '<MiningField name="x" invalidValueTreatment="asValue" invalidValueReplacement="0"/>'), dictionary),
      ).score({ x: 11 }).y,
    ).toBe(1);
    expect(error(() => loadPmml(doc(regression('', '<MiningField name="x"/>'), dictionary)).score({ x: 11 })).message).toMatch(
      /invalid value of field x/,
    );
  });

  it('names the field of a wrongly typed value', () => {
    const e = error(() => loadPmml(doc(regression())).score({ x: 'seven' }));
    expect(e.code).toBe('input-mismatch');
    expect(e.message).toContain('"x"');
    expect(loadPmml(doc(regression())).score({ x: '3' }).y).toBe(7);
  });
});
