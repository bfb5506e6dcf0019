/**
 * What a caller's record may hold: the target is not an input, a name the model does not know is
 * an `unknown-field` error unless `allowExtraFields`, and only the record's own properties are read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, loadPmml, wireTypes } from '../../src/index.js';
import { TrajanError } from '../../src/errors.js';
import { runConvert } from '../../src/cli/convert.js';
import { serveRepository } from '../serve/repo.js';

const doc = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="sepal length" optype="continuous" dataType="double"/>
  <DataField name="toString" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="sepal length"/><MiningField name="toString"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Output><OutputField name="pred" feature="predictedValue"/></Output>
  <RegressionTable intercept="1"><NumericPredictor name="sepal length" coefficient="2"/><NumericPredictor name="toString" coefficient="1"/></RegressionTable>
</RegressionModel></PMML>`;

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TrajanError);
    return (e as TrajanError).code as string;
  }
  return undefined;
};

describe('the target field', () => {
  it('is not an input: not in inputFields nor in the lowered input record', () => {
    const m = loadPmml(doc);
    expect(m.inputFields.map((f) => f.name)).toEqual(['sepal length', 'toString']);
    expect(m.targetFields.map((f) => f.name)).toEqual(['y']);
    const input = m.pfa.input as { fields: { name: string }[] };
    expect(input.fields.map((f) => f.name)).toEqual(['sepal_length', 'toString']);
  });

  it('is not an input of the wire types, of the server metadata or of `trajan convert`', async () => {
    const wire = wireTypes(loadPmml(doc));
    expect(wire.input.kind === 'record' && wire.input.fields.map((f) => f.name)).toEqual(['sepal length', 'toString']);
    expect(wire.output.kind === 'record' && wire.output.fields.map((f) => f.name)).toEqual(['y', 'pred']);

    const root = mkdtempSync(join(tmpdir(), 'trajan-target-'));
    try {
      mkdirSync(join(root, 'lin', '1'), { recursive: true });
      const file = join(root, 'lin', '1', 'model.pmml');
      writeFileSync(file, doc);
      const server = await serveRepository(root);
      try {
        const kserve = (await server.app.inject({ url: '/v2/models/lin' })).json();
        expect(kserve.inputs.map((t: { name: string }) => t.name)).toEqual(['sepal length', 'toString']);
        const tfserving = (await server.app.inject({ url: '/v1/models/lin/metadata' })).json();
        expect(Object.keys(tfserving.metadata.signature_def.signature_def.serving_default.inputs)).toEqual(['sepal length', 'toString']);
        expect(tfserving.metadata.avro_schema.input.fields.map((f: { name: string }) => f.name)).toEqual(['sepal length', 'toString']);
      } finally {
        await server.close();
      }
      const written: string[] = [];
      expect(
        runConvert(
          [file],
          (s) => written.push(s),
          () => {},
        ),
      ).toBe(0);
      const converted = JSON.parse(written.join('')) as { input: { fields: { name: string }[] } };
      expect(converted.input.fields.map((f) => f.name)).toEqual(['sepal_length', 'toString']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('may still be given in a record (a labelled row), and is ignored', () => {
    expect(loadPmml(doc).score({ 'sepal length': 1, toString: 1, y: 100 })).toEqual({ y: 4, pred: 4 });
  });

  it('is read from the record when a residual output needs it, yet stays a target, not an input field', () => {
    const residual = doc.replace('<OutputField name="pred" feature="predictedValue"/>', '<OutputField name="res" feature="residual"/>');
    const m = loadPmml(residual);
    expect(m.inputFields.map((f) => f.name)).not.toContain('y');
    expect(m.targetFields.map((f) => f.name)).toEqual(['y']);
    expect(m.wire.input.kind === 'record' && m.wire.input.fields.map((f) => f.name)).toContain('y');
    expect(Object.keys((m.jsonSchema().input as { properties: object }).properties)).toContain('y');
    expect(m.score({ 'sepal length': 1, toString: 1, y: 10 }).res).toBe(6);
  });
});

describe('unknown fields', () => {
  it('are an unknown-field error naming the field and the closest known name', () => {
    const m = loadPmml(doc);
    try {
      m.score({ sepal_length: 1 });
      expect.unreachable();
    } catch (e) {
      expect((e as TrajanError).code).toBe('unknown-field');
      expect((e as Error).message).toContain('"sepal_length"');
      expect((e as Error).message).toContain('"sepal length"');
    }
    expect(code(() => m.scoreBatch([{ 'sepal length': 1 }, { sepalLength: 1 }]))).toBe('unknown-field');
  });

  it('are ignored with allowExtraFields, through loadPmml and loadModel', () => {
    expect(loadPmml(doc, { allowExtraFields: true }).score({ 'sepal length': 1, toString: 1, extra: 'x' }).y).toBe(4);
    expect(loadModel(doc, { allowExtraFields: true }).score({ 'sepal length': 1, toString: 1, extra: 'x' })).toEqual({ y: 4, pred: 4 });
    expect(code(() => loadModel(doc).score({ 'sepal length': 1, extra: 'x' }))).toBe('unknown-field');
  });

  it('apply to plain records of a PFA model too', () => {
    const pfa = JSON.stringify({
      input: { type: 'record', name: 'In', fields: [{ name: 'a', type: 'double' }] },
      output: 'double',
      action: [{ '+': ['input.a', 1] }],
    });
    expect(loadModel(pfa).score({ a: 1 })).toBe(2);
    expect(code(() => loadModel(pfa).score({ a: 1, b: 2 }))).toBe('unknown-field');
    expect(code(() => loadModel(pfa).scoreBatch([{ a: 1 }, { a: 1, A: 2 }]))).toBe('unknown-field');
    expect(loadModel(pfa, { allowExtraFields: true }).score({ a: 1, b: 2 })).toBe(2);
  });
});

describe('own properties only', () => {
  it('reads a missing input named toString or hasOwnProperty as missing, not as the inherited function', () => {
    const m = loadPmml(doc);
    expect(m.score({ 'sepal length': 1 }).y).toBeNull();
    const proto = loadPmml(doc.replaceAll('toString', 'hasOwnProperty'));
    expect(proto.score({ 'sepal length': 1 }).y).toBeNull();
    expect(proto.score({ 'sepal length': 1, hasOwnProperty: 2 }).y).toBe(5);
  });
});
