/**
 * The JS limit: for each model, the source a perfect compiler would emit — nested `if`s with the
 * thresholds inlined, dot products unrolled, one small function per tree (V8 only optimises
 * functions of bounded size, so deep trees are cut into subtrees of depth SPLIT). It scores the same
 * runtime values as the engine and must give the same results.
 */
import { exp } from '../src/pfa/lib/m/_exp.js';
import type { ModelSpec, TreeNode } from './models.js';

const SPLIT = 8;

/** A number as a JS literal (String gives the shortest text that reads back exactly). */
const lit = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

/** Source of the functions scoring `root`; returns the name of the entry function. */
function treeFunctions(root: TreeNode, prefix: string, out: string[]): string {
  let count = 0;
  const fn = (node: TreeNode): string => {
    const name = `${prefix}_${count++}`;
    const body = (n: TreeNode | number, depth: number): string => {
      if (typeof n === 'number') return `return ${lit(n)};`;
      if (depth === SPLIT) return `return ${fn(n)}(x);`;
      return `if (x.f${n.feature} < ${lit(n.threshold)}) { ${body(n.pass, depth + 1)} } else { ${body(n.fail, depth + 1)} }`;
    };
    out.push(`function ${name}(x) { ${body(node, 0)} }`);
    return name;
  };
  return fn(root);
}

function dot(row: readonly number[], x: string): string {
  return `let s = 0; ${row.map((c, j) => `s += ${lit(c)} * ${x}[${j}];`).join(' ')}`;
}

const LOGIT = 'const logit = (v) => 1 / (1 + exp(-v));';

/** Source of a module body that returns the scoring function. */
export function handJsSource(spec: ModelSpec): string {
  switch (spec.kind) {
    case 'tree': {
      const fns: string[] = [];
      const entry = treeFunctions(spec.tree, 't', fns);
      return `${fns.join('\n')}\nreturn ${entry};`;
    }
    case 'forest':
    case 'gbm': {
      const fns: string[] = [];
      const entries = spec.trees.map((t, i) => treeFunctions(t, `t${i}`, fns));
      const sum = `let s = 0; ${entries.map((e) => `s += ${e}(x);`).join(' ')}`;
      const result = spec.kind === 'forest' ? `s / ${spec.trees.length}` : `1 / (1 + exp(-(${lit(spec.base)} + s)))`;
      return `${fns.join('\n')}\nreturn function (x) { ${sum} return ${result}; };`;
    }
    case 'linear': {
      const rows = spec.coeff.map((row, i) => `function r${i}(x) { ${dot(row, 'x')} return s + ${lit(spec.constant[i]!)}; }`);
      if (spec.link === 'none') return `${rows[0]}\nreturn r0;`;
      if (spec.link === 'logit') return `${rows[0]}\n${LOGIT}\nreturn (x) => logit(r0(x));`;
      const softmax = `function softmax(z) { let max = -Infinity; for (const v of z) max = Math.max(max, v); let sum = 0;
        const out = z.map((v) => { const e = exp(v - max); sum += e; return e; }); for (let i = 0; i < out.length; i++) out[i] /= sum; return out; }`;
      return `${rows.join('\n')}\n${softmax}\nreturn (x) => softmax([${rows.map((_, i) => `r${i}(x)`).join(', ')}]);`;
    }
    case 'nn': {
      const last = spec.layers.length - 1;
      const layers = spec.layers.map((layer, l) => {
        const units = layer.weights.map(
          (row, i) => `{ ${dot(row, 'x')} const h = s + ${lit(layer.bias[i]!)}; out[${i}] = ${l === last ? 'h' : 'logit(h)'}; }`,
        );
        return `function l${l}(x) { const out = new Array(${layer.weights.length}); ${units.join(' ')} return out; }`;
      });
      const chain = spec.layers.reduce((acc, _, l) => `l${l}(${acc})`, 'x');
      return `${LOGIT}\n${layers.join('\n')}\nreturn (x) => ${chain};`;
    }
    case 'kmeans': {
      const dist = spec.centers.map(
        (c, i) => `function d${i}(x) { let s = 0, d; ${c.map((v, j) => `d = x[${j}] - ${lit(v)}; s += d * d;`).join(' ')} return s; }`,
      );
      const pick = spec.centers
        .slice(1)
        .map((_, i) => `{ const d = d${i + 1}(x); if (d < bd) { bd = d; best = ${i + 1}; } }`)
        .join(' ');
      return `${dist.join('\n')}\nconst ids = ${JSON.stringify(spec.centers.map((_, i) => `c${i}`))};\nreturn (x) => { let best = 0, bd = d0(x); ${pick} return ids[best]; };`;
    }
  }
}

/** The scoring function; `exp` is the engine's correctly rounded exponential, so results agree to the bit. */
export function handJs(spec: ModelSpec): (x: unknown) => unknown {
  return new Function('exp', handJsSource(spec))(exp) as (x: unknown) => unknown;
}
