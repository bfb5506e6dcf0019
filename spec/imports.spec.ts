/**
 * The import graph of `src/` has no cycle, between files or between folders. Only imports that
 * load a module count: `import type` and imports of types alone vanish from the JavaScript, so they
 * cannot make modules wait on each other. Read with TypeScript's own parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : /\.[cm]?ts$/.test(d.name) && !d.name.endsWith('.d.ts') ? [join(dir, d.name)] : [],
  );
}

/** Whether an import or export declaration loads its module when the JavaScript runs. */
function loads(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return true; // import './side-effect.js'
    if (clause.isTypeOnly) return false;
    if (clause.name) return true;
    const bindings = clause.namedBindings;
    if (!bindings || ts.isNamespaceImport(bindings)) return true;
    return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
  }
  if (node.isTypeOnly) return false;
  const clause = node.exportClause;
  return !clause || !ts.isNamedExports(clause) || clause.elements.some((e) => !e.isTypeOnly);
}

/** The relative module specifiers a file names in its import and export declarations, `import type` included. */
function specifiers(file: string): { spec: string; loads: boolean }[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: { spec: string; loads: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ spec: node.moduleSpecifier.text, loads: loads(node) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ spec: node.argument.literal.text, loads: false }); // typeof import('...')
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ spec: node.arguments[0].text, loads: true }); // import('...')
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found.filter((f) => f.spec.startsWith('.'));
}

const resolveSpec = (file: string, spec: string): string => resolve(dirname(file), spec.replace(/\.js$/, '.ts').replace(/\.cjs$/, '.cts'));

/** File → the files of src/ it loads. */
function graph(): Map<string, string[]> {
  const files = sources(src);
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const deps: string[] = [];
    for (const st of sf.statements) {
      if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) || !st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier))
        continue;
      const spec = st.moduleSpecifier.text;
      if (!spec.startsWith('.') || !loads(st)) continue;
      const target = resolveSpec(file, spec);
      if (known.has(target)) deps.push(target);
    }
    edges.set(file, deps);
  }
  return edges;
}

/** The strongly connected components with more than one member (Tarjan), each sorted. */
function cycles<T>(edges: ReadonlyMap<T, readonly T[]>): T[][] {
  let next = 0;
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const found: T[][] = [];
  const visit = (v: T): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: T[] = [];
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph of src/', () => {
  const edges = graph();

  it('reads the imports it is meant to', () => {
    // A program loads its compiler; the engine's type-only import of the checker does not count.
    expect(edges.get(join(src, 'pfa/compiled.ts'))).toContain(join(src, 'pfa/compile/compiler.ts'));
    expect(edges.get(join(src, 'pfa/engine.ts'))).not.toContain(join(src, 'pfa/check/checker.ts'));
    expect([...edges.values()].flat().length).toBeGreaterThan(300);
  });

  it('has no cycle between files', () => {
    expect(cycles(edges).map((c) => c.map((f) => relative(src, f)))).toEqual([]);
  });

  it('has no cycle between folders', () => {
    // A folder is a file's first-level folder under src/; the files at the top (the public entry
    // points and errors.ts) are left out, as everything may import errors.ts and they import the rest.
    const folder = (f: string): string | undefined => {
      const parts = relative(src, f).split('/');
      return parts.length > 1 ? parts[0] : undefined;
    };
    const folders = new Map<string, string[]>();
    for (const [file, deps] of edges) {
      const a = folder(file);
      if (!a) continue;
      for (const dep of deps) {
        const b = folder(dep);
        if (b && b !== a && !folders.get(a)?.includes(b)) folders.set(a, [...(folders.get(a) ?? []), b]);
      }
    }
    expect(cycles(folders)).toEqual([]);
  });

  it('keeps the service folders apart: serve, batch and embed share code only through io/ and the engine', () => {
    // Types count here too, and dynamic imports, and the module a worker thread is started from:
    // a service folder that reached into another would move with it.
    const services = ['serve', 'batch', 'embed'];
    const crossings: string[] = [];
    for (const file of sources(src)) {
      const from = relative(src, file).split('/')[0]!;
      if (!services.includes(from)) continue;
      const text = readFileSync(file, 'utf8');
      const named = [...specifiers(file).map((s) => s.spec), ...[...text.matchAll(/new URL\(`([^`$]+)/g)].map((m) => m[1]!)];
      for (const spec of named) {
        const to = relative(src, resolveSpec(file, spec)).split('/')[0]!;
        if (to !== from && services.includes(to)) crossings.push(`${relative(src, file)} → ${spec}`);
      }
    }
    expect(crossings).toEqual([]);
  });
});
