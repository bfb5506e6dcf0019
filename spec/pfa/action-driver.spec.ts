/**
 * The action an engine runs when its document's action is one kernel of the input (a tree walk over
 * a constant tree): called without a frame, it must behave as the general driver does with the same
 * kernel behind a `let` (which keeps the kernel but needs the frame): the same answers, the same
 * input check, the same errors, `begin` before the first action, and the action counters.
 */
import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../src/index.js';
import { thrown } from '../helpers/pfa.js';
import { datumType, fullTree, treeNodeType, treeWalkDocument } from '../helpers/trees.js';

const FIELDS = ['a', 'b'];
const TREE = fullTree(
  3,
  (at) => ({ field: FIELDS[at.level % 2]!, operator: at.index % 2 ? '<' : '>=', value: at.index / 4 }),
  (at) => ({ string: `leaf ${at.path}` }),
);

/** The walk as the whole action, and the same walk behind a `let`. */
function pair(extra: object = {}, options: object = {}) {
  const doc = treeWalkDocument(datumType(FIELDS), treeNodeType(FIELDS), TREE, extra) as Record<string, unknown>;
  const behindLet = { ...doc, action: [{ let: { r: doc.action } }, 'r'] };
  return { direct: loadPfa(doc, options), general: loadPfa(behindLet, options) };
}

const INPUTS = Array.from({ length: 40 }, (_, i) => ({ a: (i % 7) / 2 - 0.5, b: (i % 5) / 2 - 0.25 }));

describe('an action that is one kernel of its input', () => {
  it('gives what the general driver gives, over inputs reaching every leaf', () => {
    const { direct, general } = pair();
    const answers = INPUTS.map((x) => direct.action(x));
    expect(answers).toEqual(INPUTS.map((x) => general.action(x)));
    expect(new Set(answers).size).toBeGreaterThan(4);
  });

  it('checks its input as the general driver does', () => {
    const { direct, general } = pair();
    for (const bad of [{ a: 1 }, { a: 'x', b: 1 }, null, 3]) {
      const [d, g] = [thrown(() => direct.action(bad)), thrown(() => general.action(bad))];
      expect(d.code).toBe('input-mismatch');
      expect([d.kind, d.code]).toEqual([g.kind, g.code]);
    }
  });

  it('raises what the general driver raises for an unchecked input the kernel cannot read', () => {
    const { direct, general } = pair({}, { validateInput: false });
    const [d, g] = [thrown(() => direct.action(null)), thrown(() => general.action(null))];
    expect(d.constructor).toBe(g.constructor);
    expect(String(d)).toBe(String(g));
    // Then it scores on.
    expect(direct.action(INPUTS[0])).toBe(general.action(INPUTS[0]));
  });

  it('runs begin first and counts its actions for a section that reads them', () => {
    const extra = {
      cells: {
        tree: { type: treeNodeType(FIELDS), init: TREE },
        began: { type: 'int', init: 0 },
        counted: { type: { type: 'array', items: 'long' }, init: [] },
      },
      begin: { cell: 'began', to: { '+': [{ cell: 'began' }, 1] } },
      end: { cell: 'counted', to: { new: ['actionsStarted', 'actionsFinished'], type: { type: 'array', items: 'long' } } },
    };
    const { direct, general } = pair(extra, { validateInput: false });
    for (const engine of [direct, general]) {
      engine.action(INPUTS[0]);
      expect(() => engine.action(null)).toThrow();
      engine.action(INPUTS[1]);
      engine.end();
    }
    expect(direct.snapshot().cells).toEqual(general.snapshot().cells);
    expect(direct.snapshot().cells).toMatchObject({ began: 1, counted: [3, 2] });
  });
});
