/**
 * No function in lib/ longer than 60 lines without a reason: a longer one says why in a `// long because:` comment
 * just above it (or on its first line). Measured from the TypeScript syntax tree, blank and comment lines included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../support/run-cli.js';

const MAX_LINES = 60;
const REASON = '// long because:';

/**
 * Functions allowed to stay too long for a while (say, during a parallel merge), by `file name`; none today. An entry
 * that is no longer too long fails the test, so the list only shrinks.
 */
const PENDING = new Set<string>([]);
const pendingId = (found: string) => found.replace(/:\d+ /, ' ').replace(/ \(\d+ lines\)$/, '');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** `file:line name (N lines)` for each function of `text` longer than the limit and not explained. */
export function longFunctions(file: string, text: string, maxLines = MAX_LINES): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      const explained = lines.slice(Math.max(0, start - 3), start + 2).some((line) => line.includes(REASON));
      if (length > maxLines && !explained) {
        const name = (node as ts.FunctionLikeDeclaration).name?.getText(source) ?? '(anonymous)';
        found.push(`${file}:${start + 1} ${name} (${length} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test(`no function in lib/ is longer than ${MAX_LINES} lines without a "${REASON}" comment`, () => {
  const files = sourceFiles(path.join(REPO_ROOT, 'lib')).map((file) => path.relative(REPO_ROOT, file));
  const long = files.flatMap((file) => longFunctions(file, readFileSync(path.join(REPO_ROOT, file), 'utf8')));
  expect(long.filter((found) => !PENDING.has(pendingId(found)))).toEqual([]);
  expect([...PENDING].filter((id) => !long.some((found) => pendingId(found) === id))).toEqual([]);
});

test('the check sees a long function, and accepts one with a reason', () => {
  const body = Array.from({ length: 4 }, (_, i) => `  const a${i} = ${i};`).join('\n');
  expect(longFunctions('x.ts', `function big() {\n${body}\n}\n`, 5)).toEqual(['x.ts:1 big (6 lines)']);
  expect(longFunctions('x.ts', `${REASON} one table\nfunction big() {\n${body}\n}\n`, 5)).toEqual([]);
  expect(longFunctions('x.ts', `const f = () => {\n${body}\n};\n`, 5)).toEqual(['x.ts:1 (anonymous) (6 lines)']);
});
