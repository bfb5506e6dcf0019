/**
 * The WebAssembly text of the columnar kernels. `scripts/build-kernels.ts` compiles it (with wabt,
 * a development dependency) into `kernels.generated.ts`; a spec checks that the committed binary
 * is this text compiled. Nothing here is per model: the kernels read the model's numbers from
 * memory, so no document ever becomes code.
 *
 * Every kernel computes exactly what the per-record implementation computes, operation for
 * operation in the same order: SIMD lanes hold different records, never parts of one sum, so
 * there is no reassociation, and WebAssembly's f64 arithmetic is IEEE 754 like JavaScript's (no
 * fused multiply-add). Records are laid out by column (feature j of records 0..n-1 together) and
 * n is a multiple of 8, so a step of the dot product loads four vectors of two records each.
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

/** Arithmetic on one double (`f64`) or on two at once, one per lane (`f64x2`): the same expressions either way. */
interface Arithmetic {
  c(x: number): string;
  add(a: string, b: string): string;
  sub(a: string, b: string): string;
  mul(a: string, b: string): string;
}

function arithmetic(type: 'f64' | 'f64x2'): Arithmetic {
  return {
    c: (x) => (type === 'f64' ? `(f64.const ${hexFloat(x)})` : `(v128.const f64x2 ${hexFloat(x)} ${hexFloat(x)})`),
    add: (a, b) => `(${type}.add ${a} ${b})`,
    sub: (a, b) => `(${type}.sub ${a} ${b})`,
    mul: (a, b) => `(${type}.mul ${a} ${b})`,
  };
}

const F64 = arithmetic('f64');
const { c } = F64;
const get = (name: string): string => `(local.get $${name})`;
const set = (name: string, value: string): string => `(local.set $${name} ${value})`;

/** `dest` = the error of the product `p` = a * b (Dekker, with Veltkamp's split), as _exp.ts computes it. */
function twoProductError({ c, sub, mul }: Arithmetic, dest: string, a: string, b: string, p: string): string {
  const splitter = c(FAST_PATH.SPLITTER);
  return [
    set('t', mul(splitter, a)),
    set('ah', sub(get('t'), sub(get('t'), a))),
    set('al', sub(a, get('ah'))),
    set('t', mul(splitter, b)),
    set('bh', sub(get('t'), sub(get('t'), b))),
    set('bl', sub(b, get('bh'))),
    set(dest, sub(mul(get('al'), get('bl')), sub(sub(sub(p, mul(get('ah'), get('bh'))), mul(get('al'), get('bh'))), mul(get('ah'), get('bl'))))),
  ].join('\n    ');
}

/** `dest` = the error of the sum `s` = a + b (Knuth). */
function twoSumError({ add, sub }: Arithmetic, dest: string, a: string, b: string, s: string): string {
  return [set('bb', sub(s, a)), set(dest, add(sub(a, sub(s, get('bb'))), sub(b, get('bb'))))].join('\n    ');
}

const EXP_LOCALS = ['kf', 's', 'lo', 'rh', 'rl', 'q', 'th', 'tl', 'a', 'ae', 'big', 'tail', 'lower', 'upper', 't', 'ah', 'al', 'bh', 'bl', 'bb', 'e'];

/**
 * The fast path of _exp.ts, step for step, from x, kf = round(x * 256/ln2) and the table pair
 * th + tl = 2^(j/256) to `lower` and `upper`: the result before scaling by 2^m, decided when they
 * are equal. (f64.nearest rounds ties to even where Math.round rounds them up; either k keeps |r|
 * within the bound, and a decided result is the correctly rounded one whichever k gave it.)
 */
function fastPath(A: Arithmetic, neg: (a: string) => string): string {
  const { c, add, sub, mul } = A;
  const x = get('x');
  const r = (n: string) => get(n);
  return [
    set('s', sub(x, mul(r('kf'), c(FAST_PATH.LN2_STEP_HI)))),
    set('lo', neg(mul(r('kf'), c(FAST_PATH.LN2_STEP_LO)))),
    set('rh', add(r('s'), r('lo'))),
    twoSumError(A, 'rl', r('s'), r('lo'), r('rh')),
    set('q', add(add(mul(mul(r('rh'), r('rh')), add(c(0.5), mul(r('rh'), add(c(1 / 6), mul(r('rh'), add(c(1 / 24), mul(r('rh'), add(c(1 / 120), mul(r('rh'), c(1 / 720)))))))))), mul(r('rh'), r('rl'))), r('rl'))),
    set('a', mul(r('th'), r('rh'))),
    twoProductError(A, 'ae', r('th'), r('rh'), r('a')),
    set('big', add(r('th'), r('a'))),
    twoSumError(A, 'e', r('th'), r('a'), r('big')),
    set('tail', add(add(add(r('e'), r('ae')), mul(r('th'), r('q'))), mul(r('tl'), add(add(c(1), r('rh')), r('q'))))),
    set('lower', add(r('big'), sub(r('tail'), mul(c(FAST_PATH.TOLERANCE), r('big'))))),
    set('upper', add(r('big'), add(r('tail'), mul(c(FAST_PATH.TOLERANCE), r('big'))))),
  ].join('\n    ');
}

/** 2^m for an i64 (or i64x2) m in the normal range, from its bits. */
const pow2 = (type: 'i64' | 'i64x2', m: string): string => `(${type}.shl (${type}.add ${m} ${type === 'i64' ? '(i64.const 1023)' : '(v128.const i64x2 1023 1023)'}) ${type === 'i64' ? '(i64.const 52)' : '(i32.const 52)'})`;

/**
 * exp(x) correctly rounded, with its table of 2^(j/256) at address 0. Where the fast path cannot
 * decide the rounding (about one argument in 6,000) and near the subnormal range, it calls the
 * JavaScript implementation, which settles it exactly.
 */
function expFunction(): string {
  const x = get('x');
  return `(func $exp (param $x f64) (result f64)
    (local $k i32) (local $j i32) (local $m i32) ${EXP_LOCALS.map((n) => `(local $${n} f64)`).join(' ')}
    (if (i32.eqz (f64.ge (f64.abs ${x}) ${c(2 ** -54)}))
      (then (return (select ${x} ${c(1)} (f64.ne ${x} ${x})))))
    (if (f64.gt ${x} ${c(709.79)}) (then (return (f64.const inf))))
    (if (f64.lt ${x} ${c(-746)}) (then (return ${c(0)})))
    (if (f64.lt ${x} ${c(-707)}) (then (return (call $exact ${x}))))
    ${set('kf', `(f64.nearest ${F64.mul(x, c(FAST_PATH.STEPS_OVER_LN2))})`)}
    (local.set $k (i32.trunc_f64_s ${get('kf')}))
    (local.set $j (i32.shl (i32.and (local.get $k) (i32.const 255)) (i32.const 4)))
    (local.set $m (i32.shr_s (local.get $k) (i32.const 8)))
    ${set('th', '(f64.load (local.get $j))')}
    ${set('tl', '(f64.load offset=8 (local.get $j))')}
    ${fastPath(F64, (a) => `(f64.neg ${a})`)}
    (if (f64.ne ${get('lower')} ${get('upper')}) (then (return (call $exact ${x}))))
    ;; Above 2^1023 in two steps, as _exp.ts does.
    (if (i32.gt_s (local.get $m) (i32.const 1023))
      (then (return ${F64.mul(F64.mul(get('lower'), c(2 ** 1023)), `(f64.reinterpret_i64 ${pow2('i64', '(i64.extend_i32_s (i32.sub (local.get $m) (i32.const 1023)))')})`)})))
    ${F64.mul(get('lower'), `(f64.reinterpret_i64 ${pow2('i64', '(i64.extend_i32_s (local.get $m))')})`)})`;
}

/**
 * exp of two doubles at once (one per lane), for the loops over many records: two independent
 * evaluations in flight halve the time of the fast path's long chain of dependent operations.
 * Lanes outside the vector path's range (where m could exceed 1023, or the scalar function takes
 * a shortcut) or undecided go through the scalar function, lane by lane.
 */
function exp2Function(): string {
  const V = arithmetic('f64x2');
  const x = get('x');
  const lanes = `(f64x2.replace_lane 1 (f64x2.splat (call $exp (f64x2.extract_lane 0 ${x}))) (call $exp (f64x2.extract_lane 1 ${x})))`;
  return `(func $exp2 (param $x v128) (result v128)
    (local $k v128) (local $j0 i32) (local $j1 i32) ${EXP_LOCALS.map((n) => `(local $${n} v128)`).join(' ')}
    (if (i32.eqz (i64x2.all_true (v128.and (f64x2.ge (f64x2.abs ${x}) ${V.c(2 ** -54)}) (v128.and (f64x2.ge ${x} ${V.c(-707)}) (f64x2.le ${x} ${V.c(709)})))))
      (then (return ${lanes})))
    ${set('kf', `(f64x2.nearest ${V.mul(x, V.c(FAST_PATH.STEPS_OVER_LN2))})`)}
    (local.set $k (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero ${get('kf')})))
    (local.set $j0 (i32.shl (i32.and (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $k))) (i32.const 255)) (i32.const 4)))
    (local.set $j1 (i32.shl (i32.and (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $k))) (i32.const 255)) (i32.const 4)))
    ${set('th', '(f64x2.replace_lane 1 (f64x2.splat (f64.load (local.get $j0))) (f64.load (local.get $j1)))')}
    ${set('tl', '(f64x2.replace_lane 1 (f64x2.splat (f64.load offset=8 (local.get $j0))) (f64.load offset=8 (local.get $j1)))')}
    ${fastPath(V, (a) => `(f64x2.neg ${a})`)}
    (if (i32.eqz (i64x2.all_true (f64x2.eq ${get('lower')} ${get('upper')}))) (then (return ${lanes})))
    ${V.mul(get('lower'), pow2('i64x2', '(i64x2.shr_s (local.get $k) (i32.const 8))'))})`;
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
            LANES.map((l) => `(v128.store offset=${16 * l} (i32.add (i32.add (local.get $col) (i32.mul (i32.const ${v}) (local.get $stride))) (local.get $i)) (f64x2.add (local.get ${acc(v, l)}) (local.get $bias${v})))`),
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

/** exp in place over `count` doubles (a multiple of 2), two lanes a step. */
function expArrayFunction(): string {
  return `(func (export "exp") (param $p i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $each
        (v128.store (local.get $p) (call $exp2 (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br_if $each (i32.lt_u (local.get $p) (local.get $end))))))`;
}

/**
 * logistic: v = 1 / (1 + exp(-v)) in place (m.link.logit) over `count` doubles, a multiple of 4:
 * two vectors a step, so that two exponentials of two lanes each are in flight.
 */
function logisticFunction(): string {
  const one = '(v128.const f64x2 1 1)';
  const step = (offset: number) => `(v128.store offset=${offset} (local.get $p) (f64x2.div ${one} (f64x2.add ${one} (call $exp2 (f64x2.neg (v128.load offset=${offset} (local.get $p)))))))`;
  return `(func (export "logistic") (param $p i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $each
        ${step(0)}
        ${step(16)}
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br_if $each (i32.lt_u (local.get $p) (local.get $end))))))`;
}

/**
 * softmax in place over k columns of n records (n even), two records a step, as m.link.softmax
 * computes each: the maximum (f64x2.max propagates NaN and orders -0 below 0, as Math.max does),
 * exp(v - max) summed in order, each divided by the sum.
 */
function softmaxFunction(): string {
  return `(func (export "softmax") (param $p i32) (param $n i32) (param $k i32)
    (local $stride i32) (local $end i32) (local $q i32) (local $last i32) (local $max v128) (local $sum v128) (local $e v128)
    (local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end (i32.add (local.get $p) (local.get $stride)))
    (if (i32.or (i32.eqz (local.get $k)) (i32.eqz (local.get $n))) (then (return)))
    (loop $records
      (local.set $last (i32.add (local.get $p) (i32.mul (i32.sub (local.get $k) (i32.const 1)) (local.get $stride))))
      (local.set $max (v128.const f64x2 -inf -inf))
      (local.set $q (local.get $p))
      (loop $maximum
        (local.set $max (f64x2.max (local.get $max) (v128.load (local.get $q))))
        (local.set $q (i32.add (local.get $q) (local.get $stride)))
        (br_if $maximum (i32.le_u (local.get $q) (local.get $last))))
      (local.set $sum (v128.const f64x2 0 0))
      (local.set $q (local.get $p))
      (loop $exponentials
        (local.set $e (call $exp2 (f64x2.sub (v128.load (local.get $q)) (local.get $max))))
        (v128.store (local.get $q) (local.get $e))
        (local.set $sum (f64x2.add (local.get $sum) (local.get $e)))
        (local.set $q (i32.add (local.get $q) (local.get $stride)))
        (br_if $exponentials (i32.le_u (local.get $q) (local.get $last))))
      (local.set $q (local.get $p))
      (loop $divide
        (v128.store (local.get $q) (f64x2.div (v128.load (local.get $q)) (local.get $sum)))
        (local.set $q (i32.add (local.get $q) (local.get $stride)))
        (br_if $divide (i32.le_u (local.get $q) (local.get $last))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $records (i32.lt_u (local.get $p) (local.get $end)))))`;
}

/** Bytes at address 0 that hold the exp table (256 pairs of doubles); data starts after them. */
export const TABLE_BYTES = 256 * 16;

export function kernelsWat(): string {
  return `(module
  (import "env" "memory" (memory 1))
  (import "env" "exp" (func $exact (param f64) (result f64)))
  ${expFunction()}
  ${exp2Function()}
  ${affineFunction()}
  ${expArrayFunction()}
  ${logisticFunction()}
  ${softmaxFunction()}
)
`;
}
