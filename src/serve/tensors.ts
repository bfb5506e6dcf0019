/**
 * Records ⇄ the named tensors of the Open Inference Protocol (KServe v2). A record input is one
 * tensor per field with the batch as the first dimension: `{"name": "x", "shape": [2],
 * "datatype": "FP64", "data": [1.5, 2.5]}` gives `x` of two records. Array fields take a second
 * dimension. Any other input type is one tensor. Results go back the same way.
 */
import type { AvroType } from '../avro/types.js';
import { isRecordValue, setField } from '../avro/values.js';
import { RequestError } from './scorer.js';

export interface Tensor {
  readonly name: string;
  readonly shape: number[];
  readonly datatype: string;
  readonly data: unknown[];
}

export interface TensorSpec {
  readonly name: string;
  readonly datatype: string;
  readonly shape: number[];
}

const DATATYPES: Partial<Record<AvroType['kind'], string>> = { boolean: 'BOOL', int: 'INT32', long: 'INT64', float: 'FP32', double: 'FP64' };

/** A nullable type's non-null branch: tensors carry no tags. */
function unwrap(t: AvroType): AvroType {
  if (t.kind !== 'union') return t;
  const rest = t.types.filter((b) => b.kind !== 'null');
  return rest.length === 1 ? rest[0]! : t;
}

/** The v2 datatype of a value of `t` (element type for arrays); strings and anything else are BYTES. */
export function datatype(t: AvroType): string {
  const u = unwrap(t);
  return DATATYPES[(u.kind === 'array' ? unwrap(u.items) : u).kind] ?? 'BYTES';
}

function shapeOf(t: AvroType): number[] {
  return unwrap(t).kind === 'array' ? [-1, -1] : [-1];
}

/** Tensor metadata for model metadata responses. */
export function tensorSpecs(t: AvroType, name: string): TensorSpec[] {
  if (t.kind === 'record') return t.fields.map((f) => ({ name: f.name, datatype: datatype(f.type), shape: shapeOf(f.type) }));
  return [{ name, datatype: datatype(t), shape: shapeOf(t) }];
}

function parseTensor(v: unknown, i: number): Tensor {
  if (!isRecordValue(v) || typeof v.name !== 'string' || !Array.isArray(v.shape) || !Array.isArray(v.data) || !v.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RequestError(400, `inputs[${i}] must have a name, a shape of non-negative integers and data`);
  }
  return { name: v.name, shape: v.shape as number[], datatype: String(v.datatype ?? ''), data: v.data };
}

/** The values of each batch row of a tensor: one value, or an array for a row of several. */
function rows(t: Tensor, asArrays: boolean): unknown[] {
  const [n = 1, ...rest] = t.shape;
  const per = rest.reduce((a, b) => a * b, 1);
  const flat = t.data.flat(Infinity);
  if (flat.length !== n * per) throw new RequestError(400, `input ${t.name}: shape [${t.shape.join(', ')}] needs ${n * per} values, got ${flat.length}`);
  if (!asArrays && per !== 1) throw new RequestError(400, `input ${t.name}: expected one value per row, shape [${t.shape.join(', ')}] gives ${per}`);
  return Array.from({ length: n }, (_, i) => (asArrays ? flat.slice(i * per, (i + 1) * per) : flat[i]));
}

/** The records in a v2 `inputs` list. */
export function tensorsToRecords(t: AvroType, inputs: unknown): unknown[] {
  if (!Array.isArray(inputs) || inputs.length === 0) throw new RequestError(400, 'inputs must be a non-empty array of tensors');
  const tensors = inputs.map(parseTensor);
  if (t.kind !== 'record') {
    if (tensors.length !== 1) throw new RequestError(400, 'this model takes exactly one input tensor');
    return rows(tensors[0]!, unwrap(t).kind === 'array');
  }
  const columns: Record<string, unknown[]> = {};
  let length: number | undefined;
  for (const tensor of tensors) {
    const field = t.fields.find((f) => f.name === tensor.name);
    if (!field) throw new RequestError(400, `unknown input ${tensor.name}; the model's inputs are ${t.fields.map((f) => f.name).join(', ')}`);
    const values = rows(tensor, unwrap(field.type).kind === 'array');
    if (length !== undefined && values.length !== length) throw new RequestError(400, `input ${tensor.name} has ${values.length} rows, others have ${length}`);
    length = values.length;
    setField(columns, tensor.name, values);
  }
  return Array.from({ length: length ?? 0 }, (_, i) => {
    const rec: Record<string, unknown> = {};
    for (const name of Object.keys(columns)) setField(rec, name, columns[name]![i]);
    return rec;
  });
}

function toTensor(name: string, t: AvroType, values: unknown[]): Tensor {
  const width = (values[0] as unknown[] | undefined)?.length;
  const rectangular = unwrap(t).kind === 'array' && values.every((v) => Array.isArray(v) && v.length === width);
  if (rectangular) return { name, datatype: datatype(t), shape: [values.length, width ?? 0], data: (values as unknown[][]).flat() };
  return { name, datatype: datatype(t), shape: [values.length], data: values };
}

/** Results as v2 output tensors: one per field of a record result, else one named `name`. */
export function recordsToTensors(t: AvroType, results: readonly unknown[], name: string): Tensor[] {
  if (t.kind !== 'record') return [toTensor(name, t, [...results])];
  return t.fields.map((f) => toTensor(f.name, f.type, results.map((r) => (r as Record<string, unknown>)[f.name])));
}
