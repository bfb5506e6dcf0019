/**
 * Set tests as columns of the missing-aware flat walk's X (lower-missing-tree-flat.ts): each
 * distinct set test of a field gets a column holding -1 where the test passes and 0 where it
 * fails, written once per record from a row of a table made at compile time (one row per category
 * the field's sets name, one for every other value, one for a missing field). A set test is then
 * `X[column] < -0.5`, the step of a numeric `<`, and a forest mixing set tests with comparisons
 * walks with one branchless step instead of a branch between a table lookup and a comparison at
 * every node, which a record's walk through trees mixing the two mispredicts at about every other
 * step (sklearn-GradientBoostingAudit: 117 `Education ==` splits among 487).
 *
 * A column is written for every distinct test of the field on every record, visited or not, so
 * forests whose sets would need too many columns or too large a table keep the lookup (`fit`).
 */
import { code, join, type Code, type Name } from '../../codegen/index.js';
import type { Locals } from './flat-walk.js';
import type { MemberTest, MissingSplit } from './ir.js';

/** The threshold a column is compared with: between a passing -1 and a failing 0. */
export const COLUMN_THRESHOLD = -0.5;

/**
 * Most columns written per record, over all fields, for each step of a record's walks: the copy
 * is per record, the saving per step. Measured (µs a record, lookups → columns):
 * sklearn-GradientBoostingAudit's 34 columns for 212 steps 1.00 → 0.77, sparkml-LightGBMAudit's
 * 166 for 683 3.12 → 2.37; but sklearn-XGBoostAuto's 205 for 173 0.47 → 0.53 and
 * rattle-RandomForestAuto's 220 for 79 0.51 → 0.60.
 */
const COLUMNS_PER_STEP = 0.5;
/** Most doubles in all tables together (2 MB). */
const MAX_TABLE = 1 << 18;
/** Most columns of a field written by one assignment each rather than a loop. */
const UNROLLED = 16;

interface FieldColumns {
  /** Column of each distinct test, by its key. */
  readonly byKey: Map<string, number>;
  readonly tests: { readonly test: MemberTest; readonly missing: 0 | 1 }[];
  /** Every value the field's sets name, numbered in the order first met (Map keys keep "1" and 1 apart). */
  readonly categories: Map<string | number, number>;
  /** The first column in X, once numbered. */
  first: number;
}

export class SetColumns {
  private readonly fields = new Map<string, FieldColumns>();
  /** A split's column within its field: its test's, and its guard's (the test of "is missing" before it). */
  private readonly tests = new Map<MissingSplit, number>();
  private readonly guards = new Map<MissingSplit, number>();

  /**
   * Notes the set test of `split` (`guard`: the guard laid before it), which sends a missing field
   * to `pass` when `missing` is 1.
   */
  add(split: MissingSplit, test: MemberTest, missing: 0 | 1, guard = false): void {
    let field = this.fields.get(split.field);
    if (field === undefined) {
      field = { byKey: new Map(), tests: [], categories: new Map(), first: 0 };
      this.fields.set(split.field, field);
    }
    const key = `${test.negate ? '!' : ''}${missing}${JSON.stringify(test.set)}`;
    let k = field.byKey.get(key);
    if (k === undefined) {
      k = field.tests.push({ test, missing }) - 1;
      field.byKey.set(key, k);
      for (const c of test.set) if (!field.categories.has(c)) field.categories.set(c, field.categories.size);
    }
    (guard ? this.guards : this.tests).set(split, k);
  }

  /**
   * Whether the columns are few enough to write on every record whose walks take about `steps`
   * steps, and their tables small enough to keep.
   */
  fit(steps: number): boolean {
    let columns = 0;
    let table = 0;
    for (const f of this.fields.values()) {
      columns += f.tests.length;
      table += (f.categories.size + 2) * f.tests.length;
    }
    return columns > 0 && columns <= steps * COLUMNS_PER_STEP && table <= MAX_TABLE;
  }

  /** Numbers the columns from `base` on, field by field in the order of `order`; returns how many there are. */
  number(order: Iterable<string>, base: number): number {
    let next = base;
    for (const name of order) {
      const f = this.fields.get(name);
      if (f === undefined) continue;
      f.first = next;
      next += f.tests.length;
    }
    return next - base;
  }

  /** The column in X of the test of `split`, or of its guard; after `number`. */
  columnOf(split: MissingSplit, guard = false): number {
    return this.fields.get(split.field)!.first + (guard ? this.guards : this.tests).get(split)!;
  }

  /** Whether the field named `name` has columns. */
  has(name: string): boolean {
    return this.fields.has(name);
  }

  /**
   * The code writing field `name`'s columns into X for its present value `v`, and for a missing
   * field (the row of a missing field, read only where no flags are kept), with `r` and `j` as
   * temporaries; and the code setting the columns' missing flags in N to `bit`. Rows are copied by
   * assignments (a loop past UNROLLED columns): TypedArray set and fill calls, one per field and
   * record, cost about as much as the branch they spare.
   */
  writers(
    name: string,
    locals: Locals,
    names: { readonly X: Name; readonly N: Name; readonly v: Name; readonly r: Name; readonly j: Name },
  ): { present: Code; missing: Code; flags: (bit: number) => Code } {
    const { X, N, v, r, j } = names;
    const f = this.fields.get(name)!;
    const width = f.tests.length;
    const other = f.categories.size;
    const table = new Float64Array((other + 2) * width);
    const row = (at: number, passes: (t: { test: MemberTest; missing: 0 | 1 }) => boolean): void =>
      f.tests.forEach((t, k) => {
        table[at * width + k] = passes(t) ? -1 : 0;
      });
    for (const [c, at] of f.categories) row(at, (t) => t.test.set.includes(c) !== t.test.negate);
    row(other, (t) => t.test.negate);
    row(other + 1, (t) => t.missing === 1);
    const [T, S] = [locals.bind('T', table), locals.bind('S', f.categories)];
    /** Column k of `to` set to `value(k)` (`looped(j)` in the loop past UNROLLED columns). */
    const assign = (to: Name, value: (k: number) => Code, looped: (j: Name) => Code): Code =>
      width <= UNROLLED
        ? join(
            Array.from({ length: width }, (_, k) => code`${to}[${f.first + k}] = ${value(k)};`),
            code` `,
          )
        : code`for (let ${j} = 0; ${j} < ${width}; ${j}++) ${to}[${f.first} + ${j}] = ${looped(j)};`;
    // A present value's row is looked up; the missing row and the flags are known here, and are
    // written as constants.
    const missing = (other + 1) * width;
    return {
      present: code`${r} = (${S}.get(${v}) ?? ${other}) * ${width}; ${assign(
        X,
        (k) => code`${T}[${r} + ${k}]`,
        (i) => code`${T}[${r} + ${i}]`,
      )}`,
      missing: assign(
        X,
        (k) => code`${table[missing + k]!}`,
        (i) => code`${T}[${missing} + ${i}]`,
      ),
      flags: (bit) =>
        assign(
          N,
          () => code`${bit}`,
          () => code`${bit}`,
        ),
    };
  }
}
