/**
 * PFA namespace `model.naive`: naive Bayes log-likelihoods of a datum for one class. Arrays pair
 * features by position, maps by key.
 */
import { defineLibrary, type CallSite } from '../define.js';
import { runtimeError } from '../../../errors.js';

type Rec = Record<string, unknown>;
type Features = number[] | Map<string, number>;

/** The smallest normal double: keeps the logarithm of a vanishing likelihood finite. */
const TINY = 2.2250738585072014e-308;

/** The class model's distribution, from the bare array/map or the `values` field of a histogram record. */
function classValues(site: CallSite): (classModel: unknown) => unknown {
  return site.paramTypes[1]!.kind === 'record' ? (m) => (m as Rec).values : (m) => m;
}

/** Whether two maps have exactly the same keys. */
function sameKeys(a: Map<string, unknown>, b: Map<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}

/** Feature/model pairs by position or key; `undefined` when the two are misaligned. */
function aligned<M>(datum: Features, model: M[] | Map<string, M>): [number, M][] | undefined {
  if (Array.isArray(datum)) {
    const m = model as M[];
    return datum.length === m.length ? datum.map((x, i) => [x, m[i]!]) : undefined;
  }
  const m = model as Map<string, M>;
  return sameKeys(datum, m) ? [...datum].map(([k, x]) => [x, m.get(k)!]) : undefined;
}

function gaussian(datum: Features, classModel: Rec[] | Map<string, Rec>): number {
  const pairs = aligned(datum, classModel);
  if (!pairs) throw runtimeError(10000, 'datum and classModel misaligned', 'model.naive.gaussian');
  let ll = 0;
  for (const [x, { mean, variance }] of pairs as [number, { mean: number; variance: number }][]) {
    if (variance <= 0) throw runtimeError(10001, 'variance less than or equal to zero', 'model.naive.gaussian');
    ll += -0.5 * Math.log(2 * Math.PI * variance);
    ll += -0.5 * ((x - mean) ** 2 / variance);
  }
  return ll;
}

function multinomial(datum: Features, probabilities: number[] | Map<string, number>): number {
  const values = Array.isArray(probabilities) ? probabilities : [...probabilities.values()];
  // NaN fails `> 0` too.
  if (values.length === 0 || !values.every((p) => p > 0)) {
    throw runtimeError(10011, 'classModel must be non-empty and strictly positive', 'model.naive.multinomial');
  }
  const pairs = aligned(datum, probabilities);
  if (!pairs) throw runtimeError(10010, 'datum and classModel misaligned', 'model.naive.multinomial');
  let total = 0;
  for (const p of values) total += p;
  let ll = 0;
  for (const [x, p] of pairs) ll += x * Math.log(p / total + TINY);
  return ll;
}

function bernoulli(datum: string[], probabilities: Map<string, number>): number {
  let ll = 0;
  for (const p of probabilities.values()) {
    if (!(p > 0 && p < 1)) throw runtimeError(10020, 'probability in classModel must be strictly between 0 and 1', 'model.naive.bernoulli');
    ll += Math.log(1 - p);
  }
  for (const item of datum) {
    const p = probabilities.get(item);
    if (p !== undefined) ll += Math.log(p) - Math.log(1 - p);
  }
  return ll;
}

export default defineLibrary('model.naive', {
  gaussian: {
    sig: [
      '(datum: array<double>, classModel: array<record A {mean: double, variance: double}>) -> double',
      '(datum: map<double>, classModel: map<record A {mean: double, variance: double}>) -> double',
    ],
    errors: [10000, 10001],
    fn: gaussian,
  },

  multinomial: {
    sig: [
      '(datum: array<double>, classModel: array<double>) -> double',
      '(datum: map<double>, classModel: map<double>) -> double',
      '(datum: array<double>, classModel: record C {values: array<double>}) -> double',
      '(datum: map<double>, classModel: record C {values: map<double>}) -> double',
    ],
    errors: [10010, 10011],
    make: (site) => {
      const values = classValues(site);
      return (datum: Features, classModel: unknown) => multinomial(datum, values(classModel) as number[] | Map<string, number>);
    },
  },

  bernoulli: {
    sig: [
      '(datum: array<string>, classModel: map<double>) -> double',
      '(datum: array<string>, classModel: record C {values: map<double>}) -> double',
    ],
    errors: [10020],
    make: (site) => {
      const values = classValues(site);
      return (datum: string[], classModel: unknown) => bernoulli(datum, values(classModel) as Map<string, number>);
    },
  },
});
