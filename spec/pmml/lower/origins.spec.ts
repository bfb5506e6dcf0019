/**
 * A lowered document the PFA checker refuses is reported at the PMML element the refused part was
 * lowered from (src/pmml/lower/builder.ts records origins; src/pmml/model.ts maps the checker's
 * JSON pointer back to them). The lowering gives well-typed documents, so the defect is made here:
 * one DerivedField's lowered value is replaced, or rewritten in place, by an ill-typed form.
 */
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/pmml/xml.js';
import { lowerDocument, type LoweredDocument } from '../../../src/pmml/lower/document.js';
import { originAt } from '../../../src/pmml/lower/builder.js';
import { PmmlModel, loweredDocumentError } from '../../../src/pmml/model.js';
import { TrajanError } from '../../../src/errors.js';

const TEXT = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<TransformationDictionary>
  <DerivedField name="d" optype="continuous" dataType="double">
    <Apply function="+"><FieldRef field="x"/><Constant dataType="double">1</Constant></Apply>
  </DerivedField>
</TransformationDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="d"/><MiningField name="y" usageType="target"/></MiningSchema>
  <RegressionTable intercept="1"><NumericPredictor name="d" coefficient="2"/></RegressionTable>
</RegressionModel></PMML>`;

/** 1-based line and column of the first occurrence of `tag` in TEXT. */
function where(tag: string): { line: number; column: number } {
  const lines = TEXT.split('\n');
  const line = lines.findIndex((l) => l.includes(tag));
  return { line: line + 1, column: lines[line]!.indexOf(tag) + 1 };
}

/** The document lowered, and the `let` statement of derived field d with its variable. */
function lowered(): {
  root: ReturnType<typeof parseXml>;
  doc: LoweredDocument;
  index: number;
  name: string;
  stmt: { let: Record<string, unknown> };
} {
  const root = parseXml(TEXT);
  const doc = lowerDocument(root, 'm');
  // The checked document is a copy of the one built: the defect goes into the copy, where the
  // checker reads it, and the pointer is walked back in the built one.
  const action = doc.pfa.action as { let?: Record<string, unknown> }[];
  const index = action.findIndex((s) => s.let !== undefined && Object.keys(s.let).some((k) => k.startsWith('d_')));
  expect(index).toBeGreaterThanOrEqual(0);
  const stmt = action[index] as { let: Record<string, unknown> };
  return { root, doc, index, name: Object.keys(stmt.let)[0]!, stmt };
}

/** Builds the engine of a (broken) lowered document and gives the error loadPmml would throw. */
function refusal(doc: LoweredDocument, root: ReturnType<typeof parseXml>): TrajanError {
  try {
    new PmmlModel(doc, undefined, {}, root);
  } catch (e) {
    const mapped = loweredDocumentError(e, doc);
    expect(mapped).toBeInstanceOf(TrajanError);
    return mapped as TrajanError;
  }
  throw new Error('the broken document was accepted');
}

describe('lowering errors located in the PMML', () => {
  it('a refused part added under a DerivedField is reported at the DerivedField, with the pointer in the message', () => {
    const { root, doc, index, stmt } = lowered();
    stmt.let.broken = { '+': [{ string: 'not a number' }, 1] };
    const e = refusal(doc, root);
    expect(e.code).toBe('pmml-lowering');
    expect({ line: e.location?.line, column: e.location?.column }).toEqual(where('<DerivedField'));
    expect(e.message).toContain(`/action/${index}/let/broken`);
  });

  it('a refused part inside a lowered expression is reported at the expression element', () => {
    const { root, doc, name, stmt } = lowered();
    // The object the Apply was lowered to, rewritten: the pointer leads to it in the built document.
    const value = stmt.let[name] as Record<string, unknown>;
    for (const k of Object.keys(value)) delete value[k];
    value['+'] = [{ string: 'not a number' }, 1];
    const e = refusal(doc, root);
    expect(e.code).toBe('pmml-lowering');
    expect({ line: e.location?.line, column: e.location?.column }).toEqual(where('<Apply'));
  });

  it('originAt walks a pointer to the deepest recorded part, and gives nothing off the document', () => {
    const { doc, index, name } = lowered();
    expect(originAt(doc.built, `/action/${index}/let/${name}`)).toMatchObject(where('<Apply'));
    expect(originAt(doc.built, `/action/${index}`)).toMatchObject(where('<DerivedField'));
    expect(originAt(doc.built, '/input')).toBeUndefined();
    expect(originAt(doc.built, undefined)).toBeUndefined();
  });
});
