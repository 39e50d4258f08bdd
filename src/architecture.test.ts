// The layout's promises (docs/architecture.md, "Layout"), checked on the source itself: no
// module imports itself back at run time through any chain (type-only imports erase and do not
// count), and the pure engine under src/engine reaches nothing with I/O. The folder rules
// (adapters → service → engine) are eslint's no-restricted-imports; this test adds what a lint
// rule cannot see: cycles through several files.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = dirname(fileURLToPath(import.meta.url));

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'web' || entry.name === 'dist' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The files `file` imports at run time (relative imports that survive type erasure). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    if (typeOnly(statement)) continue;
    found.push(resolve(dirname(file), specifier.text).replace(/\.js$/, '.ts'));
  }
  return found;
}

function typeOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) return statement.isTypeOnly;
  const clause = statement.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

/** Every strongly connected set of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.map((file) => relative(SRC, file)).sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the layout', () => {
  const graph = new Map(sources(SRC).map((file) => [file, runtimeImports(file)]));

  it('has no run-time import cycle anywhere under src', () => {
    assert.ok(graph.size > 100, `read ${graph.size} modules`);
    assert.deepEqual(cycles(graph), []);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const found = cycles(new Map([['/a', ['/b']], ['/b', ['/c']], ['/c', ['/a']], ['/d', ['/a']]]));
    assert.deepEqual(found, [['/a', '/b', '/c'].map((path) => relative(SRC, path)).sort()]);
  });

  it('keeps the engine pure: nothing under src/engine imports above it at run time', () => {
    const engine = join(SRC, 'engine');
    const outside = [...graph].flatMap(([file, imports]) => file.startsWith(engine)
      ? imports.filter((target) => !target.startsWith(engine) &&
        !/\/src\/(ledger|money)\//.test(target)).map((target) =>
        `${relative(SRC, file)} → ${relative(SRC, target)}`)
      : []);
    assert.deepEqual(outside, []);
  });
});
