/**
 * Records ⇄ the named tensors of the Open Inference Protocol (KServe v2). A record input is one
 * tensor per field with the batch as the first dimension: `{"name": "x", "shape": [2],
 * "datatype": "FP64", "data": [1.5, 2.5]}` gives `x` of two records. Array fields take a second
 * dimension. Any other input type is one tensor. Results go back the same way.
 */
import type { AvroType } from '../avro/types.js';
import { isRecordValue, setField } from '../avro/values.js';
import { DEFAULT_REQUEST_LIMITS, tooManyElements } from '../io/request-limits.js';
import { RequestError } from '../io/served-model.js';

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

const DATATYPES: Partial<Record<AvroType['kind'], string>> = {
  boolean: 'BOOL',
  int: 'INT32',
  long: 'INT64',
  float: 'FP32',
  double: 'FP64',
};

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

/** What each datatype's elements must be; `null` (a missing value) is accepted in any. */
const INTEGER_RANGES: Record<string, readonly [number, number]> = {
  INT8: [-(2 ** 7), 2 ** 7 - 1],
  INT16: [-(2 ** 15), 2 ** 15 - 1],
  INT32: [-(2 ** 31), 2 ** 31 - 1],
  INT64: [-(2 ** 63), 2 ** 63],
  UINT8: [0, 2 ** 8 - 1],
  UINT16: [0, 2 ** 16 - 1],
  UINT32: [0, 2 ** 32 - 1],
  UINT64: [0, 2 ** 64],
};
const FLOATS = new Set(['FP16', 'FP32', 'FP64']);

function elementFits(datatype: string, v: unknown): boolean {
  if (v === null) return true;
  if (FLOATS.has(datatype)) return typeof v === 'number';
  const range = INTEGER_RANGES[datatype];
  if (range) return typeof v === 'number' && Number.isInteger(v) && v >= range[0] && v <= range[1];
  if (datatype === 'BOOL') return typeof v === 'boolean';
  // BYTES: strings, or JSON objects for fields whose type is a record or a map.
  return typeof v === 'string' || (typeof v === 'object' && !Array.isArray(v));
}

function isDatatype(d: unknown): d is string {
  return typeof d === 'string' && (FLOATS.has(d) || d in INTEGER_RANGES || d === 'BOOL' || d === 'BYTES');
}

function parseTensor(v: unknown, i: number, maxElements: number): Tensor {
  if (!isRecordValue(v) || typeof v.name !== 'string' || !Array.isArray(v.shape) || !Array.isArray(v.data)) {
    throw new RequestError(400, `inputs[${i}] must have a name, a shape, a datatype and data`, { code: 'bad-tensor' });
  }
  if (v.shape.length === 0 || !v.shape.every((d) => Number.isInteger(d) && d >= 0 && d <= maxElements)) {
    throw new RequestError(400, `input ${v.name}: a shape is a non-empty list of whole numbers from 0 to ${maxElements}`, {
      code: 'bad-shape',
    });
  }
  if (!isDatatype(v.datatype)) {
    throw new RequestError(
      400,
      `input ${v.name}: unknown datatype ${JSON.stringify(v.datatype ?? null)}; use BOOL, INT8 … INT64, UINT8 … UINT64, FP16, FP32, FP64 or BYTES`,
      { code: 'bad-datatype' },
    );
  }
  return { name: v.name, shape: v.shape as number[], datatype: v.datatype, data: v.data };
}

/**
 * A tensor's elements in row-major order, nested arrays flattened iteratively (the body's depth was
 * bounded already), each checked against the tensor's datatype.
 */
function flatData(t: Tensor): unknown[] {
  const out: unknown[] = [];
  const stack: { items: unknown[]; next: number }[] = [{ items: t.data, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === top.items.length) {
      stack.pop();
      continue;
    }
    const v = top.items[top.next++];
    if (Array.isArray(v)) {
      stack.push({ items: v, next: 0 });
      continue;
    }
    if (!elementFits(t.datatype, v)) {
      throw new RequestError(400, `input ${t.name}: element ${out.length} (${JSON.stringify(v)}) is not ${t.datatype}`, {
        code: 'datatype-mismatch',
        element: out.length,
      });
    }
    out.push(v);
  }
  return out;
}

/** Elements and records a request builds, against its budget. */
class Budget {
  private used = 0;
  constructor(private readonly limit: number) {}
  charge(n: number): void {
    this.used += n;
    if (this.used > this.limit) throw tooManyElements(this.limit);
  }
}

/**
 * The values of each batch row of a tensor: one value, or an array for a row of several. The
 * shape's product must be the number of elements sent, so the shape alone never sizes anything.
 */
function rows(t: Tensor, asArrays: boolean, budget: Budget): unknown[] {
  const [n = 1, ...rest] = t.shape;
  // Rows are charged before they are built: `[100000000, 0]` holds no data but would make as many records.
  budget.charge(n);
  const per = rest.reduce((a, b) => a * b, 1);
  const flat = flatData(t);
  budget.charge(flat.length);
  if (flat.length !== n * per)
    throw new RequestError(400, `input ${t.name}: shape [${t.shape.join(', ')}] needs ${n * per} values, got ${flat.length}`, {
      code: 'shape-mismatch',
    });
  if (!asArrays && per !== 1)
    throw new RequestError(400, `input ${t.name}: expected one value per row, shape [${t.shape.join(', ')}] gives ${per}`, {
      code: 'shape-mismatch',
    });
  return Array.from({ length: n }, (_, i) => (asArrays ? flat.slice(i * per, (i + 1) * per) : flat[i]));
}

/** The records in a v2 `inputs` list; `maxElements` bounds the values and records built. */
export function tensorsToRecords(t: AvroType, inputs: unknown, maxElements: number = DEFAULT_REQUEST_LIMITS.maxElements): unknown[] {
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new RequestError(400, 'inputs must be a non-empty array of tensors', { code: 'bad-tensor' });
  const budget = new Budget(maxElements);
  const tensors = inputs.map((v, i) => parseTensor(v, i, maxElements));
  if (t.kind !== 'record') {
    if (tensors.length !== 1) throw new RequestError(400, 'this model takes exactly one input tensor', { code: 'bad-tensor' });
    return rows(tensors[0]!, unwrap(t).kind === 'array', budget);
  }
  const columns = new Map<string, unknown[]>();
  let length: number | undefined;
  for (const tensor of tensors) {
    const field = t.fields.find((f) => f.name === tensor.name);
    if (!field)
      throw new RequestError(400, `unknown input ${tensor.name}; the model's inputs are ${t.fields.map((f) => f.name).join(', ')}`, {
        code: 'unknown-input',
      });
    if (columns.has(tensor.name)) throw new RequestError(400, `input ${tensor.name} is given twice`, { code: 'bad-tensor' });
    const values = rows(tensor, unwrap(field.type).kind === 'array', budget);
    if (length !== undefined && values.length !== length)
      throw new RequestError(400, `input ${tensor.name} has ${values.length} rows, others have ${length}`, { code: 'shape-mismatch' });
    length = values.length;
    columns.set(tensor.name, values);
  }
  return Array.from({ length: length ?? 0 }, (_, i) => {
    const rec: Record<string, unknown> = {};
    for (const [name, values] of columns) setField(rec, name, values[i]);
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
  return t.fields.map((f) =>
    toTensor(
      f.name,
      f.type,
      results.map((r) => (r as Record<string, unknown>)[f.name]),
    ),
  );
}
