/**
 * PFA namespace `m.link`: link functions that turn raw model scores into predictions. Each one
 * applies to a double, or element by element to an array or to the values of a map.
 */
import { defineLibrary, type FnDef } from '../define.js';
import { stdlib } from '../../../lazy-modules.js';
import { runtimeError } from '../../../errors.js';
import { exp } from './_exp.js';
import type { LinkName } from '../../kernel/ir.js';

const PER_ELEMENT = ['(x: double) -> double', '(x: array<double>) -> array<double>', '(x: map<double>) -> map<double>'];

function mapValues(x: ReadonlyMap<string, number>, f: (v: number) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of x) out.set(k, f(v));
  return out;
}

/**
 * A link function over the three signatures; the call site's argument type picks the closure.
 * `load` gives the function when it needs a package loaded at compile time (`probit`). Over a
 * double or an array it is the kernel step `name` (src/pfa/kernel/ir.ts).
 */
function link(name: LinkName, f: (x: number) => number): FnDef {
  return lazyLink(name, () => f);
}

function lazyLink(name: LinkName, load: () => (x: number) => number): FnDef {
  return {
    sig: PER_ELEMENT,
    kernel: { kind: 'link', sigs: [0, 1], link: name, load },
    make: (site) => {
      const f = load();
      switch (site.paramTypes[0]!.kind) {
        case 'array':
          return (x: readonly number[]) => x.map((v) => f(v));
        case 'map':
          return (x: ReadonlyMap<string, number>) => mapValues(x, f);
        default:
          return f;
      }
    },
  };
}

/**
 * exp(x_i) / sum_j exp(x_j), shifted by the maximum so that no exponential overflows. Any NaN
 * makes the maximum, and so every result, NaN; so does an infinity (inf - inf), as in Titus.
 */
function softmax(x: readonly number[]): number[] {
  let max = -Infinity;
  for (const v of x) max = Math.max(max, v);
  let sum = 0;
  const out = x.map((v) => {
    const e = exp(v - max);
    sum += e;
    return e;
  });
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

function emptyInput(): Error {
  return runtimeError(25000, 'empty input', 'm.link.softmax');
}

export default defineLibrary('m.link', {
  softmax: {
    sig: ['(x: array<double>) -> array<double>', '(x: map<double>) -> map<double>'],
    errors: [25000],
    kernel: { kind: 'softmax', sigs: [0], values: softmax },
    make: (site) =>
      site.paramTypes[0]!.kind === 'map'
        ? (x: ReadonlyMap<string, number>) => {
            if (x.size === 0) throw emptyInput();
            const values = softmax([...x.values()]);
            let i = 0;
            return mapValues(x, () => values[i++]!);
          }
        : (x: readonly number[]) => {
            if (x.length === 0) throw emptyInput();
            return softmax(x);
          },
  },

  logit: link('logistic', (x) => 1 / (1 + exp(-x))),
  // The normal CDF; erfc keeps the far tails accurate where 1 + erf(x) would cancel to 0.
  probit: lazyLink('probit', () => {
    const erfc = stdlib('math-base-special-erfc');
    return (x) => 0.5 * erfc(-x / Math.SQRT2);
  }),
  // 1 - exp(-exp(x)), with expm1 to keep precision when exp(x) is small.
  cloglog: link('cloglog', (x) => -Math.expm1(-exp(x))),
  loglog: link('loglog', (x) => exp(-exp(x))),
  cauchit: link('cauchit', (x) => 0.5 + Math.atan(x) / Math.PI),
  // ln(1 + exp(x)), written so that exp never overflows for large x.
  softplus: link('softplus', (x) => (x > 0 ? x + Math.log1p(exp(-x)) : Math.log1p(exp(x)))),
  relu: link('relu', (x) => Math.max(0, x)), // NaN stays NaN
  tanh: link('tanh', Math.tanh),
});
