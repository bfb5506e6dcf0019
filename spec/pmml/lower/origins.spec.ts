/**
 * A lowered document the PFA checker refuses is reported at the PMML element the refused part was
 * lowered from (src/pmml/lower/builder.ts records origins; src/pmml/model.ts maps the checker's
 * JSON pointer back to them). The lowering gives well-typed documents, so the defect is made here:
 * one DerivedField's lowered value is replaced, or rewritten in place, by an ill-typed form, or a
 * node of a flat tree's cell (lower/flat-tree.ts) is given a value of the wrong type.
 */
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/pmml/xml.js';
import { lowerDocument, type LoweredDocument } from '../../../src/pmml/lower/document.js';
import { originAt } from '../../../src/pmml/lower/builder.js';
import { PmmlModel, loweredDocumentError, pmmlParts } from '../../../src/pmml/model.js';
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

/** 1-based line and column of the first occurrence of `tag` in `text`. */
function where(tag: string, text = TEXT): { line: number; column: number } {
  const lines = text.split('\n');
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
    new PmmlModel(pmmlParts(doc, root), undefined, {}, doc.pfa);
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

  it('a refused node of a tree walked in an ensemble is reported at its TreeModel, with the pointer in the message', () => {
    const root = parseXml(FOREST);
    const doc = lowerDocument(root, 'm');
    const forest = flatTreeCell(doc, 'trees_');
    // The second tree's root record tests Node score="3"; the document's own model is the MiningModel.
    const second = (forest.init as Record<string, unknown>[])[1]!;
    expect(second.value).toEqual({ double: 2 });
    second.operator = 5;
    const e = refusal(doc, root);
    expect(e.code).toBe('pmml-lowering');
    expect({ line: e.location?.line, column: e.location?.column }).toEqual(where('<TreeModel modelName="t2"', FOREST));
    expect(e.message).toContain(`/cells/${forest.name}/init/1/operator`);
  });

  it('originAt finds the TreeModel of a flat tree, and the Node that predicts each of its Results', () => {
    const doc = lowerDocument(parseXml(TREE), 'm');
    const tree = flatTreeCell(doc, 'tree_');
    const results = flatTreeCell(doc, 'treeResults_');
    expect(originAt(doc.built, `/cells/${tree.name}/init/fail`)).toMatchObject(where('<TreeModel', TREE));
    expect(originAt(doc.built, `/cells/${tree.name}/type`)).toMatchObject(where('<TreeModel', TREE));
    // Entry 0 is the null Result, which every tree shares: it is the TreeModel's.
    const labels = (results.init as { label: { string: string } | null }[]).map((r) => r.label?.string ?? null);
    expect(labels[0]).toBeNull();
    expect(originAt(doc.built, `/cells/${results.name}/init/0`)).toMatchObject(where('<TreeModel', TREE));
    const e = labels.indexOf('e');
    expect(originAt(doc.built, `/cells/${results.name}/init/${e}/label`)).toMatchObject(where('<Node score="e"', TREE));
    // The statement that walks the tree is the TreeModel's.
    const walk = (doc.pfa.action as unknown[]).findIndex((s) => JSON.stringify(s).includes('model.tree.missingWalk'));
    expect(walk).toBeGreaterThanOrEqual(0);
    expect(originAt(doc.built, `/action/${walk}`)).toMatchObject(where('<TreeModel', TREE));
  });

  it('originAt finds each tree of an ensemble walked together at its own TreeModel', () => {
    const doc = lowerDocument(parseXml(FOREST), 'm');
    const forest = flatTreeCell(doc, 'trees_');
    expect(forest.init).toHaveLength(2);
    expect(originAt(doc.built, `/cells/${forest.name}/init/0/value`)).toMatchObject(where('<TreeModel modelName="t1"', FOREST));
    expect(originAt(doc.built, `/cells/${forest.name}/init/1/pass`)).toMatchObject(where('<TreeModel modelName="t2"', FOREST));
    const second = flatTreeCell(doc, 'treeResults_', 1);
    expect(originAt(doc.built, `/cells/${second.name}`)).toMatchObject(where('<TreeModel modelName="t2"', FOREST));
  });

  it('originAt finds each tree of a summed ensemble at its own TreeModel', () => {
    const summed = FOREST.replace('multipleModelMethod="max"', 'multipleModelMethod="average"');
    const doc = lowerDocument(parseXml(summed), 'm');
    // The summed form (tree-sum.ts): the scores are the leaves, with no table of Results.
    expect(Object.keys(doc.pfa.cells as object).some((k) => k.startsWith('treeResults_'))).toBe(false);
    const forest = flatTreeCell(doc, 'trees_');
    expect(forest.init).toHaveLength(2);
    expect(originAt(doc.built, `/cells/${forest.name}/init/0/value`)).toMatchObject(where('<TreeModel modelName="t1"', summed));
    expect(originAt(doc.built, `/cells/${forest.name}/init/1/pass`)).toMatchObject(where('<TreeModel modelName="t2"', summed));
  });
});

/** A TreeModel of plain tests, which lowers to a flat tree. */
const TREE = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="categorical" dataType="string"/>
</DataDictionary>
<TreeModel functionName="classification">
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Node score="a"><True/>
    <Node score="b"><SimplePredicate field="x" operator="lessThan" value="1"/></Node>
    <Node score="c"><SimplePredicate field="x" operator="greaterOrEqual" value="1"/>
      <Node score="d"><SimplePredicate field="x" operator="lessThan" value="5"/></Node>
      <Node score="e"><True/></Node>
    </Node>
  </Node>
</TreeModel></PMML>`;

/** Two such trees in segments that always run, which are walked together (and by `max`, not summed). */
const FOREST = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<MiningModel functionName="regression">
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Segmentation multipleModelMethod="max">
    <Segment id="1"><True/>
      <TreeModel modelName="t1" functionName="regression">
        <MiningSchema><MiningField name="x"/></MiningSchema>
        <Node score="0"><True/>
          <Node score="1"><SimplePredicate field="x" operator="lessThan" value="1"/></Node>
          <Node score="2"><True/></Node>
        </Node>
      </TreeModel>
    </Segment>
    <Segment id="2"><True/>
      <TreeModel modelName="t2" functionName="regression">
        <MiningSchema><MiningField name="x"/></MiningSchema>
        <Node score="0"><True/>
          <Node score="3"><SimplePredicate field="x" operator="lessThan" value="2"/></Node>
          <Node score="4"><True/></Node>
        </Node>
      </TreeModel>
    </Segment>
  </Segmentation>
</MiningModel></PMML>`;

/** The `n`th cell (in document order) whose name starts with `prefix`, with its name. */
function flatTreeCell(doc: LoweredDocument, prefix: string, n = 0): { name: string; init: unknown } {
  const cells = doc.pfa.cells as Record<string, { init: unknown }>;
  const name = Object.keys(cells).filter((k) => k.startsWith(prefix))[n];
  expect(name, `a cell ${prefix}*`).toBeDefined();
  return { name: name!, init: cells[name!]!.init };
}
