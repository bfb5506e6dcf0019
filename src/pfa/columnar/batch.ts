/**
 * A batch of records laid out by column (`PfaEngine.createBatch`), and the runner that scores it
 * with the columnar kernels when the engine's action has a plan (plan.ts).
 *
 * The runner's memory holds, after the exp table: the input columns, then for each affine step its
 * weights, constants and output columns. Columns are `capacity` doubles long (the rows rounded up
 * to a multiple of 8, the kernels' step); the rows beyond `rows` are scored too and ignored.
 */
import { PfaRuntimeError } from '../../errors.js';
import { DATA_START, instantiate, type Kernels, type WasmModule } from './kernels.js';
import type { Plan } from './plan.js';
import { layoutColumns, type ColumnarOp } from '../kernel/lower-columns.js';
import { setField } from '../../avro/values.js';

const BYTES = 8;
/** Data beyond this would not fit a 32-bit WebAssembly memory with room to spare. */
const MAX_BYTES = 2 ** 31;

/** Whether `e` is a runner's refusal of a batch too large for its memory (or the memory's own). */
export function isTooLarge(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof PfaRuntimeError && e.code === 'batch-too-large');
}

/** A plan laid out in one memory for batches of up to `capacity` records. */
export class PlanRunner {
  private readonly kernels: Kernels;
  private readonly ops: readonly ColumnarOp[];
  /** The input columns and the result columns, made once: the memory never grows, so its buffer stays. */
  private readonly inputs: Float64Array;
  private readonly result: Float64Array;
  readonly capacity: number;

  constructor(
    module: WasmModule,
    private readonly plan: Plan,
    rows: number,
  ) {
    const n = Math.max(8, Math.ceil(rows / 8) * 8);
    this.capacity = n;
    // Where each step's numbers and columns live, and which kernel runs it: kernel/lower-columns.ts.
    const layout = layoutColumns(plan, n, DATA_START);
    const bytes = layout.bytes;
    if (bytes > MAX_BYTES)
      throw new PfaRuntimeError('batch-too-large', `a batch of ${rows} records needs ${bytes} bytes, more than ${MAX_BYTES}`);
    this.kernels = instantiate(module, bytes);
    const memory = new Float64Array(this.kernels.memory.buffer);
    for (const [address, values] of layout.constants) memory.set(values, address / BYTES);
    this.ops = layout.ops;
    this.inputs = new Float64Array(this.kernels.memory.buffer, DATA_START, plan.width * n);
    this.result = new Float64Array(this.kernels.memory.buffer, layout.result, plan.outputs * n);
  }

  /**
   * Writes arrays of `width` numbers into the input columns; false (and the columns left partly
   * written) if one is not such an array. Eight records at a time, named one by one: each step
   * reads element j of eight arrays and writes a run of eight doubles of column j (three times
   * the speed of a loop over the eight, which V8 does not unroll).
   */
  fill(inputs: readonly unknown[]): boolean {
    const width = this.plan.width;
    for (const x of inputs) if (!Array.isArray(x) || x.length !== width) return false;
    const c = this.inputs;
    const n = this.capacity;
    const rows = inputs as readonly (readonly unknown[])[];
    let start = 0;
    for (; start + 8 <= rows.length; start += 8) {
      const r0 = rows[start]!,
        r1 = rows[start + 1]!,
        r2 = rows[start + 2]!,
        r3 = rows[start + 3]!;
      const r4 = rows[start + 4]!,
        r5 = rows[start + 5]!,
        r6 = rows[start + 6]!,
        r7 = rows[start + 7]!;
      for (let j = 0, b = start; j < width; j++, b += n) {
        const v0 = r0[j],
          v1 = r1[j],
          v2 = r2[j],
          v3 = r3[j],
          v4 = r4[j],
          v5 = r5[j],
          v6 = r6[j],
          v7 = r7[j];
        if (typeof v0 !== 'number' || typeof v1 !== 'number' || typeof v2 !== 'number' || typeof v3 !== 'number') return false;
        if (typeof v4 !== 'number' || typeof v5 !== 'number' || typeof v6 !== 'number' || typeof v7 !== 'number') return false;
        c[b] = v0;
        c[b + 1] = v1;
        c[b + 2] = v2;
        c[b + 3] = v3;
        c[b + 4] = v4;
        c[b + 5] = v5;
        c[b + 6] = v6;
        c[b + 7] = v7;
      }
    }
    for (let i = start; i < rows.length; i++) {
      for (let j = 0; j < width; j++) {
        const v = rows[i]![j];
        if (typeof v !== 'number') return false;
        c[j * n + i] = v;
      }
    }
    return true;
  }

  /** The input column `j`: `rows` doubles, in this runner's memory. */
  column(j: number, rows: number): Float64Array {
    return this.inputs.subarray(j * this.capacity, j * this.capacity + rows);
  }

  /** Scores the first `rows` records of the input columns; one result per record, as `action` returns it. */
  run(rows: number): unknown[] {
    const k = this.kernels;
    const n = this.capacity;
    for (const o of this.ops) {
      if (o.op === 'affine') k.affine(o.x, n, o.d, o.w, o.b, o.k, o.out);
      else if (o.op === 'logistic') k.logistic(o.p, o.count);
      else k.softmax(o.p, n, o.k);
    }
    const out = this.result;
    if (this.plan.result === 'scalar') {
      const results = new Array<number>(rows);
      for (let i = 0; i < rows; i++) results[i] = out[i]!;
      return results;
    }
    const results = new Array<number[]>(rows);
    const width = this.plan.outputs;
    for (let i = 0; i < rows; i++) {
      const r = new Array<number>(width);
      for (let u = 0; u < width; u++) r[u] = out[u * n + i]!;
      results[i] = r;
    }
    return results;
  }
}

/**
 * Records by column: `columns[j]` holds element j of every record's array (an array input) or
 * field `names[j]` of every record (a record input). Columns are `rows` long; fill them, then
 * pass the batch to `scoreBatch`. When the engine scores such batches with its columnar kernels,
 * the columns already live in the kernels' memory, so scoring copies nothing.
 */
export class ColumnBatch {
  readonly columns: readonly Float64Array[];

  /** @internal Use `PfaEngine.createBatch`. */
  constructor(
    readonly rows: number,
    width: number,
    /** Field names of a record input, in column order; undefined for an array input. */
    readonly names: readonly string[] | undefined,
    /** @internal The runner whose memory holds the columns, if the engine has a plan. */
    readonly runner: PlanRunner | undefined,
    /** @internal The engine that made the batch. */
    readonly owner: object,
  ) {
    this.columns = Array.from({ length: width }, (_, j) => (runner ? runner.column(j, rows) : new Float64Array(rows)));
  }

  /** Record `i` as `action` takes it: an array of the row's values, or a record of its fields. */
  record(i: number): unknown {
    if (!this.names) return this.columns.map((c) => c[i]!);
    // setField: a field named `__proto__` is an own property, not the record's prototype.
    const r: Record<string, unknown> = {};
    for (let j = 0; j < this.names.length; j++) setField(r, this.names[j]!, this.columns[j]![i]!);
    return r;
  }
}
