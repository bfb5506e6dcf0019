import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileKernels, GENERATED, generatedSource } from '../../../scripts/build-kernels.js';
import { KERNELS_BASE64 } from '../../../src/pfa/columnar/kernels.generated.js';
import { hexFloat } from '../../../src/pfa/columnar/kernels-source.js';
import { DATA_START, instantiate, kernelModule } from '../../../src/pfa/columnar/kernels.js';
import { exp } from '../../../src/pfa/lib/m/_exp.js';

/** A seeded sequence in [0, 1) (an LCG is enough to spread arguments). */
function uniform(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** The kernels over memory for `doubles` values at DATA_START, and a view of those values. */
function kernelsWith(doubles: number) {
  const k = instantiate(kernelModule()!, doubles * 8);
  return { k, view: new Float64Array(k.memory.buffer, DATA_START, doubles) };
}

describe('columnar kernels', () => {
  it('the committed binary is the kernel text compiled, the file as the build script writes it', async () => {
    const binary = await compileKernels();
    expect(Buffer.from(binary).toString('base64')).toBe(KERNELS_BASE64);
    expect(readFileSync(GENERATED, 'utf8')).toBe(generatedSource(binary));
  });

  it('writes constants as exact hexadecimal floats', () => {
    for (const x of [1, 0.5, 1 / 6, Math.LN2, -746, 2 ** -54, 2 ** 1023, 369.3299304675746]) {
      const [, sign, mantissa, exponent] = /^(-?)0x1\.([0-9a-f]{13})p([+-]\d+)$/.exec(hexFloat(x))!;
      const value = (1 + parseInt(mantissa!, 16) / 2 ** 52) * 2 ** Number(exponent);
      expect(sign ? -value : value).toBe(x);
    }
    expect(hexFloat(0)).toBe('0x0p+0');
  });

  it('exp agrees to the bit with the correctly rounded JavaScript exp, special values and rounding-boundary cases included', () => {
    const random = uniform(7);
    const special = [
      NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      2 ** -60,
      -(2 ** -60),
      2 ** -54,
      1e-300,
      1,
      -1,
      709,
      709.5,
      709.78,
      709.79,
      709.8,
      710,
      -706.9,
      -707,
      -707.5,
      -745,
      -745.2,
      -746,
      -750,
    ];
    const values = [
      ...special,
      ...special.map((x) => x / 3),
      ...Array.from({ length: 20000 }, () => (random() - 0.5) * 1400),
      ...Array.from({ length: 20000 }, () => (random() - 0.5) * 2),
    ];
    while (values.length % 4) values.push(0.25);
    // Each value in every lane of the four a step takes.
    for (const shift of [0, 1, 2, 3]) {
      const xs = [...values.slice(values.length - shift), ...values.slice(0, values.length - shift)];
      const { k, view } = kernelsWith(xs.length);
      view.set(xs);
      k.exp(DATA_START, xs.length);
      const wrong = xs.filter((x, i) => !Object.is(view[i], exp(x)));
      expect(wrong).toEqual([]);
    }
  });

  it('affine, logistic and softmax compute the per-record formulas in the same order', () => {
    const random = uniform(11);
    const n = 16,
      d = 7,
      units = 5;
    const { k, view } = kernelsWith(d * n + units * d + units + units * n);
    const x = Array.from({ length: d * n }, () => (random() - 0.5) * 6);
    const w = Array.from({ length: units * d }, () => (random() - 0.5) * 2);
    const b = Array.from({ length: units }, () => random() - 0.5);
    x[3] = NaN;
    x[d * n - 1] = -0;
    view.set([...x, ...w, ...b]);
    const [px, pw, pb, po] = [
      DATA_START,
      DATA_START + d * n * 8,
      DATA_START + (d * n + units * d) * 8,
      DATA_START + (d * n + units * d + units) * 8,
    ];
    const sums = (i: number) =>
      Array.from({ length: units }, (_, u) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += w[u * d + j]! * x[j * n + i]!;
        return s + b[u]!;
      });
    const out = (i: number) => Array.from({ length: units }, (_, u) => view[(po - DATA_START) / 8 + u * n + i]);
    k.affine(px, n, d, pw, pb, units, po);
    for (let i = 0; i < n; i++) expect(out(i)).toEqual(sums(i));
    k.softmax(po, n, units);
    for (let i = 0; i < n; i++) {
      const z = sums(i);
      const max = z.reduce((m, v) => Math.max(m, v), -Infinity);
      let total = 0;
      const e = z.map((v) => ((total += exp(v - max)), exp(v - max)));
      expect(out(i)).toEqual(e.map((v) => v / total));
    }
    k.affine(px, n, d, pw, pb, units, po);
    k.logistic(po, units * n);
    for (let i = 0; i < n; i++) expect(out(i)).toEqual(sums(i).map((v) => 1 / (1 + exp(-v))));
  });
});
