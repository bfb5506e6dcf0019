/**
 * The shape the XML reader notes while it reads (depths of Nodes and of other elements, Segments,
 * `x-` names) against the walk over the finished tree, on every document of the PMML corpus
 * (skipped with a message when ../shared/conformance/pmml/ is absent) and on generated ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseXml, type XmlElement } from '../../src/pmml/xml.js';
import { mayHaveExtensionName } from '../../src/pmml/lower/extensions.js';
import { shapeOf, walkShape, type XmlShape } from '../../src/pmml/xml-shape.js';

const MANIFEST = fileURLToPath(new URL('../../../shared/conformance/pmml/manifest.json', import.meta.url));
const present = existsSync(MANIFEST);
if (!present) console.warn(`PMML conformance corpus not found at ${MANIFEST}: skipping the shape comparison over it`);

/** A shape with its elements as their pointers, to compare and to read in a failure. */
function plain(s: XmlShape) {
  const at = (el: XmlElement | undefined) => el?.location.pointer;
  return {
    nodeDepth: s.nodeDepth,
    deepestNode: at(s.deepestNode),
    otherDepth: s.otherDepth,
    deepestOther: at(s.deepestOther),
    segmentations: s.segmentations.map((x) => [at(x.element), x.segments]),
    extended: s.extended,
  };
}

const noted = (text: string) => {
  const root = parseXml(text);
  return { noted: shapeOf(root), walked: walkShape(root) };
};

describe('the shape of a PMML tree', () => {
  it('is what the walk finds, for nested segments, deep Nodes and x- names', () => {
    const doc = `<PMML><MiningModel x-note="1"><Segmentation multipleModelMethod="sum">
      <Segment id="1"><True/><TreeModel><Node><True/><Node><True/><Node score="1"><True/></Node></Node></Node></TreeModel></Segment>
      <Segment id="2"><True/><MiningModel><Segmentation multipleModelMethod="x-weightedMedian"><Segment id="a"/><Segment id="b"/></Segmentation></MiningModel></Segment>
      <Extension><Segment id="not counted"/></Extension>
    </Segmentation></MiningModel></PMML>`;
    const { noted: n, walked: w } = noted(doc);
    expect(plain(n)).toEqual(plain(w));
    expect(plain(n)).toEqual({
      nodeDepth: 3,
      deepestNode: '/PMML/MiningModel/Segmentation/Segment/TreeModel/Node/Node/Node',
      otherDepth: 7,
      deepestOther: '/PMML/MiningModel/Segmentation/Segment[2]/MiningModel/Segmentation/Segment',
      segmentations: [
        ['/PMML/MiningModel/Segmentation', 2],
        ['/PMML/MiningModel/Segmentation/Segment[2]/MiningModel/Segmentation', 2],
      ],
      extended: true,
    });
    expect(noted('<PMML><Header/></PMML>').noted.extended).toBe(false);
  });

  it('finds an x- name however the text spells it, and tells a text without one by the text alone', () => {
    const spellings = [
      '<x-AnomalyDetectionModel/>',
      '<p:x-AnomalyDetectionModel xmlns:p="urn:p"/>',
      '<Header\tx-note="1"/>',
      '<Header\nX-note="1"/>',
      `<Segmentation multipleModelMethod='x-weightedMedian'/>`,
      '<Segmentation multipleModelMethod=" x-weightedSum"/>',
      '<Apply function="&#120;-erf"/>',
      '<Apply function="&#x58;-erf"/>',
    ];
    for (const inner of spellings) {
      const text = `<PMML><Header/>${inner}</PMML>`;
      expect(mayHaveExtensionName(text), inner).toBe(true);
      const { noted: n, walked: w } = noted(text);
      expect(plain(n), inner).toEqual(plain(w));
    }
    // Only the Apply with the character reference has an x- name once read; the text cannot tell.
    expect(noted('<PMML><Apply function="&#120;-erf"/></PMML>').walked.extended).toBe(true);
    const without = '<PMML><Header description="box-plot max-depth"/><Apply function="x"/><DataField name="ax-1"/></PMML>';
    expect(mayHaveExtensionName(without)).toBe(false);
    expect(plain(noted(without).noted)).toEqual(plain(noted(without).walked));
  });

  it.skipIf(!present)('is what the walk finds, for every document of the corpus', () => {
    const cases = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { cases: { model_file: string }[] }).cases;
    const files = [...new Set(cases.map((c) => c.model_file))];
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const { noted: n, walked: w } = noted(readFileSync(join(dirname(MANIFEST), file), 'utf8'));
      expect(plain(n), file).toEqual(plain(w));
    }
  });
});
