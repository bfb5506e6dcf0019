/**
 * The specialised backend: library calls whose model argument is a constant (a literal, or a cell
 * that nothing writes: `Checked.constantCells`) are compiled into kernels with the model's numbers
 * inlined — trees into nested `if`s or flat typed arrays, linear models and neural layers into
 * unrolled dot products, cluster centers into unrolled distances.
 *
 * A kernel gives exactly the generic implementation's results. Anything it was not built for — a
 * model that does not fit its shape, an input of another length, an operator it does not know —
 * makes it decline at compile time (the generic closure is used) or hand the call to the generic
 * implementation at run time, which then raises the same errors it always does.
 *
 * Which calls are kernels is read off the library function's `kernel` declaration for the
 * signature the call resolved to (see src/pfa/kernel/ir.ts), never off its name: trees and their
 * ensembles too, whose forest programs are recognised by src/pfa/kernel/recognise-tree.ts.
 */
import { declOf } from '../../kernel/recognise.js';
import { callKernel, type Specializer } from './call.js';
import { specializeKernel } from './kernel.js';
import { specializeTree } from './tree.js';

/**
 * Link functions (`m.link.*` over a double) keep their generic implementation but get a call site
 * of their own, so that V8 can inline the kernel they usually wrap (a logistic regression, a
 * boosted ensemble).
 */
const specializeLink: Specializer = ({ e, impl, site, ctx }) => {
  if (e.args.length !== 1 || site.paramTypes[0]!.kind !== 'double') return undefined;
  return callKernel(impl as (x: never) => unknown, [ctx.argument(e.args[0]!, site.paramTypes[0]!)]);
};

export const specialize: Specializer = (call) => {
  const decl = declOf(call.target);
  switch (decl?.kind) {
    case 'affine':
    case 'layers':
    case 'closest':
      return specializeKernel(call);
    case 'link':
      return specializeLink(call);
    case 'treeWalk':
    case 'ensemble':
      return specializeTree(call);
    // A softmax is a kernel only as a step of a program (the columnar plans); a tree test, only as
    // the test a walk is given; an addition and a rounding to float, only inside the function of a
    // float32 fold (recognise-tree.ts); a membership test, only in generated source (expressions.ts).
    case 'softmax':
    case 'treeTest':
    case 'add':
    case 'toFloat':
    case 'membership':
    case undefined:
      return undefined;
  }
};
