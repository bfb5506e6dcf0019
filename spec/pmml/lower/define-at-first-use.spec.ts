/**
 * The lowered document names its result record type everywhere and defines it at the first `type`
 * member that names it, in document order; the initial values of cells and pools are data, not
 * types, and are neither searched nor changed.
 */
import { describe, expect, it } from 'vitest';
import { defineAtFirstUse, documentOfText } from '../../../src/pmml/lower/document.js';
import { RESULT_TYPE } from '../../../src/pmml/lower/context.js';
import { loadPfa, loadPmml } from '../../../src/index.js';

const SCHEMA = { type: 'record', name: 'Results', fields: [] };

describe('defineAtFirstUse', () => {
  it('defines the type at its first use, in the action after cells whose data has a type member', () => {
    const doc = {
      input: 'double',
      output: 'double',
      cells: { c: { type: { type: 'map', values: 'string' }, init: { type: 'Results' } } },
      action: [{ let: { r: { new: {}, type: 'Results' } } }, { new: {}, type: 'Results' }],
    };
    defineAtFirstUse(doc, SCHEMA);
    expect(doc.cells.c.init).toEqual({ type: 'Results' });
    expect(doc.action[0]).toEqual({ let: { r: { new: {}, type: SCHEMA } } });
    expect(doc.action[1]).toEqual({ new: {}, type: 'Results' });
  });

  it("defines it in a cell's or a pool's type when that comes first", () => {
    const cells = { c: { type: { type: 'array', items: { type: 'Results' } }, init: [] } };
    const doc = { input: 'double', output: 'double', cells, action: [{ new: {}, type: 'Results' }] };
    defineAtFirstUse(doc, SCHEMA);
    expect(cells.c.type.items).toEqual({ type: SCHEMA });
    expect(doc.action[0]).toEqual({ new: {}, type: 'Results' });

    const pools = { p: { type: { type: 'Results' }, init: {} } };
    const withPool = { input: 'double', output: 'double', pools, action: [{ new: {}, type: 'Results' }] };
    defineAtFirstUse(withPool, SCHEMA);
    expect(pools.p.type).toEqual({ type: SCHEMA });
    expect(withPool.action[0]).toEqual({ new: {}, type: 'Results' });
  });

  it('is applied again to the text a model keeps, so that model.pfa is the document the engine loaded', () => {
    const text = JSON.stringify({
      input: 'double',
      output: 'double',
      action: [
        { new: {}, type: 'Result' },
        { new: {}, type: 'Result' },
      ],
    });
    const doc = documentOfText(text);
    expect(doc).toEqual({
      input: 'double',
      output: 'double',
      action: [
        { new: {}, type: RESULT_TYPE },
        { new: {}, type: 'Result' },
      ],
    });
    expect(documentOfText(text)).not.toBe(doc);
    const model = loadPmml(`<PMML version="4.4"><Header/>
      <DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
      <RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
        <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel></PMML>`);
    expect(JSON.stringify(model.pfa).match(/"name":"Result"/g)).toHaveLength(1);
    expect(model.score({ x: 2 })).toEqual({ y: 5 });
    expect(loadPfa(model.pfa).action({ x: 2 })).toMatchObject({ y: 5 });
  });
});
