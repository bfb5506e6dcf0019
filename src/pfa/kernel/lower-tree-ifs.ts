/**
 * One compare tree as generated JavaScript: nested `if`s with the thresholds inlined, each
 * comparison a field read straight from the datum. Measured on the benchmark, one tree is fastest
 * this way (up to compile/specialize/tree.ts's MAX_INLINE_SPLITS); a forest is not
 * (lower-tree-flat.ts).
 */
import { code, compileKernel, element, join, property, Scope, type Code, type Literal, type Name } from '../../codegen/index.js';
import { isLeaf, type CompareBranch, type CompareForest, type CompareSplit, type Comparison } from './ir.js';

/** Depth at which nested `if`s continue in a new function, so that each stays small enough to optimise. */
const INLINE_DEPTH = 8;

/** Operators as code: the only text of a comparison that is not a number or a field read. */
export const JS_COMPARISONS: Readonly<Record<Comparison, Code>> = {
  '<': code`<`,
  '<=': code`<=`,
  '>': code`>`,
  '>=': code`>=`,
  '==': code`==`,
  '!=': code`!=`,
};

const isLiteral = (v: unknown): v is Literal => v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** The kernel of a forest of one compare tree (`reduce: 'one'`): the datum in, the converted leaf out. */
export function lowerTreeIfs(program: CompareForest): (datum: unknown) => unknown {
  const [root] = program.trees;
  if (program.reduce !== 'one' || !root || program.trees.length !== 1) throw new Error('nested ifs are the lowering of a single tree');
  const { convert } = program;
  const scope = new Scope();
  // Leaves that are not literals (records, arrays, maps, bytes) are read from this array; it is
  // filled while the code is built, before the kernel is compiled.
  const constants: unknown[] = [];
  const K = scope.bind('K', constants);
  const d = scope.name('d');
  const leaf = (v: unknown): Code => (isLiteral(v) ? code`${v}` : element(K, constants.push(v) - 1));
  const helpers: Code[] = [];
  const fn = (node: CompareSplit): Name => {
    const name = scope.name('t');
    const index = helpers.push(code``) - 1;
    const body = (b: CompareBranch, depth: number): Code => {
      if (isLeaf(b)) return code`return ${leaf(convert ? convert(b.leaf) : b.leaf)};`;
      if (depth === INLINE_DEPTH) return code`return ${fn(b)}(${d});`;
      const { op, value } = b.test;
      return code`if (${property(d, b.field)} ${JS_COMPARISONS[op]} ${value}) { ${body(b.pass, depth + 1)} } else { ${body(b.fail, depth + 1)} }`;
    };
    helpers[index] = code`function ${name}(${d}) { ${body(node, 0)} }`;
    return name;
  };
  const entry = fn(root);
  return compileKernel({ scope, params: [d], prelude: join(helpers, code`\n`), body: code`return ${entry}(${d});` });
}
