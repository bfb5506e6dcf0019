/**
 * PFA namespace `rand`: pseudorandom values. Every draw comes from `site.ctx.random()`, the engine's
 * generator seeded by the document's `randseed`, so equal seeds give equal sequences; integers,
 * bit strings, Gaussian deviates, strings and bytes are all derived from that uniform source.
 */
import { INT_MIN } from '../../avro/values.js';
import { runtimeError } from '../../errors.js';
import { defineLibrary, type CallSite, type EngineContext, type Impl } from './define.js';

/** Uniform integer in [low, high) for ranges that fit a double exactly (up to 2^53). */
function below(ctx: EngineContext, low: number, high: number): number {
  return low + Math.floor(ctx.random() * (high - low));
}

/** Uniform unsigned integer of `bits` bits (at most 32). */
function randomBits(ctx: EngineContext, bits: number): number {
  return Math.floor(ctx.random() * 2 ** bits);
}

/** Uniform bigint in [0, n), by rejection over just enough random bits to write n - 1. */
function bigBelow(ctx: EngineContext, n: bigint): bigint {
  const bits = (n - 1n).toString(2).length;
  for (;;) {
    let r = 0n;
    for (let left = bits; left > 0; left -= 32) {
      const chunk = Math.min(left, 32);
      r = (r << BigInt(chunk)) | BigInt(randomBits(ctx, chunk));
    }
    if (r < n) return r;
  }
}

/** As in Titus, NaN bounds pass (NaN is not <= anything) and give a NaN draw. */
function requireIncreasing(low: number | bigint, high: number | bigint, code: number, name: string): void {
  if (high <= low) throw runtimeError(code, 'high must be greater than low', name);
}

/** Lowercase hex digits of a random unsigned integer of 4 * `digits` bits. */
function hexDigits(ctx: EngineContext, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += randomBits(ctx, 4).toString(16);
  return out;
}

/** A version-4 UUID with the IETF variant digit fixed to 8, as the specification shows it. */
function uuid4(ctx: EngineContext): string {
  return `${hexDigits(ctx, 8)}-${hexDigits(ctx, 4)}-4${hexDigits(ctx, 3)}-8${hexDigits(ctx, 3)}-${hexDigits(ctx, 12)}`;
}

/** Box-Muller transform; 1 - u keeps the logarithm's argument in (0, 1]. */
function gaussian(ctx: EngineContext, mu: number, sigma: number): number {
  const u = 1 - ctx.random();
  const v = ctx.random();
  return mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

// ---------------------------------------------------------------- histogram

const HISTOGRAM = 'rand.histogram';

/** A random index with probability proportional to its weight (weights need not sum to 1). */
function histogramIndex(ctx: EngineContext, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) {
    if (!Number.isFinite(w)) throw runtimeError(34071, 'distribution must be finite', HISTOGRAM);
    if (w < 0) throw runtimeError(34072, 'distribution must be non-negative', HISTOGRAM);
    total += w;
  }
  if (total === 0) throw runtimeError(34070, 'distribution must be non-empty', HISTOGRAM);
  const position = ctx.random() * total;
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i]!;
    if (position < cumulative) return i;
  }
  // Rounding in the running sum can leave `position` just past the last bucket.
  return weights.length - 1;
}

// ---------------------------------------------------------------- strings and bytes

/** The checks and draws shared by `rand.string` (code points) and `rand.bytes` (byte values). */
interface Sequence<T> {
  readonly name: string;
  readonly code: number;
  /** The item range [low, high) used when none is given. */
  readonly low: number;
  readonly high: number;
  /** Largest accepted `low` and `high` of an explicit range. */
  readonly maxLow: number;
  readonly maxHigh: number;
  readonly minLow: number;
  readonly invalid: string;
  readonly build: (items: number[]) => T;
  /** The bag of items a population value stands for. */
  readonly items: (population: T) => ArrayLike<number>;
}

function requirePositiveSize(s: { readonly name: string; readonly code: number }, size: number): void {
  if (size <= 0) throw runtimeError(s.code, 'size must be positive', s.name);
}

function drawRange(ctx: EngineContext, size: number, low: number, high: number): number[] {
  ctx.allocate(size);
  return Array.from({ length: size }, () => below(ctx, low, high));
}

/** The three signatures: default range, a population to pick from, an explicit range. */
function sequenceImpls<T>(s: Sequence<T>): Impl[] {
  return [
    (ctx: EngineContext, size: number) => {
      requirePositiveSize(s, size);
      return s.build(drawRange(ctx, size, s.low, s.high));
    },
    (ctx: EngineContext, size: number, population: T) => {
      requirePositiveSize(s, size);
      const bag = s.items(population);
      if (bag.length === 0) throw runtimeError(s.code + 3, 'population must be non-empty', s.name);
      ctx.allocate(size);
      return s.build(Array.from({ length: size }, () => bag[below(ctx, 0, bag.length)]!));
    },
    (ctx: EngineContext, size: number, low: number, high: number) => {
      requirePositiveSize(s, size);
      requireIncreasing(low, high, s.code + 1, s.name);
      if (low < s.minLow || low > s.maxLow || high < s.minLow || high > s.maxHigh) {
        throw runtimeError(s.code + 2, s.invalid, s.name);
      }
      return s.build(drawRange(ctx, size, low, high));
    },
  ];
}

// The default range stops below 0xD800: the specification's inclusive 0xD800 is a lone surrogate,
// which no UTF-8 or Avro string can carry.
const STRING: Sequence<string> = {
  name: 'rand.string',
  code: 34080,
  low: 1,
  high: 0xd800,
  minLow: 1,
  maxLow: 0xd800,
  maxHigh: 0xd800,
  invalid: 'invalid char',
  build: (codePoints) => codePoints.map((c) => String.fromCodePoint(c)).join(''),
  items: (population) => Array.from(population, (c) => c.codePointAt(0)!),
};

const BYTES: Sequence<Uint8Array> = {
  name: 'rand.bytes',
  code: 34090,
  low: 0,
  high: 256,
  minLow: 0,
  maxLow: 255,
  maxHigh: 256,
  invalid: 'invalid byte',
  build: (bytes) => Uint8Array.from(bytes),
  items: (population) => population,
};

/** Binds the engine context as the first argument of the implementation for the matched signature. */
function withContext(impls: readonly Impl[]) {
  return (site: CallSite): Impl => {
    const impl = impls[site.sigIndex]!;
    return (...args: unknown[]) => impl(site.ctx, ...args);
  };
}

const TWO_32 = 2 ** 32;
const TWO_64 = 2n ** 64n;

export default defineLibrary('rand', {
  int: {
    sig: ['() -> int', '(low: int, high: int) -> int'],
    errors: [34000],
    make: withContext([
      (ctx: EngineContext) => below(ctx, INT_MIN, INT_MIN + TWO_32),
      (ctx: EngineContext, low: number, high: number) => {
        requireIncreasing(low, high, 34000, 'rand.int');
        return below(ctx, low, high);
      },
    ]),
  },
  long: {
    sig: ['() -> long', '(low: long, high: long) -> long'],
    errors: [34010],
    make: withContext([
      (ctx: EngineContext) => BigInt.asIntN(64, bigBelow(ctx, TWO_64)),
      (ctx: EngineContext, low: bigint, high: bigint) => {
        requireIncreasing(low, high, 34010, 'rand.long');
        return low + bigBelow(ctx, high - low);
      },
    ]),
  },
  float: {
    sig: '(low: float, high: float) -> float',
    errors: [34020],
    make: withContext([
      (ctx: EngineContext, low: number, high: number) => {
        requireIncreasing(low, high, 34020, 'rand.float');
        return Math.fround(low + ctx.random() * (high - low));
      },
    ]),
  },
  double: {
    sig: '(low: double, high: double) -> double',
    errors: [34030],
    make: withContext([
      (ctx: EngineContext, low: number, high: number) => {
        requireIncreasing(low, high, 34030, 'rand.double');
        return low + ctx.random() * (high - low);
      },
    ]),
  },
  choice: {
    sig: '(population: array<any A>) -> A',
    errors: [34040],
    make: withContext([
      (ctx: EngineContext, population: readonly unknown[]) => {
        if (population.length === 0) throw runtimeError(34040, 'population must not be empty', 'rand.choice');
        return population[below(ctx, 0, population.length)];
      },
    ]),
  },
  choices: {
    sig: '(size: int, population: array<any A>) -> array<A>',
    errors: [34050],
    make: withContext([
      (ctx: EngineContext, size: number, population: readonly unknown[]) => {
        if (population.length === 0) throw runtimeError(34050, 'population must not be empty', 'rand.choices');
        ctx.allocate(Math.max(size, 0));
        return Array.from({ length: Math.max(size, 0) }, () => population[below(ctx, 0, population.length)]);
      },
    ]),
  },
  sample: {
    sig: '(size: int, population: array<any A>) -> array<A>',
    errors: [34060, 34061],
    make: withContext([
      (ctx: EngineContext, size: number, population: readonly unknown[]) => {
        if (population.length === 0) throw runtimeError(34060, 'population must not be empty', 'rand.sample');
        if (population.length < size) {
          throw runtimeError(34061, 'population smaller than requested subsample', 'rand.sample');
        }
        // Partial Fisher-Yates shuffle of a copy: the first `size` slots are the sample.
        const pool = [...population];
        const n = Math.max(size, 0);
        for (let i = 0; i < n; i++) {
          const j = below(ctx, i, pool.length);
          [pool[i], pool[j]] = [pool[j], pool[i]];
        }
        return pool.slice(0, n);
      },
    ]),
  },
  histogram: {
    sig: ['(distribution: array<double>) -> int', '(distribution: array<record A {prob: double}>) -> A'],
    errors: [34070, 34071, 34072],
    make: withContext([
      histogramIndex,
      (ctx: EngineContext, distribution: readonly { prob: number }[]) =>
        distribution[
          histogramIndex(
            ctx,
            distribution.map((r) => r.prob),
          )
        ],
    ]),
  },
  string: {
    sig: ['(size: int) -> string', '(size: int, population: string) -> string', '(size: int, low: int, high: int) -> string'],
    errors: [34080, 34081, 34082, 34083],
    make: withContext(sequenceImpls(STRING)),
  },
  bytes: {
    sig: ['(size: int) -> bytes', '(size: int, population: bytes) -> bytes', '(size: int, low: int, high: int) -> bytes'],
    errors: [34090, 34091, 34092, 34093],
    make: withContext(sequenceImpls(BYTES)),
  },
  uuid: {
    sig: '() -> string',
    deprecated: true,
    make: withContext([uuid4]),
  },
  uuid4: {
    sig: '() -> string',
    make: withContext([uuid4]),
  },
  gaussian: {
    sig: '(mu: double, sigma: double) -> double',
    make: withContext([gaussian]),
  },
});
