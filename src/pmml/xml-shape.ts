/**
 * What the lowering checks of a whole PMML tree before it reads any of it: how deep Nodes nest, how
 * deep other elements nest, how many Segments there are, and whether some element carries one of
 * JPMML's `x-` names (lower/extensions.ts). The reader notes these as it reads each element
 * (`ShapeNotes`), so that a large document is not walked once more for them: over the 40,000
 * elements of a 3 MB forest that walk took 7-11 ms of a first load. A tree made some other way is
 * walked (`walkShape`, the baseline the reader's notes are compared with).
 */
import { hasExtensionName, mayHaveExtensionName } from './lower/extensions.js';
import type { XmlElement } from './xml.js';

export interface XmlShape {
  /** The deepest nesting of Node elements (0 without any), and the first element at that depth. */
  readonly nodeDepth: number;
  readonly deepestNode: XmlElement | undefined;
  /** The deepest nesting of the other elements (the root is at 1), and the first element at that depth. */
  readonly otherDepth: number;
  readonly deepestOther: XmlElement | undefined;
  /** Each Segmentation with its number of Segment children, in document order. */
  readonly segmentations: readonly { readonly element: XmlElement; readonly segments: number }[];
  /** Whether some element has an `x-` name that normalizeExtensions may rewrite (hasExtensionName). */
  readonly extended: boolean;
}

/** How deep the root is among Nodes and among other elements. */
export const ROOT_NODES = 0;
export const ROOT_OTHERS = 1;

/** How deep an element named `name` is among Nodes, under a parent `nodes` deep. */
export const nodesUnder = (name: string, nodes: number): number => (name === 'Node' ? nodes + 1 : nodes);

/** How deep an element named `name` is among the other elements, under a parent `others` deep. */
export const othersUnder = (name: string, others: number): number => (name === 'Node' ? others : others + 1);

/** An XmlShape built element by element, in document order. */
export class ShapeNotes implements XmlShape {
  nodeDepth = 0;
  deepestNode: XmlElement | undefined = undefined;
  otherDepth = 0;
  deepestOther: XmlElement | undefined = undefined;
  readonly segmentations: { element: XmlElement; segments: number }[] = [];
  extended = false;
  /** The Segmentations by element, while their Segments are counted. */
  readonly #counts = new Map<XmlElement, { element: XmlElement; segments: number }>();
  /** False when the elements' text cannot hold an `x-` name, which no element is then asked for. */
  readonly #mayExtend: boolean;

  /**
   * `text`, when given, is the XML the elements are read from: when it cannot hold an `x-` name
   * (mayHaveExtensionName), no element is asked for one (10 ms of a 3 MB forest's first load).
   */
  constructor(text?: string) {
    this.#mayExtend = text === undefined || mayHaveExtensionName(text);
  }

  /** Notes `el` (its attributes read), at `nodes` and `others`, under `parent` (none for the root). */
  element(el: XmlElement, nodes: number, others: number, parent: XmlElement | undefined): void {
    if (nodes > this.nodeDepth) {
      this.nodeDepth = nodes;
      this.deepestNode = el;
    }
    if (others > this.otherDepth) {
      this.otherDepth = others;
      this.deepestOther = el;
    }
    if (el.name === 'Segmentation') {
      const entry = { element: el, segments: 0 };
      this.segmentations.push(entry);
      this.#counts.set(el, entry);
    } else if (el.name === 'Segment' && parent?.name === 'Segmentation') this.#counts.get(parent)!.segments++;
    if (this.#mayExtend && !this.extended && hasExtensionName(el)) this.extended = true;
  }
}

/** The shapes the reader noted, by the root of the tree it read. */
const noted = new WeakMap<XmlElement, XmlShape>();

export function noteShape(root: XmlElement, shape: XmlShape): void {
  noted.set(root, shape);
}

/** The tree's shape: as its reader noted it, or by a walk over every element (iterative: trees nest deep). */
export function shapeOf(root: XmlElement): XmlShape {
  return noted.get(root) ?? walkShape(root);
}

/** The shape by a walk in document order, without the reader's notes: the baseline. */
export function walkShape(root: XmlElement): XmlShape {
  const notes = new ShapeNotes();
  // Stacks side by side rather than one of tuples: no array made per element.
  const stack: XmlElement[] = [root];
  const nodeDepths: number[] = [ROOT_NODES];
  const otherDepths: number[] = [ROOT_OTHERS];
  const parents: (XmlElement | undefined)[] = [undefined];
  while (stack.length) {
    const el = stack.pop()!;
    const nodes = nodeDepths.pop()!;
    const others = otherDepths.pop()!;
    notes.element(el, nodes, others, parents.pop());
    for (let i = el.children.length - 1; i >= 0; i--) {
      const c = el.children[i]!;
      stack.push(c);
      nodeDepths.push(nodesUnder(c.name, nodes));
      otherDepths.push(othersUnder(c.name, others));
      parents.push(el);
    }
  }
  return notes;
}
