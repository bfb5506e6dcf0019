// The shared PFA suite files not run by pfa-models.spec.ts.
import { conformanceFiles } from './pfa-suite.js';

conformanceFiles([
  'pfa-tests-core.json.gz',
  'pfa-tests-m.json.gz',
  'pfa-tests-s.json.gz',
  'pfa-tests-re.json.gz',
  'pfa-tests-parse.json.gz',
  'pfa-tests-cast.json.gz',
  'pfa-tests-bytes.json.gz',
  'pfa-tests-fixed.json.gz',
  'pfa-tests-enum.json.gz',
  'pfa-tests-impute.json.gz',
  'pfa-tests-map.json.gz',
  'pfa-tests-la.json.gz',
  'pfa-tests-metric.json.gz',
  'pfa-tests-rand.json.gz',
  'pfa-tests-prob.json.gz',
  'pfa-tests-stat.change.json.gz',
  'pfa-tests-stat.sample-part1.json.gz',
  'pfa-tests-stat.sample-part2.json.gz',
  'pfa-tests-stat.test.json.gz',
]);
