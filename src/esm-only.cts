/**
 * What `require('trajan')` loads: Trajan is published as ES modules only (its entry points use
 * top-level `await` and `import.meta`), so CommonJS callers get this message rather than Node's
 * ERR_PACKAGE_PATH_NOT_EXPORTED, which does not say why.
 */
const error = new Error(
  "trajan is an ES module and cannot be loaded with require(): use `import { loadModel } from 'trajan'`, or `const { loadModel } = await import('trajan')` from CommonJS",
);
(error as Error & { code: string }).code = 'ERR_REQUIRE_ESM';
throw error;
