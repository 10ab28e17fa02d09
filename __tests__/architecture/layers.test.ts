/**
 * The README's architecture table is the law of imports: every import in lib/ goes from a folder to one its row
 * names, and the table itself has no cycle, so no two folders depend on each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/run-cli.js';

const LIB = path.join(REPO_ROOT, 'lib');

/**
 * Imports allowed for a while although they go up (none today); an entry no import needs any more fails the test,
 * so it cannot linger.
 */
const PENDING: readonly string[] = [];

interface Row {
  folder: string;
  mayImport: string[];
}

/** The rows of the README's architecture table, folder names written out in full (`build` → `lib/builder/`). */
function readLayers(): Row[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n### Architecture\n')[1]?.split(/\n#{2,3} /)[0];
  if (!section) throw new Error('README.md has no "### Architecture" section');
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const folder = /^`(lib\/[^`]+\/)`$/.exec(cells[1] ?? '')?.[1];
    if (!folder) continue;
    const names = [...(cells[3] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    rows.push({ folder, mayImport: names.map((name) => (name.startsWith('lib/') ? name : `lib/${name}/`)) });
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** Relative module specifiers of a file: static imports, `export … from`, and `import()`. */
export function importsOf(text: string): string[] {
  const pattern = /(?:^|[;\s])(?:import|export)\s[^'";]*?\sfrom\s*['"](\.[^'"]+)['"]|(?:^|[;\s])import\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  return [...text.matchAll(pattern)].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

const rows = readLayers();
const folders = rows.map((row) => row.folder).sort((a, b) => b.length - a.length);
const rowOf = new Map(rows.map((row) => [row.folder, row]));

/** The table's folder a lib/ path belongs to: the longest one that holds it. */
function folderOf(relative: string): string | undefined {
  return folders.find((folder) => relative.startsWith(folder));
}

/** Inside a folder with rows of its own (lib/builder/), its sub-folders are the layers; outside, the top folder is. */
function edgeFor(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const top = (folder: string) => folder.split('/').slice(0, 2).join('/') + '/';
  return top(from) === top(to) ? `${from} -> ${to}` : `${top(from)} -> ${top(to)}`;
}

function actualEdges(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of sourceFiles(LIB)) {
    const relative = path.relative(REPO_ROOT, file);
    const from = folderOf(relative);
    if (!from) throw new Error(`${relative} is in no folder of the README's architecture table: add a row for its folder`);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = path.relative(REPO_ROOT, path.resolve(path.dirname(file), spec));
      const to = folderOf(target);
      if (!to) throw new Error(`${relative} imports ${spec}, outside lib/'s table`);
      const edge = edgeFor(from, to);
      if (edge) edges.set(edge, [...(edges.get(edge) ?? []), `${relative}: ${spec}`]);
    }
  }
  return edges;
}

function allowed(edge: string): boolean {
  const [from, to] = edge.split(' -> ') as [string, string];
  return rowOf.get(from)?.mayImport.includes(to) ?? false;
}

describe('layers', () => {
  test('the README table names every folder it refers to, and gives each an allowed list', () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) for (const name of row.mayImport) expect({ row: row.folder, name, known: rowOf.has(name) }).toEqual({ row: row.folder, name, known: true });
  });

  test('the table has no cycle: following "may import" never comes back', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (folder: string, trail: string[]) => {
      if (done.has(folder)) return;
      if (visiting.has(folder)) throw new Error(`cycle in the README's table: ${[...trail, folder].join(' -> ')}`);
      visiting.add(folder);
      for (const next of rowOf.get(folder)?.mayImport ?? []) visit(next, [...trail, folder]);
      visiting.delete(folder);
      done.add(folder);
    };
    for (const row of rows) visit(row.folder, []);
  });

  test('every import in lib/ goes down the table (or is a pending one, listed above)', () => {
    const edges = actualEdges();
    const wrong = [...edges].filter(([edge]) => !allowed(edge) && !PENDING.includes(edge)).map(([edge, where]) => `${edge} (${where.join(', ')})`);
    expect(wrong).toEqual([]);
  });

  test('each pending exception is still needed (remove it once its import is gone)', () => {
    const edges = actualEdges();
    for (const edge of PENDING) expect({ edge, stillImported: edges.has(edge), allowedByTable: allowed(edge) }).toEqual({ edge, stillImported: true, allowedByTable: false });
  });

  test('the parser sees every kind of import', () => {
    const text = "import a from './a.js';\nimport type { B } from '../b.js';\nexport { c } from './c.js';\nimport './d.js';\nconst e = await import('../e/e.js');\nimport x from 'node:fs';\n";
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', '../e/e.js']);
  });
});
