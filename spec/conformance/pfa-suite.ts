/**
 * Runs shared PFA conformance files under vitest: one test per file, failing on any failed trial
 * (skips are listed with reasons in conformance/pfa-skips.json). The suite lives beside the
 * checkout, in ../shared/conformance/pfa/; without it the tests are skipped with a message.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSuite, type SuiteOptions } from '../../src/conformance/pfa-suite.js';
import { loadSkips } from '../../src/cli/conformance.js';

export const SUITE_DIR = fileURLToPath(new URL('../../../shared/conformance/pfa/', import.meta.url));
const SKIPS = fileURLToPath(new URL('../../conformance/pfa-skips.json', import.meta.url));

export function conformanceFiles(names: readonly string[], backend?: SuiteOptions['backend']): void {
  const present = existsSync(SUITE_DIR);
  if (!present) console.warn(`PFA conformance suite not found at ${SUITE_DIR}: skipping the conformance run`);
  describe.skipIf(!present)(`PFA conformance suite${backend ? ` (${backend} backend)` : ''}`, () => {
    const skips = loadSkips(SKIPS);
    for (const name of names) {
      it(`${name}: no failed trial`, () => {
        const report = runSuite([`${SUITE_DIR}${name}`], { skips, keepFailures: 3, backend });
        const summary = `${name}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`;
        console.log(summary);
        expect(
          report.failures.map((f) => `${f.function} [test ${f.test}, trial ${f.trial}]: expected ${f.expected}, got ${f.actual}`),
        ).toEqual([]);
        expect(report.passed).toBeGreaterThan(0);
      });
    }
  });
}
