/**
 * Tree walks and ensembles over constant trees (whatever declares a `treeWalk` or an `ensemble`
 * kernel, with the test a `treeTest` declares): the call's forest program (kernel/recognise-tree.ts)
 * lowered to generated JavaScript, so results are the generic model.tree walk's, a.map's, a.sum's
 * and a.mean's. A tree with a node the kernels do not handle keeps the generic closure, which
 * raises its errors exactly as before.
 *
 * Which lowering: measured on the benchmark, one compare tree is fastest as nested `if`s with the
 * thresholds inlined (up to MAX_INLINE_SPLITS splits), but an ensemble is faster as a lockstep walk
 * over flat typed arrays, which is also far cheaper to build, keeping the first score after
 * loading fast. Missing-aware trees are always walked flat.
 */
import { countSplits, type ForestProgram } from '../../kernel/ir.js';
import { lowerMissingTreeFlat } from '../../kernel/lower-missing-tree-flat.js';
import { lowerTreeFlat } from '../../kernel/lower-tree-flat.js';
import { lowerTreeIfs } from '../../kernel/lower-tree-ifs.js';
import { recogniseTree } from '../../kernel/recognise-tree.js';
import type { Code } from '../runtime.js';
import { callDatumKernel, type SpecializeCall } from './call.js';

/**
 * A single tree is nested `if`s up to this many splits, flat arrays beyond. Measured on a full tree
 * of depth 14 (16,383 splits): nested ifs score it 2.4 times faster than the flat walk, whose
 * steps wait on each other's loads, and its first score after loading takes 0.65 ms.
 */
export const MAX_INLINE_SPLITS = 32768;

/** The generated kernel of a forest program: the datum record in, the reduced leaves out. */
function lowerForest(program: ForestProgram): (datum: unknown) => unknown {
  if (program.kind === 'missing') return lowerMissingTreeFlat(program);
  const single = program.reduce === 'one' && countSplits(program.trees[0]!) <= MAX_INLINE_SPLITS;
  return single ? lowerTreeIfs(program) : lowerTreeFlat(program);
}

export function specializeTree(call: SpecializeCall): Code | undefined {
  const found = recogniseTree(call);
  return found && callDatumKernel(lowerForest(found.program), found.datum, found.datumType, call.ctx);
}
