// The largest files of the shared PFA suite; pfa-library.spec.ts runs the rest, in parallel.
import { conformanceFiles } from './pfa-suite.js';

conformanceFiles([
  'pfa-tests-model.json.gz',
  'pfa-tests-interp.json.gz',
  'pfa-tests-a.json.gz',
  'pfa-tests-stat.sample-part3.json.gz',
  'pfa-tests-time.json.gz',
]);
