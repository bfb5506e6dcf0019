// The model functions of the shared suite through the closure backend: the default run above goes
// through the specialised backend, so the two backends are shown to agree on every model trial.
import { conformanceFiles } from './pfa-suite.js';

conformanceFiles(['pfa-tests-model.json.gz'], 'closures');
