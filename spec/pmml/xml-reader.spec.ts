/**
 * The XML reader of the load path (xml-reader.ts) against the baseline it replaced
 * (xml-baseline.ts, fast-xml-parser): the same element trees, paths, lines and columns for every
 * document of the PMML corpus (skipped with a message when ../shared/conformance/pmml/ is absent)
 * and for generated documents, and the same verdict on malformed ones. Where the reader follows XML
 * and the baseline did not (character references, attribute-value normalisation, undeclared
 * entities, `<` in attribute values, a second root), the reader's answer is checked on its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PfaSyntaxError } from '../../src/errors.js';
import { loadPmml } from '../../src/index.js';
import { parseXml, type XmlElement } from '../../src/pmml/xml.js';
import { parseXmlBaseline } from '../helpers/xml-baseline.js';

const MANIFEST = fileURLToPath(new URL('../../../shared/conformance/pmml/manifest.json', import.meta.url));
const present = existsSync(MANIFEST);
if (!present) console.warn(`PMML conformance corpus not found at ${MANIFEST}: skipping the reader/baseline comparison over it`);

/** The first place two trees differ (path, then what), or undefined when they are the same. */
function difference(a: XmlElement, b: XmlElement): string | undefined {
  const stack: [XmlElement, XmlElement][] = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    const at = x.location.pointer;
    if (x.name !== y.name) return `${at}: name ${x.name} / ${y.name}`;
    if (JSON.stringify(x.location) !== JSON.stringify(y.location))
      return `${at}: location ${JSON.stringify(x.location)} / ${JSON.stringify(y.location)}`;
    if (JSON.stringify(x.attrs) !== JSON.stringify(y.attrs))
      return `${at}: attributes ${JSON.stringify(x.attrs)} / ${JSON.stringify(y.attrs)}`;
    if (x.text !== y.text) return `${at}: text ${JSON.stringify(x.text)} / ${JSON.stringify(y.text)}`;
    if (x.children.length !== y.children.length) return `${at}: ${x.children.length} / ${y.children.length} children`;
    for (const [i, c] of x.children.entries()) stack.push([c, y.children[i]!]);
  }
  return undefined;
}

function failure(read: () => unknown): { code: unknown; line?: number; column?: number } | undefined {
  try {
    read();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(PfaSyntaxError);
    const err = e as PfaSyntaxError;
    return { code: err.code, line: err.location?.line, column: err.location?.column };
  }
}

describe.skipIf(!present)('the XML reader over the PMML corpus', () => {
  it('reads every document into the tree the baseline reads', () => {
    const base = dirname(MANIFEST);
    const cases = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { cases: { id: string; model_file: string }[] }).cases;
    expect(cases.length).toBeGreaterThan(100);
    const differences: string[] = [];
    for (const c of cases) {
      const text = readFileSync(join(base, c.model_file), 'utf8');
      const d = difference(parseXml(text), parseXmlBaseline(text));
      if (d !== undefined) differences.push(`${c.id} ${d}`);
    }
    expect(differences).toEqual([]);
  });
});

/** Generated documents: names with and without prefixes, escaped values, text, comments, CDATA and line breaks. */
const name = fc.constantFrom('Node', 'SimplePredicate', 'Array', 'row', 'p:Value', 'x-Ext', 'a.b', '_c');
const attrName = fc.constantFrom('value', 'field', 'p:score', 'id', 'x-missingThreshold', 'data-1');
const escaped = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const attrValue = fc.string({ unit: fc.constantFrom('a', '1', ' ', '&', '<', '>', '"', "'", 'é', '😀', '.'), maxLength: 8 });
const textPiece = fc.oneof(
  fc.string({ unit: fc.constantFrom('x', '2', ' ', '\n', '\t', '&', '<', '>', 'é'), maxLength: 6 }).map(escaped),
  fc.constantFrom('<!-- a <b> -->', '<![CDATA[<c>&amp;]]>', '<?pi x?>', '\n  '),
);
interface Gen {
  name: string;
  attrs: [string, string][];
  body: (Gen | string)[];
  spaced: boolean;
}
const element: fc.Arbitrary<Gen> = fc.letrec<{ el: Gen }>((tie) => ({
  el: fc.record({
    name,
    attrs: fc.uniqueArray(fc.tuple(attrName, attrValue), { maxLength: 3, selector: ([k]) => k.replace(/^p:/, '') }),
    body: fc.array(fc.oneof({ arbitrary: textPiece, weight: 2 }, { arbitrary: tie('el'), weight: 1 }), {
      maxLength: 4,
      depthIdentifier: 'el',
    }),
    spaced: fc.boolean(),
  }),
})).el;
function write(g: Gen): string {
  const open = `<${g.name}${g.attrs.map(([k, v]) => `${g.spaced ? '\n   ' : ' '}${k}${g.spaced ? ' = ' : '='}"${escaped(v)}"`).join('')}`;
  return g.body.length === 0
    ? `${open}${g.spaced ? ' ' : ''}/>`
    : `${open}>${g.body.map((b) => (typeof b === 'string' ? b : write(b))).join('')}</${g.name}${g.spaced ? ' ' : ''}>`;
}
const documentText = fc
  .tuple(fc.array(element, { maxLength: 5 }), fc.boolean(), fc.constantFrom('', '\n', '<!-- c -->\n'))
  .map(
    ([children, declaration, lead]) =>
      `${declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}${lead}<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">\n${children.map(write).join('\n')}\n</PMML>\n`,
  );

describe('the XML reader and the baseline on generated documents', () => {
  it('read the same tree', () => {
    fc.assert(
      fc.property(documentText, (text) => {
        expect(difference(parseXml(text), parseXmlBaseline(text))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('both refuse a document cut short or with one character dropped', () => {
    fc.assert(
      fc.property(documentText, fc.nat(), fc.boolean(), (text, at, cut) => {
        const k = at % text.length;
        const broken = cut ? text.slice(0, k) : text.slice(0, k) + text.slice(k + 1);
        const ours = failure(() => parseXml(broken));
        const theirs = failure(() => parseXmlBaseline(broken));
        // The reader is stricter than the baseline (see below), never more lenient.
        if (ours === undefined) expect(theirs).toBeUndefined();
        if (ours === undefined) expect(difference(parseXml(broken), parseXmlBaseline(broken))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('the XML reader', () => {
  it('gives elements the line and column of their start tag, counting CR LF line ends once', () => {
    const root = parseXml('<?xml version="1.0"?>\r\n<PMML>\r\n\t<Header\r\n copyright="x"/>\r\n  <a/><b/><a/>\r\n</PMML>');
    expect(root.location).toEqual({ pointer: '/PMML', line: 2, column: 1 });
    expect(root.children.map((c) => c.location)).toEqual([
      { pointer: '/PMML/Header', line: 3, column: 2 },
      { pointer: '/PMML/a', line: 5, column: 3 },
      { pointer: '/PMML/b', line: 5, column: 7 },
      { pointer: '/PMML/a[2]', line: 5, column: 11 },
    ]);
    expect(root.text).toBe('\n\t\n  \n');
  });

  it('locates an element whenever asked, deepest first or root first, as the baseline does', () => {
    // Locations are made on demand from the parent's: asking a leaf first makes its ancestors'.
    const text = '<PMML>\n<N>\n <N a="1"><M/>\n  <N>\n<N/></N></N><N/></N>\n</PMML>';
    const leafFirst = parseXml(text);
    const all = (root: XmlElement): XmlElement[] => {
      const out: XmlElement[] = [];
      const stack = [root];
      while (stack.length) {
        const el = stack.pop()!;
        out.push(el);
        stack.push(...el.children);
      }
      return out;
    };
    const deepest = leafFirst.children[0]!.children[0]!.children[1]!.children[0]!;
    expect(deepest.location).toEqual({ pointer: '/PMML/N/N/N/N', line: 5, column: 1 });
    expect(difference(leafFirst, parseXmlBaseline(text))).toBeUndefined();
    const rootFirst = parseXml(text);
    expect(all(rootFirst).map((e) => e.location)).toEqual(all(parseXmlBaseline(text)).map((e) => e.location));
  });

  it('serialises an element as the plain data XmlElement describes, location included', () => {
    const text = '<PMML version="4.4">\n  <Header copyright="c">x</Header>\n</PMML>';
    expect(JSON.parse(JSON.stringify(parseXml(text)))).toEqual(JSON.parse(JSON.stringify(parseXmlBaseline(text))));
    expect(JSON.parse(JSON.stringify(parseXml(text).children[0]))).toEqual({
      name: 'Header',
      attrs: { copyright: 'c' },
      children: [],
      text: 'x',
      location: { pointer: '/PMML/Header', line: 2, column: 3 },
    });
  });

  it('numbers repeated names in paths, whatever comes between them', () => {
    const root = parseXml('<PMML><N/><N/><M/><N><N/><M/><N/></N></PMML>');
    expect(root.children.map((c) => c.location.pointer)).toEqual(['/PMML/N', '/PMML/N[2]', '/PMML/M', '/PMML/N[3]']);
    expect(root.children[3]!.children.map((c) => c.location.pointer)).toEqual(['/PMML/N[3]/N', '/PMML/N[3]/M', '/PMML/N[3]/N[2]']);
  });

  it('follows XML where the baseline did not: references, attribute spaces, undeclared entities', () => {
    const root = parseXml('<PMML a="&#65;&#x1F600;&lt;" b="x\ty\r\nz" c="&#10;"><v>&#233;&amp;&#x3C;</v></PMML>');
    expect(root.attrs).toEqual({ a: 'A😀<', b: 'x y z', c: '\n' });
    expect(root.children[0]!.text).toBe('é&<');
    expect(failure(() => parseXml('<PMML>&nbsp;</PMML>'))).toEqual({ code: 'xml-syntax', line: 1, column: 7 });
    expect(failure(() => parseXml('<PMML a="&#0;"/>'))).toMatchObject({ code: 'xml-syntax' });
    expect(failure(() => parseXml('<PMML>\n a & b</PMML>'))).toEqual({ code: 'xml-syntax', line: 2, column: 4 });
    expect(failure(() => parseXml('<PMML a="<"/>'))).toMatchObject({ code: 'xml-syntax' });
    expect(failure(() => parseXml('<PMML/><PMML/>'))).toEqual({ code: 'xml-syntax', line: 1, column: 8 });
    expect(failure(() => parseXml('<PMML/>\n<?xml version="1.0"?>'))).toEqual({ code: 'xml-syntax', line: 2, column: 1 });
  });

  it('reports malformed markup where it is', () => {
    const cases: [string, number, number][] = [
      ['<PMML>\n  <Header>\n</PMML>', 3, 1],
      ['<PMML>\n  <Header a="1" a="2"/>\n</PMML>', 2, 17],
      ['<PMML>\n  <Header a=1/>\n</PMML>', 2, 13],
      ['<PMML>\n  <Header a="1"b="2"/>\n</PMML>', 2, 16],
      ['<PMML>\n  <1a/>\n</PMML>', 2, 4],
      ['<PMML>\n  <Header a="1"', 2, 3],
      ['<PMML>\n  <!-- open', 2, 3],
      ['<PMML>\n  </Header>\n</PMML>', 2, 3],
      ['<PMML>\n  <Header>\n', 2, 3],
      ['junk<PMML/>', 1, 1],
      ['', 1, 1],
    ];
    for (const [text, line, column] of cases)
      expect(
        failure(() => parseXml(text)),
        text,
      ).toEqual({ code: 'xml-syntax', line, column });
  });

  it('keeps an attribute named __proto__ as an attribute', () => {
    const root = parseXml('<PMML __proto__="x" b="y"/>');
    expect(Object.hasOwn(root.attrs, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(root.attrs, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(root.attrs)).toBe(Object.prototype);
  });

  it('refuses a DOCTYPE where it stands, and one only inside a comment is a comment', () => {
    expect(failure(() => parseXml('<?xml version="1.0"?>\n<!DOCTYPE PMML [<!ENTITY a "b">]><PMML/>'))).toEqual({
      code: 'xml-doctype',
      line: 2,
      column: 1,
    });
    expect(parseXml('<PMML><!-- <!DOCTYPE x> --></PMML>').children).toEqual([]);
  });
});

describe('what a loaded model keeps of its text', () => {
  it('holds no string cut from the document: the text is collected once the caller drops it', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const iris = readFileSync(fileURLToPath(new URL('../../examples/iris-tree.pmml', import.meta.url)), 'utf8');
    // 16 MB of comment: a model that kept a view into its text would keep all of it.
    const load = () => loadPmml(iris.replace('<PMML', `<!--${'x'.repeat(16 << 20)}-->\n<PMML`));
    const before = heap();
    const model = load();
    const held = heap() - before;
    expect(model.score({ 'sepal length': 5, 'sepal width': 3, 'petal length': 1.4, 'petal width': 0.2 })).toMatchObject({
      species: 'setosa',
    });
    expect(held).toBeLessThan(4 << 20);
  });
});
