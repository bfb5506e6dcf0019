/**
 * PFA namespace `stat.sample`: running statistics (moments, covariance, windows), exponential and
 * Holt-Winters smoothing, histograms, counters and top-N lists.
 *
 * Most functions update a state record of the caller's own type: which optional fields it has
 * (`mean`, `variance`, `underflow`, ...) is decided at compile time, and every field the function
 * does not own is copied unaltered. The arithmetic follows the reference engine operation by
 * operation so that results agree to the last bit.
 */
import type { ArrayType, AvroType, RecordType } from '../../../avro/types.js';
import { T } from '../../../avro/types.js';
import { INT_MAX } from '../../../avro/values.js';
import { runtimeError } from '../../../errors.js';
import { defineLibrary } from '../define.js';
import { divide } from './_divide.js';
import { hasField, recordUpdater, stateRecordError, type Rec } from './_state-record.js';

const NS = 'stat.sample';

// ---------------------------------------------------------------------------------------------
// Running count, mean and variance

interface Moments extends Rec {
  count: number;
  mean: number;
  variance: number;
}

interface WindowSample extends Moments {
  x: number;
  w: number;
}

/** How many moments a state carries beyond `count`: 0, 1 (`mean`) or 2 (`mean` and `variance`). */
function momentLevel(rec: RecordType, fcnName: string): number {
  const hasMean = hasField(rec, 'mean', T.double, fcnName);
  const hasVariance = hasField(rec, 'variance', T.double, fcnName);
  if (hasVariance && !hasMean) throw stateRecordError(fcnName, 'a state record with "variance" must also have "mean"');
  return hasVariance ? 2 : hasMean ? 1 : 0;
}

/**
 * Adds one weighted sample to a running count, mean and (biased) variance; returns the first
 * `level + 1` of them.
 */
function addSample(s: Moments, x: number, w: number, level: number): number[] {
  const count = s.count + w;
  if (level === 0) return [count];
  const delta = x - s.mean;
  const shift = divide(delta * w, count);
  const mean = s.mean + shift;
  if (level === 1) return [count, mean];
  const varianceTimesCount = s.variance * s.count + s.count * delta * shift;
  return [count, mean, divide(varianceTimesCount, count)];
}

/**
 * Adds one weighted sample to the moments of `last` and takes the `removed` samples back out, as
 * samples of negative weight, in order.
 */
function slideWindow(last: Moments, removed: readonly WindowSample[], x: number, w: number, level: number): number[] {
  const count = last.count + w;
  let removedWeight = 0;
  for (const r of removed) removedWeight += -r.w;
  const windowCount = count + removedWeight;
  if (level === 0) return [windowCount];

  const delta = x - last.mean;
  const shift = divide(delta * w, count);
  let mean = last.mean + shift;
  let accumulated = count;
  let varianceCorrection = 0;
  for (const r of removed) {
    const negW = -r.w;
    accumulated += negW;
    const delta2 = r.x - mean;
    const shift2 = divide(delta2 * negW, accumulated);
    mean += shift2;
    varianceCorrection += (accumulated - negW) * delta2 * shift2;
  }
  if (level === 1) return [windowCount, mean];
  const varianceTimesCount = last.variance * last.count + last.count * delta * shift + varianceCorrection;
  return [windowCount, mean, divide(varianceTimesCount, windowCount)];
}

const MOMENT_FIELDS = ['count', 'mean', 'variance'];
const WINDOW_FIELDS = ['x', 'w', 'count', 'mean', 'variance'];

// ---------------------------------------------------------------------------------------------
// Covariance

/** A mean after adding the sample `x` of weight `w`, `count` being the new total weight. */
const shiftMean = (mean: number, x: number, w: number, count: number): number => mean + divide((x - mean) * w, count);

/** One covariance element after adding a sample with deviations `dxi`, `dxj` from the old mean. */
function covarianceStep(oldCov: number, oldCount: number, newCount: number, dxi: number, dxj: number, w: number): number {
  return divide(oldCov * oldCount + divide(dxi * dxj * w * oldCount, newCount), newCount);
}

function tooFewComponents(): Error {
  return runtimeError(14011, 'too few components', `${NS}.updateCovariance`);
}

interface ArrayCovariance extends Rec {
  count: number;
  mean: number[];
  covariance: number[][];
}

function updateArrayCovariance(x: readonly number[], w: number, s: ArrayCovariance): unknown[] {
  const size = x.length;
  if (size < 2) throw tooFewComponents();
  const { count, mean, covariance } = s;
  if (size !== mean.length || size !== covariance.length || covariance.some((row) => row.length !== size)) {
    throw runtimeError(14012, 'unequal length arrays', `${NS}.updateCovariance`);
  }
  const newCount = count + w;
  const newMean = mean.map((m, i) => shiftMean(m, x[i]!, w, newCount));
  const newCovariance = covariance.map((row, i) =>
    row.map((c, j) => covarianceStep(c, count, newCount, x[i]! - mean[i]!, x[j]! - mean[j]!, w)),
  );
  return [newCount, newMean, newCovariance];
}

type Matrix = ReadonlyMap<string, ReadonlyMap<string, number>>;

interface MapCovariance extends Rec {
  count: Matrix;
  mean: ReadonlyMap<string, number>;
  covariance: Matrix;
}

const entry = (m: Matrix, i: string, j: string): number => m.get(i)?.get(j) ?? 0;

function addMatrixKeys(keys: Set<string>, m: Matrix): void {
  for (const [i, row] of m) {
    keys.add(i);
    for (const j of row.keys()) keys.add(j);
  }
}

/**
 * The map form keeps a count per pair of keys: a key missing from `x` is a contribution of zero
 * weight, and keys seen for the first time start at zero. Like the reference engine, the result
 * covers the keys of `x`, `count` and `covariance` (a key only in `mean` is dropped).
 */
function updateMapCovariance(x: ReadonlyMap<string, number>, w: number, s: MapCovariance): unknown[] {
  if (x.size < 2) throw tooFewComponents();
  const keys = new Set(x.keys());
  addMatrixKeys(keys, s.count);
  addMatrixKeys(keys, s.covariance);

  const newCount = new Map<string, Map<string, number>>();
  for (const i of keys) {
    const row = new Map<string, number>();
    for (const j of keys) {
      const old = entry(s.count, i, j);
      row.set(j, x.has(i) && x.has(j) ? old + w : old);
    }
    newCount.set(i, row);
  }

  const newMean = new Map<string, number>();
  for (const i of keys) {
    const old = s.mean.get(i) ?? 0;
    const xi = x.get(i);
    newMean.set(i, xi === undefined ? old : shiftMean(old, xi, w, newCount.get(i)!.get(i)!));
  }

  const newCovariance = new Map<string, Map<string, number>>();
  for (const i of keys) {
    const row = new Map<string, number>();
    const xi = x.get(i);
    for (const j of keys) {
      const oldCov = entry(s.covariance, i, j);
      const xj = x.get(j);
      if (xi === undefined || xj === undefined) row.set(j, oldCov);
      else {
        const dxi = xi - (s.mean.get(i) ?? 0);
        const dxj = xj - (s.mean.get(j) ?? 0);
        row.set(j, covarianceStep(oldCov, entry(s.count, i, j), newCount.get(i)!.get(j)!, dxi, dxj, w));
      }
    }
    newCovariance.set(i, row);
  }
  return [newCount, newMean, newCovariance];
}

// ---------------------------------------------------------------------------------------------
// Exponential smoothing and Holt-Winters

/** Range check of a weighting factor; NaN passes, as in the reference engine. */
function checkUnit(value: number, code: number, what: string, fcnName: string): void {
  if (value < 0 || value > 1) throw runtimeError(code, `${what} out of range`, fcnName);
}

interface HoltWinters extends Rec {
  level: number;
  trend: number;
  cycle: number[];
  multiplicative: boolean;
}

function smoothTrend(level: number, prev: HoltWinters, beta: number): number {
  return beta * (level - prev.level) + (1 - beta) * prev.trend;
}

/**
 * Whether a state record carries a seasonal cycle: `cycle` and `multiplicative` come together or
 * not at all.
 */
function isPeriodic(rec: RecordType, fcnName: string): boolean {
  const hasCycle = hasField(rec, 'cycle', T.array(T.double), fcnName);
  const hasMultiplicative = hasField(rec, 'multiplicative', T.boolean, fcnName);
  if (hasCycle !== hasMultiplicative) throw stateRecordError(fcnName, 'a state record needs both "cycle" and "multiplicative" or neither');
  return hasCycle;
}

/** The prediction `steps` time-steps ahead; `cycle` has already been checked non-empty. */
function forecast(s: HoltWinters, steps: number, periodic: boolean): number {
  const trendline = s.level + steps * s.trend;
  if (!periodic) return trendline;
  const season = s.cycle[steps % s.cycle.length]!;
  return s.multiplicative ? trendline * season : trendline + season;
}

function checkCycle(s: HoltWinters, periodic: boolean, code: number, fcnName: string): void {
  if (periodic && s.cycle.length === 0) throw runtimeError(code, 'empty cycle', fcnName);
}

// ---------------------------------------------------------------------------------------------
// Histograms

// A flow counter hit is an index into the flow names; NO_FLOW means a bin is filled instead.
const NO_FLOW = -1;
const FLOWS_1D = ['underflow', 'overflow', 'nanflow', 'infflow'];
const [UNDERFLOW, OVERFLOW, NANFLOW, INFFLOW] = [0, 1, 2, 3];
const FLOWS_2D = [
  'underunderflow',
  'undermidflow',
  'underoverflow',
  'midunderflow',
  /* mid-mid fills a bin */ 'midoverflow',
  'overunderflow',
  'overmidflow',
  'overoverflow',
  'nanflow',
  'infflow',
];
const [NANFLOW_2D, INFFLOW_2D] = [8, 9];

const isInfinite = (x: number): boolean => x === Infinity || x === -Infinity;

interface HistogramFiller {
  readonly hasInfflow: boolean;
  /** The record with `values` replaced and the flow counter `hit` (an index into the flow names, or NO_FLOW) incremented by `w`. */
  fill(h: Rec, values: unknown[], hit: number, w: number): Rec;
}

/** Compile time: which of the optional flow counters the record type has, and how to update them. */
function histogramFiller(rec: RecordType, flowNames: readonly string[], fcnName: string): HistogramFiller {
  const present = flowNames.filter((n) => hasField(rec, n, T.double, fcnName));
  const flowIndex = present.map((n) => flowNames.indexOf(n));
  const update = recordUpdater(rec, ['values', ...present]);
  return {
    hasInfflow: present.includes('infflow'),
    fill(h, values, hit, w) {
      const updated: unknown[] = [values];
      for (let k = 0; k < present.length; k++) updated.push((h[present[k]!] as number) + (flowIndex[k] === hit ? w : 0));
      return update(h, updated);
    },
  };
}

/**
 * The bin of `x` in [low, high) cut into `numbins`; rounding can put an `x` just below `high` at
 * `numbins`, which belongs in the last bin.
 */
function binIndex(x: number, low: number, high: number, numbins: number): number {
  return Math.min(Math.floor(((x - low) / (high - low)) * numbins), numbins - 1);
}

function withAdded(values: readonly number[], index: number, w: number): number[] {
  const out = values.slice();
  out[index]! += w;
  return out;
}

const finiteRange = (low: number, high: number): boolean => low < high && Number.isFinite(low) && Number.isFinite(high);

type HistogramImpl = (x: number, w: number, h: Rec) => Rec;

interface FixedBins extends Rec {
  numbins: number;
  low: number;
  high: number;
  values: number[];
}

function fixedBinsHistogram(f: HistogramFiller, fcnName: string): HistogramImpl {
  return (x, w, hist) => {
    const { numbins, low, high, values } = hist as FixedBins;
    if (numbins < 1) throw runtimeError(14082, 'bad histogram scale', fcnName);
    if (values.length !== numbins) throw runtimeError(14080, 'wrong histogram size', fcnName);
    if (!finiteRange(low, high)) throw runtimeError(14081, 'bad histogram range', fcnName);
    let hit = NO_FLOW;
    if (f.hasInfflow && isInfinite(x)) hit = INFFLOW;
    else if (Number.isNaN(x)) hit = NANFLOW;
    else if (x >= high) hit = OVERFLOW;
    else if (x < low) hit = UNDERFLOW;
    return f.fill(hist, hit === NO_FLOW ? withAdded(values, binIndex(x, low, high, numbins), w) : values, hit, w);
  };
}

interface GrowableBins extends Rec {
  low: number;
  binsize: number;
  values: number[];
}

/**
 * The bin of `x` in a histogram of equal bins that grows to the right. An empty histogram puts
 * any `x` in bin 0, as the reference engine does.
 */
function growableIndex(x: number, low: number, binsize: number, length: number, fcnName: string): number {
  const span = low + binsize * length - low;
  if (span === 0) return 0;
  const index = Math.floor(((x - low) / span) * length);
  // Array lengths are ints: a bin beyond them (or no bin at all, for a NaN low) is not a usable scale.
  if (!(index < INT_MAX)) throw runtimeError(14082, 'bad histogram scale', fcnName);
  return index;
}

function growableHistogram(f: HistogramFiller, fcnName: string): HistogramImpl {
  return (x, w, hist) => {
    const { low, binsize, values } = hist as GrowableBins;
    if (!(binsize > 0) || binsize === Infinity) throw runtimeError(14082, 'bad histogram scale', fcnName);
    let hit = NO_FLOW;
    if (f.hasInfflow && isInfinite(x)) hit = INFFLOW;
    else if (Number.isNaN(x)) hit = NANFLOW;
    else if (x === Infinity) hit = OVERFLOW;
    else if (x < low) hit = UNDERFLOW;
    if (hit !== NO_FLOW) return f.fill(hist, values, hit, w);

    const index = growableIndex(x, low, binsize, values.length, fcnName);
    if (index < values.length) return f.fill(hist, withAdded(values, index, w), NO_FLOW, w);
    const padding = new Array<number>(index - values.length).fill(0);
    return f.fill(hist, [...values, ...padding, w], NO_FLOW, w);
  };
}

interface RangeBins extends Rec {
  ranges: number[][];
  values: number[];
}

/**
 * Arbitrary [low, high) intervals, possibly overlapping (every matching bin is filled). The
 * reference engine rejects empty intervals (low == high), so the point-interval case the text
 * describes cannot arise.
 */
function rangesHistogram(f: HistogramFiller, fcnName: string): HistogramImpl {
  return (x, w, hist) => {
    const { ranges, values } = hist as RangeBins;
    if (values.length !== ranges.length) throw runtimeError(14080, 'wrong histogram size', fcnName);
    if (ranges.some((r) => r.length !== 2 || !finiteRange(r[0]!, r[1]!))) throw runtimeError(14083, 'bad histogram ranges', fcnName);
    const filled = values.slice();
    let hitOne = false;
    if (Number.isFinite(x)) {
      for (let i = 0; i < ranges.length; i++) {
        const [low, high] = ranges[i]!;
        if (x >= low! && x < high!) {
          filled[i]! += w;
          hitOne = true;
        }
      }
    }
    let hit = NO_FLOW;
    if (f.hasInfflow && isInfinite(x)) hit = INFFLOW;
    else if (Number.isNaN(x)) hit = NANFLOW;
    else if (!hitOne) hit = UNDERFLOW; // including infinities when there is no infflow
    return f.fill(hist, filled, hit, w);
  };
}

function fillHistogramImpl(rec: RecordType): HistogramImpl {
  const fcnName = `${NS}.fillHistogram`;
  const has = (name: string, type: AvroType = T.double): boolean => hasField(rec, name, type, fcnName);
  const fixed = has('numbins', T.int) && has('low') && has('high');
  const growable = has('low') && has('binsize');
  const ranged = has('ranges', T.array(T.array(T.double)));
  if (Number(fixed) + Number(growable) + Number(ranged) !== 1) {
    throw stateRecordError(
      fcnName,
      'the histogram must have "numbins", "low", "high" xor "low", "binsize" xor "ranges", and no other combination of these fields',
    );
  }
  const filler = histogramFiller(rec, FLOWS_1D, fcnName);
  if (fixed) return fixedBinsHistogram(filler, fcnName);
  return growable ? growableHistogram(filler, fcnName) : rangesHistogram(filler, fcnName);
}

interface Histogram2d extends Rec {
  xnumbins: number;
  xlow: number;
  xhigh: number;
  ynumbins: number;
  ylow: number;
  yhigh: number;
  values: number[][];
}

/** 0 below the range, 1 inside, 2 at or above its high edge. */
const band = (v: number, low: number, high: number): number => (v < low ? 0 : v >= high ? 2 : 1);

/** The FLOWS_2D index of an x band and a y band; NO_FLOW for a value inside both ranges. */
function flow2d(xBand: number, yBand: number): number {
  const cell = 3 * xBand + yBand;
  return cell === 4 ? NO_FLOW : cell < 4 ? cell : cell - 1;
}

function fillHistogram2dImpl(rec: RecordType): (x: number, y: number, w: number, h: Histogram2d) => Rec {
  const fcnName = `${NS}.fillHistogram2d`;
  const f = histogramFiller(rec, FLOWS_2D, fcnName);
  return (x, y, w, hist) => {
    const { xnumbins, xlow, xhigh, ynumbins, ylow, yhigh, values } = hist;
    if (xnumbins < 1 || ynumbins < 1) throw runtimeError(14092, 'bad histogram scale', fcnName);
    if (values.length !== xnumbins || values.some((row) => row.length !== ynumbins))
      throw runtimeError(14090, 'wrong histogram size', fcnName);
    if (!finiteRange(xlow, xhigh) || !finiteRange(ylow, yhigh)) throw runtimeError(14091, 'bad histogram range', fcnName);
    let hit: number;
    if (Number.isNaN(x) || Number.isNaN(y))
      hit = NANFLOW_2D; // NaN wins over infinity
    else if (f.hasInfflow && (isInfinite(x) || isInfinite(y))) hit = INFFLOW_2D;
    else hit = flow2d(band(x, xlow, xhigh), band(y, ylow, yhigh));
    if (hit !== NO_FLOW) return f.fill(hist, values, hit, w);
    const xi = binIndex(x, xlow, xhigh, xnumbins);
    const filled = values.slice();
    filled[xi] = withAdded(values[xi]!, binIndex(y, ylow, yhigh, ynumbins), w);
    return f.fill(hist, filled, hit, w);
  };
}

// ---------------------------------------------------------------------------------------------

export default defineLibrary(NS, {
  update: {
    sig: '(x: double, w: double, state: record A {count: double}) -> A',
    make: (site) => {
      const rec = site.paramTypes[2] as RecordType;
      const level = momentLevel(rec, `${NS}.update`);
      const update = recordUpdater(rec, MOMENT_FIELDS.slice(0, level + 1));
      return (x: number, w: number, s: Moments) => update(s, addSample(s, x, w, level));
    },
  },

  updateCovariance: {
    sig: [
      '(x: array<double>, w: double, state: record A {count: double, mean: array<double>, covariance: array<array<double>>}) -> A',
      '(x: map<double>, w: double, state: record A {count: map<map<double>>, mean: map<double>, covariance: map<map<double>>}) -> A',
    ],
    errors: [14011, 14012],
    make: (site) => {
      const update = recordUpdater(site.paramTypes[2] as RecordType, ['count', 'mean', 'covariance']);
      if (site.paramTypes[0]!.kind === 'map') {
        return (x: ReadonlyMap<string, number>, w: number, s: MapCovariance) => update(s, updateMapCovariance(x, w, s));
      }
      return (x: readonly number[], w: number, s: ArrayCovariance) => update(s, updateArrayCovariance(x, w, s));
    },
  },

  updateWindow: {
    sig: '(x: double, w: double, state: array<record A {x: double, w: double, count: double}>, windowSize: int) -> array<A>',
    errors: [14020, 14021],
    make: (site) => {
      const fcnName = `${NS}.updateWindow`;
      const rec = (site.paramTypes[2] as ArrayType).items as RecordType;
      const level = momentLevel(rec, fcnName);
      const update = recordUpdater(rec, WINDOW_FIELDS.slice(0, level + 3));
      // A first record can only be made when every field is one this function knows how to start.
      const initializable = rec.fields.every((f) => WINDOW_FIELDS.includes(f.name));
      const initial = recordUpdater(rec, WINDOW_FIELDS);
      return (x: number, w: number, state: readonly WindowSample[], windowSize: number) => {
        if (windowSize < 2) throw runtimeError(14020, 'windowSize must be at least 2', fcnName);
        if (state.length === 0) {
          if (!initializable) throw runtimeError(14021, 'cannot initialize unrecognized fields', fcnName);
          return [initial({}, [x, w, w, x, 0])];
        }
        const last = state[state.length - 1]!;
        if (state.length < windowSize) return [...state, update(last, [x, w, ...addSample(last, x, w, level)])];
        const splitAt = state.length - windowSize + 1;
        const moments = slideWindow(last, state.slice(0, splitAt), x, w, level);
        return [...state.slice(splitAt), update(last, [x, w, ...moments])];
      };
    },
  },

  updateEWMA: {
    sig: '(x: double, alpha: double, state: record A {mean: double}) -> A',
    errors: [14030],
    make: (site) => {
      const fcnName = `${NS}.updateEWMA`;
      const rec = site.paramTypes[2] as RecordType;
      const hasVariance = hasField(rec, 'variance', T.double, fcnName);
      const update = recordUpdater(rec, ['mean', 'variance']);
      return (x: number, alpha: number, s: Moments) => {
        checkUnit(alpha, 14030, 'alpha', fcnName);
        const diff = x - s.mean;
        const incr = alpha * diff;
        return update(s, hasVariance ? [s.mean + incr, (1 - alpha) * (s.variance + diff * incr)] : [s.mean + incr]);
      };
    },
  },

  updateHoltWinters: {
    sig: '(x: double, alpha: double, beta: double, state: record A {level: double, trend: double}) -> A',
    errors: [14040, 14041],
    make: (site) => {
      const fcnName = `${NS}.updateHoltWinters`;
      const update = recordUpdater(site.paramTypes[3] as RecordType, ['level', 'trend']);
      return (x: number, alpha: number, beta: number, s: HoltWinters) => {
        checkUnit(alpha, 14040, 'alpha', fcnName);
        checkUnit(beta, 14041, 'beta', fcnName);
        const level = alpha * x + (1 - alpha) * (s.level + s.trend);
        return update(s, [level, smoothTrend(level, s, beta)]);
      };
    },
  },

  updateHoltWintersPeriodic: {
    sig: '(x: double, alpha: double, beta: double, gamma: double, state: record A {level: double, trend: double, cycle: array<double>, multiplicative: boolean}) -> A',
    errors: [14050, 14051, 14052, 14053],
    make: (site) => {
      const fcnName = `${NS}.updateHoltWintersPeriodic`;
      const update = recordUpdater(site.paramTypes[4] as RecordType, ['level', 'trend', 'cycle']);
      return (x: number, alpha: number, beta: number, gamma: number, s: HoltWinters) => {
        checkUnit(alpha, 14050, 'alpha', fcnName);
        checkUnit(beta, 14051, 'beta', fcnName);
        checkUnit(gamma, 14052, 'gamma', fcnName);
        if (s.cycle.length === 0) throw runtimeError(14053, 'empty cycle', fcnName);
        // The cycle rotates left; its new first item (the season just used) is replaced by the update.
        const cycle = [...s.cycle.slice(1), s.cycle[0]!];
        const season = cycle[0]!;
        const carried = (1 - alpha) * (s.level + s.trend);
        const level = s.multiplicative ? divide(alpha * x, season) + carried : alpha * (x - season) + carried;
        cycle[0] = s.multiplicative ? divide(gamma * x, level) + (1 - gamma) * season : gamma * (x - level) + (1 - gamma) * season;
        return update(s, [level, smoothTrend(level, s, beta), cycle]);
      };
    },
  },

  forecast1HoltWinters: {
    sig: '(state: record A {level: double, trend: double}) -> double',
    errors: [14060],
    make: (site) => {
      const fcnName = `${NS}.forecast1HoltWinters`;
      const periodic = isPeriodic(site.paramTypes[0] as RecordType, fcnName);
      return (s: HoltWinters) => {
        checkCycle(s, periodic, 14060, fcnName);
        return forecast(s, 1, periodic);
      };
    },
  },

  forecastHoltWinters: {
    sig: '(n: int, state: record A {level: double, trend: double}) -> array<double>',
    errors: [14070],
    make: (site) => {
      const fcnName = `${NS}.forecastHoltWinters`;
      const periodic = isPeriodic(site.paramTypes[1] as RecordType, fcnName);
      return (n: number, s: HoltWinters) => {
        checkCycle(s, periodic, 14070, fcnName);
        const out: number[] = [];
        for (let i = 1; i <= n; i++) out.push(forecast(s, i, periodic));
        return out;
      };
    },
  },

  fillHistogram: {
    sig: [
      '(x: double, w: double, histogram: record A {numbins: int, low: double, high: double, values: array<double>}) -> A',
      '(x: double, w: double, histogram: record A {low: double, binsize: double, values: array<double>}) -> A',
      '(x: double, w: double, histogram: record A {ranges: array<array<double>>, values: array<double>}) -> A',
    ],
    errors: [14080, 14081, 14082, 14083],
    make: (site) => fillHistogramImpl(site.paramTypes[2] as RecordType),
  },

  fillHistogram2d: {
    sig: '(x: double, y: double, w: double, histogram: record A {xnumbins: int, xlow: double, xhigh: double, ynumbins: int, ylow: double, yhigh: double, values: array<array<double>>}) -> A',
    errors: [14090, 14091, 14092],
    make: (site) => fillHistogram2dImpl(site.paramTypes[3] as RecordType),
  },

  fillCounter: {
    sig: '(x: string, w: double, counter: record A {values: map<double>}) -> A',
    make: (site) => {
      const update = recordUpdater(site.paramTypes[2] as RecordType, ['values']);
      return (x: string, w: number, counter: Rec) => {
        const values = new Map(counter.values as ReadonlyMap<string, number>);
        values.set(x, (values.get(x) ?? 0) + w);
        return update(counter, [values]);
      };
    },
  },

  topN: {
    sig: '(x: any A, top: array<A>, n: int, lessThan: fn(A, A) -> boolean) -> array<A>',
    // `x` goes before the first item that is less than it, so equal items already kept stay ahead.
    fn: (x: unknown, top: readonly unknown[], n: number, lessThan: (a: unknown, b: unknown) => boolean) => {
      if (n <= 0) return [];
      let index = top.findIndex((best) => lessThan(best, x));
      if (index < 0) index = top.length;
      if (index >= n) return top.slice(0, n);
      const out = top.slice(0, n - 1);
      out.splice(index, 0, x);
      return out;
    },
  },
});
