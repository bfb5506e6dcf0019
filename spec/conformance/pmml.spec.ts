/**
 * The shared PMML corpus under vitest: every case must pass or stand in conformance/pmml-skips.json
 * with its reason. Skipped with a message when ../shared/conformance/pmml/ is absent.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPmmlSuite } from '../../src/conformance/pmml-suite.js';
import { loadPmmlSkips } from '../../src/cli/conformance.js';

const MANIFEST = fileURLToPath(new URL('../../../shared/conformance/pmml/manifest.json', import.meta.url));
const SKIPS = fileURLToPath(new URL('../../conformance/pmml-skips.json', import.meta.url));
const present = existsSync(MANIFEST);
if (!present) console.warn(`PMML conformance corpus not found at ${MANIFEST}: skipping the PMML conformance run`);

describe.skipIf(!present)('PMML conformance corpus', () => {
  it('passes every case that is not in the skip list', () => {
    const report = runPmmlSuite(MANIFEST, { skips: loadPmmlSkips(SKIPS) });
    console.log(`PMML: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
    const failures = Object.entries(report.byCase)
      .filter(([, r]) => r.status === 'failed')
      .map(([id, r]) => `${id}: ${r.firstMismatch}`);
    expect(failures).toEqual([]);
  });
});
