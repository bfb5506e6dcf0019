/**
 * Every model lists its fields (inputs, targets, outputs) and the JSON Schemas of its plain records;
 * the schemas accept the records the model scores and the results it gives, and refuse records
 * with wrong types (checked with ajv, draft 2020-12).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadModel, loadPmml, type ModelField } from '../src/index.js';

const text = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

const PMML = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="x" displayName="Size (cm)" optype="continuous" dataType="double"><Interval closure="closedOpen" leftMargin="0" rightMargin="100"/></DataField>
  <DataField name="color" optype="categorical" dataType="string"><Value value="red"/><Value value="blue"/><Value value="??" property="missing"/></DataField>
  <DataField name="y" displayName="Price" optype="continuous" dataType="double"/>
</DataDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="x"/><MiningField name="color"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Output><OutputField name="pred" displayName="Predicted price" feature="predictedValue" dataType="double"/></Output>
  <RegressionTable intercept="0.5"><NumericPredictor name="x" coefficient="2"/><CategoricalPredictor name="color" value="red" coefficient="3"/></RegressionTable>
</RegressionModel></PMML>`;

const summary = (fields: readonly ModelField[]) => fields.map(({ schema: _s, type: _t, ...rest }) => rest);

function validator(schema: Record<string, unknown>) {
  return new Ajv2020({ strict: true, allErrors: true }).compile(schema);
}

describe('PMML fields', () => {
  const m = loadPmml(PMML);

  it('list inputs, target and outputs with data type, optype, valid values, intervals and display names', () => {
    expect(summary(m.inputFields)).toEqual([
      {
        name: 'x',
        optional: true,
        dataType: 'double',
        opType: 'continuous',
        intervals: [{ closure: 'closedOpen', leftMargin: 0, rightMargin: 100 }],
        displayName: 'Size (cm)',
      },
      { name: 'color', optional: true, dataType: 'string', opType: 'categorical', values: ['red', 'blue'] },
    ]);
    expect(summary(m.targetFields)).toEqual([
      { name: 'y', optional: false, dataType: 'double', opType: 'continuous', displayName: 'Price' },
    ]);
    expect(summary(m.outputFields)).toEqual([
      { name: 'pred', optional: false, dataType: 'double', opType: 'continuous', displayName: 'Predicted price' },
    ]);
    expect(m.inputFields[0]!.type).toEqual({ kind: 'union', types: [{ kind: 'null' }, { kind: 'double' }] });
  });

  it('never list the target as an input, and are the same through loadModel', () => {
    expect(m.inputFields.map((f) => f.name)).not.toContain('y');
    const same = loadModel(PMML);
    expect(summary(same.inputFields)).toEqual(summary(m.inputFields));
    expect(same.wire).toEqual(m.wire);
  });

  it('give JSON Schemas that accept what the model scores and gives, and refuse wrong values', () => {
    const { input, output } = m.jsonSchema();
    expect(input.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const inOk = validator(input);
    const outOk = validator(output);
    for (const record of [{ x: 1, color: 'red' }, { x: 99.5 }, {}, { x: null, color: null }]) {
      expect(inOk(record), JSON.stringify(inOk.errors)).toBe(true);
      expect(outOk(m.score(record)), JSON.stringify(outOk.errors)).toBe(true);
    }
    expect(inOk({ x: 'big' })).toBe(false);
    expect(inOk({ color: 'green' })).toBe(false); // not a valid value
    expect(inOk({ x: 100 })).toBe(false); // the interval is open on the right
    expect(inOk({ x: -1 })).toBe(false);
    expect(outOk({ y: 'a', pred: 1 })).toBe(false);
    expect((input.properties as Record<string, { title?: string }>).x!.title).toBe('Size (cm)');
  });
});

describe('PFA fields', () => {
  const total = loadModel(text('./fixtures/scoring/total.pfa.yaml'));

  it('are the fields of the input and output records; PFA tells no target', () => {
    expect(total.inputFields.map((f) => [f.name, f.optional])).toEqual([
      ['x', false],
      ['y', true],
      ['label', false],
    ]);
    expect(total.targetFields).toEqual([]);
    expect(total.outputFields.map((f) => f.name)).toEqual(['total', 'label']);
    expect(total.inputFields[0]).toMatchObject({ type: { kind: 'double' }, schema: { anyOf: [{ type: 'number' }, expect.anything()] } });
  });

  it('are one field named input or output for a type that is not a record', () => {
    const m = loadModel<number, string>(
      '{"input": "double", "output": {"type": "enum", "name": "E", "symbols": ["a", "b"]}, "action": [{"type": "E", "value": "a"}]}',
    );
    expect(m.inputFields.map((f) => f.name)).toEqual(['input']);
    expect(m.outputFields.map((f) => f.name)).toEqual(['output']);
    const { input, output } = m.jsonSchema();
    expect(validator(input)(1.5)).toBe(true);
    expect(validator(output)(m.score(2))).toBe(true);
    expect(validator(output)('c')).toBe(false);
  });

  it('score plain records (a nullable field plain or absent) and give schemas that hold for them', () => {
    expect(total.score({ x: 1, y: 2, label: 'a' })).toEqual({ total: 3, label: 'A' });
    expect(total.score({ x: 1, label: 'a' })).toEqual({ total: 1, label: 'A' });
    expect(total.engine.toJson(total.engine.action(total.engine.fromJson({ x: 1, y: { double: 2 }, label: 'a' })))).toEqual({
      total: 3,
      label: 'A',
    });
    const { input, output } = total.jsonSchema();
    const inOk = validator(input);
    expect(inOk({ x: 1, y: 2, label: 'a' })).toBe(true);
    expect(inOk({ x: 1, label: 'a' })).toBe(true);
    expect(inOk({ x: 1, y: { double: 2 }, label: 'a' })).toBe(false); // tagged JSON is the engine's
    expect(inOk({ y: 2, label: 'a' })).toBe(false);
    expect(validator(output)(total.score({ x: 1, y: null, label: 'b' }))).toBe(true);
  });

  it('take a field with a default as optional: left out, the default stands in for it', () => {
    const m = loadModel(
      '{"input": {"type": "record", "name": "In", "fields": [{"name": "x", "type": "double"}, {"name": "y", "type": "double", "default": 2}]}, "output": "double", "action": {"+": ["input.x", "input.y"]}}',
    );
    expect(m.inputFields.map((f) => [f.name, f.optional])).toEqual([
      ['x', false],
      ['y', true],
    ]);
    expect(validator(m.jsonSchema().input)({ x: 1 })).toBe(true);
    expect(m.score({ x: 1 })).toBe(3);
    expect(m.score({ x: 1, y: 5 })).toBe(6);
    expect(m.scoreBatch([{ x: 1 }, { x: 1, y: 0 }])).toEqual([3, 1]);
    expect(() => m.score({ y: 5 })).toThrow(/missing field "x"/);
  });

  it('with nested and recursive records: $defs at the root of the schema', () => {
    const doc = {
      input: {
        type: 'record',
        name: 'Tree',
        fields: [
          { name: 'v', type: 'int' },
          { name: 'kids', type: { type: 'array', items: 'Tree' } },
          { name: 'tag', type: ['null', 'string', { type: 'map', values: 'double' }] },
        ],
      },
      output: 'int',
      action: [{ 'a.len': ['input.kids'] }],
    };
    const m = loadModel(doc);
    const { input } = m.jsonSchema();
    const ok = validator(input);
    const record = { v: 1, kids: [{ v: 2, kids: [], tag: 'x' }], tag: { a: 1.5 } };
    expect(ok(record), JSON.stringify(ok.errors)).toBe(true);
    expect(m.score(record)).toBe(1);
    expect(ok({ v: 1, kids: [{ v: 'two', kids: [] }] })).toBe(false);
  });
});
