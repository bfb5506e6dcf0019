/**
 * The WebAssembly text of the columnar kernels. `scripts/build-kernels.ts` compiles it (with wabt,
 * a development dependency) into `kernels.generated.ts`; a spec checks that the committed binary
 * is this text compiled. Nothing here is per model: the kernels read the model's numbers from
 * memory, so no document ever becomes code.
 *
 * Every kernel computes exactly what the per-record implementation computes, operation for
 * operation in the same order: SIMD lanes hold different records, never parts of one sum, so
 * there is no reassociation, and WebAssembly's f64 arithmetic is IEEE 754 like JavaScript's (no
 * fused multiply-add). The exponential takes another route to the same correctly rounded value
 * (exp4Function). Records are laid out by column (feature j of records 0..n-1 together) and n is
 * a multiple of 8, so a step of the dot product loads four vectors of two records each.
 */
import { FAST_PATH } from '../lib/m/_exp.js';

/** A double as an exact hexadecimal float literal (every constant here is a normal number). */
export function hexFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0x0p+0' : '0x0p+0';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const exponent = Number((bits >> 52n) & 0x7ffn) - 1023;
  const mantissa = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  return `${sign}0x1.${mantissa}p${exponent >= 0 ? '+' : ''}${exponent}`;
}

/** A double in both lanes of a v128 constant. */
const c = (x: number): string => `(v128.const f64x2 ${hexFloat(x)} ${hexFloat(x)})`;
const get = (name: string): string => `(local.get $${name})`;
const set = (name: string, value: string): string => `(local.set $${name} ${value})`;
const add = (a: string, b: string): string => `(f64x2.add ${a} ${b})`;
const sub = (a: string, b: string): string => `(f64x2.sub ${a} ${b})`;
const mul = (a: string, b: string): string => `(f64x2.mul ${a} ${b})`;

/** Bytes of one table entry: 2^(j/256) as th + tl, then th's leading 26 bits, then padding. */
const ENTRY = 32;
/** The exp table's entries, 256 of them at address 0. */
export const TABLE_BYTES = 256 * ENTRY;

/**
 * The exp table as the kernels read it, from _exp.ts's pairs: th, tl and thH, th with its low 27
 * mantissa bits cleared (26 significant bits, so that thH times a 27-bit number is exact).
 */
export function kernelTable(pairs: Float64Array): Float64Array {
  const out = new Float64Array(TABLE_BYTES / 8);
  const bits = new BigUint64Array(out.buffer);
  for (let j = 0; j < 256; j++) {
    out[4 * j] = pairs[2 * j]!;
    out[4 * j + 1] = pairs[2 * j + 1]!;
    out[4 * j + 2] = pairs[2 * j]!;
    bits[4 * j + 2]! &= ~((1n << 27n) - 1n);
  }
  return out;
}

const LOCALS = [
  'kf',
  's',
  'lo',
  'rh',
  'rl',
  'q',
  'th',
  'tl',
  'thH',
  'rhH',
  'a',
  'ae',
  'big',
  'e',
  'tail',
  'tb',
  'lower',
  'upper',
  'bb',
  'k',
  'pair0',
  'pair1',
];

/** i8x16.shuffle of `a` and `b` taking the 8-byte lane `first` of `a` and the lane `second` of `b`. */
const lanes = (first: 0 | 1, second: 0 | 1, a: string, b: string): string => {
  const bytes = (lane: number, base: number) => Array.from({ length: 8 }, (_, i) => base + lane * 8 + i);
  return `(i8x16.shuffle ${[...bytes(first, 0), ...bytes(second, 16)].join(' ')} ${a} ${b})`;
};

/**
 * The fast path for the two lanes of $x<v>, with locals suffixed by `v`: statements that end with
 * $lower<v> and $upper<v> (the result is decided where they are equal) and $k<v> (k in i32 lanes).
 */
function fastPath(v: number): string[] {
  const g = (n: string) => get(`${n}${v}`);
  const st = (n: string, value: string) => set(`${n}${v}`, value);
  const sum = (dest: string, x: string, y: string, total: string) => [
    st('bb', sub(total, x)),
    st(dest, add(sub(x, sub(total, g('bb'))), sub(y, g('bb')))),
  ];
  const j = (lane: number) => `$j${v}${lane}`;
  const index = `(i32x4.shl (v128.and ${g('k')} (v128.const i32x4 255 255 255 255)) (i32.const 5))`;
  return [
    st('kf', `(f64x2.nearest ${mul(g('x'), c(FAST_PATH.STEPS_OVER_LN2))})`),
    st('k', `(i32x4.trunc_sat_f64x2_s_zero ${g('kf')})`),
    `(local.set ${j(0)} (i32x4.extract_lane 0 ${index}))`,
    `(local.set ${j(1)} (i32x4.extract_lane 1 ${index}))`,
    st('pair0', `(v128.load (local.get ${j(0)}))`),
    st('pair1', `(v128.load (local.get ${j(1)}))`),
    st('th', lanes(0, 0, g('pair0'), g('pair1'))),
    st('tl', lanes(1, 1, g('pair0'), g('pair1'))),
    st('thH', lanes(0, 0, `(v128.load offset=16 (local.get ${j(0)}))`, `(v128.load offset=16 (local.get ${j(1)}))`)),
    st('s', sub(g('x'), mul(g('kf'), c(FAST_PATH.LN2_STEP_HI)))),
    st('lo', `(f64x2.neg ${mul(g('kf'), c(FAST_PATH.LN2_STEP_LO))})`),
    st('rh', add(g('s'), g('lo'))),
    ...sum('rl', g('s'), g('lo'), g('rh')),
    st(
      'q',
      add(
        add(
          mul(
            mul(g('rh'), g('rh')),
            add(c(0.5), mul(g('rh'), add(c(1 / 6), mul(g('rh'), add(c(1 / 24), mul(g('rh'), add(c(1 / 120), mul(g('rh'), c(1 / 720))))))))),
          ),
          mul(g('rh'), g('rl')),
        ),
        g('rl'),
      ),
    ),
    st('rhH', `(v128.and ${g('rh')} (v128.const i64x2 -67108864 -67108864))`),
    st('a', mul(g('thH'), g('rhH'))),
    st('ae', add(mul(g('thH'), sub(g('rh'), g('rhH'))), mul(sub(g('th'), g('thH')), g('rh')))),
    st('big', add(g('th'), g('a'))),
    ...sum('e', g('th'), g('a'), g('big')),
    st('tail', add(add(add(g('e'), g('ae')), mul(g('th'), g('q'))), mul(g('tl'), add(add(c(1), g('rh')), g('q'))))),
    st('tb', mul(c(FAST_PATH.TOLERANCE), g('big'))),
    st('lower', add(g('big'), sub(g('tail'), g('tb')))),
    st('upper', add(g('big'), add(g('tail'), g('tb')))),
  ];
}

/** Statements of several lists taken in turn, so that independent chains sit side by side. */
function interleave(lists: readonly string[][]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(...lists.map((l) => l.length)); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** exp of every lane of $x<v>, each by the JavaScript function. */
const eachLane = (v: number): string =>
  `(f64x2.replace_lane 1 (f64x2.splat (call $exact (f64x2.extract_lane 0 (local.get $x${v})))) (call $exact (f64x2.extract_lane 1 (local.get $x${v}))))`;

/**
 * exp of four doubles, two vectors of two lanes, correctly rounded: the method of _exp.ts (the
 * reduction to r = x - k ln2/256, 2^(j/256) from the table as th + tl, exp(r) - 1 as rh + q, the
 * sum carried in about 70 bits and accepted when its error bound cannot move the rounding). One
 * step is cheaper: th * rh is split exactly as thH * rhH, a product of 26 and 27 significant bits
 * and so exact, plus thH * rhL + thL * rh, which is 2^-26 of it and adds an error near 2^-88,
 * where _exp.ts takes Dekker's exact product. The two vectors' steps are interleaved: each is a
 * long chain of dependent operations, and two side by side keep the processor busy.
 *
 * A vector with a lane of |x| > 707 or NaN goes to the JavaScript function lane by lane, as does
 * one with an undecided lane (about one in 6,000); zero and the tiniest arguments need no shortcut
 * here: their sum is 1 within the bound, decided.
 */
function exp4Function(): string {
  const inRange = (v: number) => `(i64x2.all_true (f64x2.le (f64x2.abs (local.get $x${v})) ${c(707)}))`;
  const decided = (v: number) => `(i64x2.all_true (f64x2.eq (local.get $lower${v}) (local.get $upper${v})))`;
  // 2^m from its bits: m = k >> 8 is within the normal range for |x| <= 707.
  const scaled = (v: number) =>
    mul(
      get(`lower${v}`),
      `(i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.shr_s (local.get $k${v}) (i32.const 8))) (v128.const i64x2 1023 1023)) (i32.const 52))`,
    );
  const locals = [0, 1].flatMap((v) => [`(local $j${v}0 i32) (local $j${v}1 i32)`, ...LOCALS.map((n) => `(local $${n}${v} v128)`)]);
  return `(func $exp4 (param $x0 v128) (param $x1 v128) (result v128 v128)
    ${locals.join(' ')}
    (if (i32.eqz (i32.and ${inRange(0)} ${inRange(1)}))
      (then (return ${eachLane(0)} ${eachLane(1)})))
    ${interleave([fastPath(0), fastPath(1)]).join('\n    ')}
    (if (i32.eqz (i32.and ${decided(0)} ${decided(1)}))
      (then (return ${eachLane(0)} ${eachLane(1)})))
    ${scaled(0)}
    ${scaled(1)})`;
}

/** Accumulators of the dot product per unit: four vectors, eight records. */
const LANES = [0, 1, 2, 3];

/**
 * The records loop of `units` units (1 or 2) from unit $u: for every eight records, each unit's
 * eight sums. With two units, each load of the inputs serves both.
 */
function unitsBody(units: number): string {
  const us = Array.from({ length: units }, (_, v) => v);
  const acc = (v: number, l: number): string => `$a${v}${l}`;
  const row = (v: number): string => (v === 0 ? '(local.get $q)' : `(i32.add (local.get $q) (local.get $rowBytes))`);
  return `(local.set $row (i32.add (local.get $w) (i32.mul (local.get $u) (local.get $rowBytes))))
      ${us.map((v) => `(local.set $bias${v} (f64x2.splat (f64.load (i32.add (local.get $b) (i32.shl (i32.add (local.get $u) (i32.const ${v})) (i32.const 3))))))`).join(' ')}
      (local.set $col (i32.add (local.get $out) (i32.mul (local.get $u) (local.get $stride))))
      (local.set $i (i32.const 0))
      (loop $records
        ${us.flatMap((v) => LANES.map((l) => `(local.set ${acc(v, l)} (v128.const i64x2 0 0))`)).join(' ')}
        (local.set $p (i32.add (local.get $x) (local.get $i)))
        (local.set $q (local.get $row))
        (local.set $end (i32.add (local.get $row) (local.get $rowBytes)))
        (block $done
          (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
          (loop $terms
            ${LANES.map((l) => `(local.set $x${l} (v128.load offset=${16 * l} (local.get $p)))`).join(' ')}
            ${us
              .map(
                (v) => `(local.set $wj (f64x2.splat (f64.load ${row(v)})))
            ${LANES.map((l) => `(local.set ${acc(v, l)} (f64x2.add (local.get ${acc(v, l)}) (f64x2.mul (local.get $wj) (local.get $x${l}))))`).join('\n            ')}`,
              )
              .join('\n            ')}
            (local.set $p (i32.add (local.get $p) (local.get $stride)))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (br_if $terms (i32.lt_u (local.get $q) (local.get $end)))))
        ${us
          .flatMap((v) =>
            LANES.map(
              (l) =>
                `(v128.store offset=${16 * l} (i32.add (i32.add (local.get $col) (i32.mul (i32.const ${v}) (local.get $stride))) (local.get $i)) (f64x2.add (local.get ${acc(v, l)}) (local.get $bias${v})))`,
            ),
          )
          .join('\n        ')}
        (local.set $i (i32.add (local.get $i) (i32.const ${16 * LANES.length})))
        (br_if $records (i32.lt_u (local.get $i) (local.get $stride))))`;
}

/**
 * affine: out[u][i] = (sum over j of w[u][j] * x[j][i]) + b[u], the sum running from 0 in order of
 * j as model.reg.linear and model.neural.simpleLayers compute it. Byte addresses; x is d columns of
 * n doubles, w is k rows of d doubles, out is k columns of n doubles. Units go two at a time.
 */
function affineFunction(): string {
  const accs = [0, 1].flatMap((v) => LANES.map((l) => `(local $a${v}${l} v128)`)).join(' ');
  return `(func (export "affine") (param $x i32) (param $n i32) (param $d i32) (param $w i32) (param $b i32) (param $k i32) (param $out i32)
    (local $stride i32) (local $rowBytes i32) (local $u i32) (local $row i32) (local $i i32) (local $p i32) (local $q i32) (local $end i32) (local $col i32)
    (local $wj v128) (local $bias0 v128) (local $bias1 v128) ${LANES.map((l) => `(local $x${l} v128)`).join(' ')} ${accs}
    (local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (if (i32.eqz (local.get $n)) (then (return)))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $u) (i32.const 2)) (local.get $k)))
        ${unitsBody(2)}
        (local.set $u (i32.add (local.get $u) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $u) (local.get $k))
      (then
        ${unitsBody(1)})))`;
}

/** `body`, with $r0 and $r1 set to exp of $x0 and $x1, over 4 doubles a step from $p to $end. */
function fourAtATime(name: string, params: string, locals: string, setup: string, body: (call: string) => string): string {
  return `(func (export "${name}") ${params}
    (local $end i32) (local $x0 v128) (local $x1 v128) (local $r0 v128) (local $r1 v128) ${locals}
    ${setup}
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $each
        ${body('(call $exp4 (local.get $x0) (local.get $x1)) (local.set $r1) (local.set $r0)')}
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br_if $each (i32.lt_u (local.get $p) (local.get $end))))))`;
}

const countEnd = '(local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 3))))';

/** exp in place over `count` doubles, a multiple of 4. */
function expArrayFunction(): string {
  return fourAtATime(
    'exp',
    '(param $p i32) (param $count i32)',
    '',
    countEnd,
    (call) => `(local.set $x0 (v128.load (local.get $p)))
        (local.set $x1 (v128.load offset=16 (local.get $p)))
        ${call}
        (v128.store (local.get $p) (local.get $r0))
        (v128.store offset=16 (local.get $p) (local.get $r1))`,
  );
}

/** logistic: v = 1 / (1 + exp(-v)) in place (m.link.logit) over `count` doubles, a multiple of 4. */
function logisticFunction(): string {
  const one = '(v128.const f64x2 1 1)';
  return fourAtATime(
    'logistic',
    '(param $p i32) (param $count i32)',
    '',
    countEnd,
    (call) => `(local.set $x0 (f64x2.neg (v128.load (local.get $p))))
        (local.set $x1 (f64x2.neg (v128.load offset=16 (local.get $p))))
        ${call}
        (v128.store (local.get $p) (f64x2.div ${one} (f64x2.add ${one} (local.get $r0))))
        (v128.store offset=16 (local.get $p) (f64x2.div ${one} (f64x2.add ${one} (local.get $r1))))`,
  );
}

/**
 * softmax in place over k columns of n records (n a multiple of 4), four records a step, as
 * m.link.softmax computes each: the maximum (f64x2.max propagates NaN and orders -0 below 0, as
 * Math.max does), exp(v - max) summed in order, each divided by the sum.
 */
function softmaxFunction(): string {
  const column = (body: string) => `(local.set $q (local.get $p))
        (loop $columns
          ${body}
          (local.set $q (i32.add (local.get $q) (local.get $stride)))
          (br_if $columns (i32.le_u (local.get $q) (local.get $last))))`;
  return fourAtATime(
    'softmax',
    '(param $p i32) (param $n i32) (param $k i32)',
    '(local $stride i32) (local $q i32) (local $last i32) (local $max0 v128) (local $max1 v128) (local $sum0 v128) (local $sum1 v128)',
    `(local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end (i32.add (local.get $p) (local.get $stride)))
    (if (i32.eqz (local.get $k)) (then (return)))`,
    (call) => `(local.set $last (i32.add (local.get $p) (i32.mul (i32.sub (local.get $k) (i32.const 1)) (local.get $stride))))
        (local.set $max0 (v128.const f64x2 -inf -inf))
        (local.set $max1 (v128.const f64x2 -inf -inf))
        ${column(`(local.set $max0 (f64x2.max (local.get $max0) (v128.load (local.get $q))))
          (local.set $max1 (f64x2.max (local.get $max1) (v128.load offset=16 (local.get $q))))`)}
        (local.set $sum0 (v128.const f64x2 0 0))
        (local.set $sum1 (v128.const f64x2 0 0))
        ${column(`(local.set $x0 (f64x2.sub (v128.load (local.get $q)) (local.get $max0)))
          (local.set $x1 (f64x2.sub (v128.load offset=16 (local.get $q)) (local.get $max1)))
          ${call}
          (v128.store (local.get $q) (local.get $r0))
          (v128.store offset=16 (local.get $q) (local.get $r1))
          (local.set $sum0 (f64x2.add (local.get $sum0) (local.get $r0)))
          (local.set $sum1 (f64x2.add (local.get $sum1) (local.get $r1)))`)}
        ${column(`(v128.store (local.get $q) (f64x2.div (v128.load (local.get $q)) (local.get $sum0)))
          (v128.store offset=16 (local.get $q) (f64x2.div (v128.load offset=16 (local.get $q)) (local.get $sum1)))`)}`,
  );
}

export function kernelsWat(): string {
  return `(module
  (import "env" "memory" (memory 1))
  (import "env" "exp" (func $exact (param f64) (result f64)))
  ${exp4Function()}
  ${affineFunction()}
  ${expArrayFunction()}
  ${logisticFunction()}
  ${softmaxFunction()}
)
`;
}
