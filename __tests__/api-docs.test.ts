/**
 * The API reference (`npm run docs`, TypeDoc) is made from doc comments: every export of index.ts has one,
 * and so does every property of a construct's props. Read from the syntax alone (no type-checking
 * program), so the test takes well under a second.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');


/** The files index.ts re-exports (it holds nothing else). */
function reexported(): string[] {
  const index = ts.createSourceFile('index.ts', fs.readFileSync(path.join(ROOT, 'index.ts'), 'utf8'), ts.ScriptTarget.ES2022, true);
  return index.statements.map((s) => {
    if (!ts.isExportDeclaration(s) || s.exportClause || !s.moduleSpecifier || !ts.isStringLiteral(s.moduleSpecifier)) {
      throw new Error(`index.ts: ${s.getText(index)}: only \`export * from '...'\` is expected`);
    }
    return `${path.normalize(s.moduleSpecifier.text)}.ts`;
  });
}

const hasDoc = (node: ts.Node): boolean => ts.getJSDocCommentsAndTags(node).some((d) => ts.isJSDoc(d) && (d.comment !== undefined || (d.tags?.length ?? 0) > 0));
const isExported = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** `file: name` of every exported declaration without a doc comment, and of every undocumented *Props property. */
function undocumented(file: string): { exports: number; missing: string[] } {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const missing: string[] = [];
  let exports = 0;
  for (const s of source.statements) {
    if (!isExported(s)) continue;
    const names = ts.isVariableStatement(s)
      ? s.declarationList.declarations.map((d) => d.name.getText(source))
      : [((s as ts.DeclarationStatement).name?.getText(source)) ?? '(default)'];
    exports += names.length;
    if (!hasDoc(s)) missing.push(...names.map((n) => `${file}: ${n}`));
    if (ts.isInterfaceDeclaration(s) && s.name.text.endsWith('Props')) {
      for (const m of s.members) if (!hasDoc(m)) missing.push(`${file}: ${s.name.text}.${m.name?.getText(source)}`);
    }
  }
  return { exports, missing };
}

describe('the API reference', () => {
  const files = reexported();

  it('is built by npm run docs with TypeDoc from index.ts into an untracked folder', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.docs).toBe('typedoc');
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'typedoc.json'), 'utf8'));
    // Where it reads and writes; TypeDoc's other options (exclusions, validation) are style, not this test's.
    expect(config).toMatchObject({ entryPoints: ['index.ts'], out: 'docs/api' });
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('docs/api/');
  });

  it('has a doc comment on every export of index.ts and every property of a props interface', () => {
    const results = files.map(undocumented);
    // The test cannot pass by reading nothing.
    expect(files.length).toBeGreaterThan(20);
    expect(results.reduce((n, r) => n + r.exports, 0)).toBeGreaterThan(100);
    expect(results.flatMap((r) => r.missing)).toEqual([]);
  });
});
