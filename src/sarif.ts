/**
 * SARIF 2.1.0 (the OASIS Static Analysis Results Interchange Format), which code-scanning tools
 * and editors read: one run of the tool "trajan", one rule per problem code met, one result per
 * problem. A result's physical location is the file as it was named, with the line and column when
 * known; a PFA problem's JSON pointer is also given as a logical location.
 */
import type { Problem } from './problems.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The problems of one file, as checked. */
export interface FileProblems {
  readonly file: string;
  readonly problems: readonly Problem[];
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

interface SarifRun {
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly version: string;
      readonly informationUri?: string;
      readonly rules: readonly { readonly id: string }[];
    };
  };
  readonly results: readonly SarifResult[];
}

interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error' | 'warning';
  readonly message: { readonly text: string };
  readonly locations: readonly {
    readonly physicalLocation: {
      readonly artifactLocation: { readonly uri: string };
      readonly region?: { readonly startLine: number; readonly startColumn: number };
    };
    readonly logicalLocations?: readonly { readonly fullyQualifiedName: string; readonly kind: 'element' }[];
  }[];
}

/**
 * A file path as a SARIF URI reference: relative paths stay relative (to where the tool ran), with
 * forward slashes; characters a URI cannot hold are percent-encoded.
 */
export function artifactUri(path: string): string {
  return encodeURI(path.replace(/\\/g, '/')).replace(/[?#]/g, (c) => encodeURIComponent(c));
}

export function toSarif(files: readonly FileProblems[], version: string): SarifLog {
  const rules: { id: string }[] = [];
  const ruleIndex = new Map<string, number>();
  const results: SarifResult[] = [];
  for (const { file, problems } of files) {
    for (const p of problems) {
      const id = String(p.code);
      if (!ruleIndex.has(id)) {
        ruleIndex.set(id, rules.length);
        rules.push({ id });
      }
      const { pointer, line, column } = p.location;
      results.push({
        ruleId: id,
        ruleIndex: ruleIndex.get(id)!,
        level: p.severity,
        message: { text: p.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: artifactUri(file) },
              ...(line !== undefined ? { region: { startLine: line, startColumn: column ?? 1 } } : {}),
            },
            ...(pointer !== undefined ? { logicalLocations: [{ fullyQualifiedName: pointer, kind: 'element' as const }] } : {}),
          },
        ],
      });
    }
  }
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [{ tool: { driver: { name: 'trajan', version, rules } }, results }] };
}
