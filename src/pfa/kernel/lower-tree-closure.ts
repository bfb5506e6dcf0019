/**
 * A forest program as a plain closure: the baseline the generated lowerings (nested ifs, the flat
 * walks) must agree with. Each tree is walked from its root over the typed splits, one test at a
 * time, with model.tree's own comparison of numbers; leaves are converted on the way out and
 * reduced in tree order, as the generic a.map, a.sum, a.mean and a float32 a.fold collect them.
 */
import { numeric as compareNumbers } from '../lib/model/tree.js';
import { isLeaf, type CompareSplit, type ForestProgram, type MissingSplit, type TreeLeaf } from './ir.js';

type Datum = Record<string, unknown>;

/** The branch a compare split sends the datum to. */
function compareNext(split: CompareSplit, datum: Datum): CompareSplit | TreeLeaf {
  const { op, value } = split.test;
  return compareNumbers(op, datum[split.field] as number, value) ? split.pass : split.fail;
}

/**
 * The branch a missing-aware split sends the datum to: a null field where `ifMissing` says, a
 * present one by its test (set membership by Avro equality, which is `===` on strings and doubles).
 */
function missingNext(split: MissingSplit, datum: Datum): MissingSplit | TreeLeaf {
  const x = datum[split.field];
  if (x === null) return split[split.ifMissing];
  const { test } = split;
  const holds =
    test.kind === 'compare' ? compareNumbers(test.op, x as number, test.value) : test.set.some((item) => item === x) !== test.negate;
  return holds ? split.pass : split.fail;
}

/** A walk from `root` to its leaf, taking the branch `next` names at each split. */
function walkTo<S extends CompareSplit | MissingSplit>(root: S, datum: Datum, next: (split: S, datum: Datum) => S | TreeLeaf): unknown {
  let b: S | TreeLeaf = root;
  while (!isLeaf(b)) b = next(b, datum);
  return b.leaf;
}

/** The closure of `program`: the datum record in, the reduced (converted) leaves out. */
export function lowerTreeClosure(program: ForestProgram): (datum: unknown) => unknown {
  const { convert, reduce } = program;
  const score =
    program.kind === 'compare'
      ? program.trees.map((root) => (d: Datum) => walkTo(root, d, compareNext))
      : program.trees.map((root) => (d: Datum) => walkTo(root, d, missingNext));
  const leafOf = (tree: (d: Datum) => unknown, d: Datum): unknown => (convert ? convert(tree(d)) : tree(d));
  return (datum) => {
    const d = datum as Datum;
    switch (reduce) {
      case 'one':
        return leafOf(score[0]!, d);
      case 'array':
        return score.map((tree) => leafOf(tree, d));
      case 'sum':
      case 'mean': {
        let s = 0;
        for (const tree of score) s += leafOf(tree, d) as number;
        return reduce === 'sum' ? s : s / score.length;
      }
      case 'floatSum': {
        let s = program.start ?? 0;
        for (const tree of score) s = Math.fround(s + (leafOf(tree, d) as number));
        return s;
      }
    }
  };
}
