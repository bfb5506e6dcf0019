/**
 * normalizeExtensions copies only the elements it rewrites and the elements above them;
 * normalizeEverywhere, which copies every element, is its baseline: both must read every document
 * alike, the synthetic ones here and the conformance corpus (skipped with a message when
 * ../shared/conformance/pmml/ is absent).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeEverywhere, normalizeExtensions } from '../../../src/pmml/lower/extensions.js';
import { isKnownFunction } from '../../../src/pmml/lower/functions.js';
import { parseXml, type XmlElement } from '../../../src/pmml/xml.js';

const MANIFEST = fileURLToPath(new URL('../../../../shared/conformance/pmml/manifest.json', import.meta.url));
const present = existsSync(MANIFEST);
if (!present) console.warn(`PMML conformance corpus not found at ${MANIFEST}: skipping the comparison over it`);

const doc = (segmentation: string, fn: string, model = 'TreeModel') => `<PMML version="4.3"><Header/>
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/></DataDictionary>
<TransformationDictionary>
  <DefineFunction name="x-mine" dataType="double"><ParameterField name="p"/><FieldRef field="p"/></DefineFunction>
  <DerivedField name="e" dataType="double"><Apply function="${fn}"><FieldRef field="x"/></Apply></DerivedField>
  <DerivedField name="f" dataType="double"><Apply function="x-mine"><FieldRef field="x"/></Apply></DerivedField>
</TransformationDictionary>
<MiningModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema>
  <Segmentation ${segmentation}><Segment id="1"><True/><${model} functionName="regression"/></Segment></Segmentation>
</MiningModel></PMML>`;

/** Every element of a tree, in pre-order. */
function elements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const stack = [root];
  while (stack.length) {
    const el = stack.pop()!;
    out.push(el);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }
  return out;
}

/** The trees as plain data: names, attributes (whatever their prototype), text and locations. */
const plain = (el: XmlElement): unknown => JSON.parse(JSON.stringify(el));

describe('normalizeExtensions', () => {
  it('gives the document back as it is when no name starts with x-', () => {
    const root = parseXml(doc('multipleModelMethod="weightedSum"', 'expm1'));
    const normalized = normalizeExtensions(root, isKnownFunction);
    expect(normalized).toBe(root);
    expect(plain(normalized)).toEqual(plain(normalizeEverywhere(root, isKnownFunction)));
  });

  it('rewrites the x- names as the baseline does, and copies only the changed elements and their ancestors', () => {
    const root = parseXml(doc('multipleModelMethod="x-weightedMedian" x-missingPredictionTreatment="returnMissing"', 'x-expm1'));
    const normalized = normalizeExtensions(root, isKnownFunction);
    expect(plain(normalized)).toEqual(plain(normalizeEverywhere(root, isKnownFunction)));
    const seg = elements(normalized).find((e) => e.name === 'Segmentation')!;
    expect(seg.attrs).toEqual({ multipleModelMethod: 'weightedMedian', missingPredictionTreatment: 'returnMissing' });
    const applies = elements(normalized).filter((e) => e.name === 'Apply');
    // The document's own x-mine keeps its name; the library's x-expm1 is read as expm1.
    expect(applies.map((a) => a.attrs.function)).toEqual(['expm1', 'x-mine']);
    const before = new Set(elements(root));
    const copied = elements(normalized)
      .filter((e) => !before.has(e))
      .map((e) => e.name);
    expect(copied).toEqual(['PMML', 'TransformationDictionary', 'DerivedField', 'Apply', 'MiningModel', 'Segmentation']);
  });

  it('reads an x- element name of PMML 4.4 and keeps unknown x- names', () => {
    const root = parseXml(doc('multipleModelMethod="x-whatever" x-other="1"', 'x-nosuchfunction', 'x-AnomalyDetectionModel'));
    const normalized = normalizeExtensions(root, isKnownFunction);
    expect(plain(normalized)).toEqual(plain(normalizeEverywhere(root, isKnownFunction)));
    const names = elements(normalized).map((e) => e.name);
    expect(names).toContain('AnomalyDetectionModel');
    const seg = elements(normalized).find((e) => e.name === 'Segmentation')!;
    expect(seg.attrs).toEqual({ multipleModelMethod: 'x-whatever', 'x-other': '1' });
    expect(elements(normalized).find((e) => e.name === 'Apply')!.attrs.function).toBe('x-nosuchfunction');
  });

  it.skipIf(!present)('reads every document of the PMML corpus as the baseline does', () => {
    const base = dirname(MANIFEST);
    const cases = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { cases: { id: string; model_file: string }[] }).cases;
    const differing: string[] = [];
    for (const c of cases) {
      const root = parseXml(readFileSync(join(base, c.model_file), 'utf8'));
      if (JSON.stringify(normalizeExtensions(root, isKnownFunction)) !== JSON.stringify(normalizeEverywhere(root, isKnownFunction)))
        differing.push(c.id);
    }
    expect(differing).toEqual([]);
  });
});
