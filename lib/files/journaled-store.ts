/**
 * JSON records in named tables, kept on disk as a base file plus a journal: each save appends one line with the
 * records that changed, so a small change writes a few hundred bytes instead of the whole store; the base is
 * rewritten (compacted) when the journal grows to a quarter of it.
 *
 * Safe against a process stopped at any point: the base is written to a temporary file then renamed, a half-written
 * journal line is skipped, and every base file has a new generation that journal lines must name, so lines written
 * for an older base (a journal left behind) are never applied to a newer one.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Values that must match for a base file to be read at all (a format number, the writing code's fingerprint). */
export type StoreHeader = Record<string, string | number>;

type Records<Tables> = { [T in keyof Tables]: Record<string, Tables[T]> };

interface BaseFile<Tables> {
  header: StoreHeader;
  /** Names this base file: journal lines written for another one are ignored. */
  generation: string;
  attributes: Record<string, string>;
  tables: Records<Tables>;
}

/** One line of the journal: the records one save changed (null: removed). */
interface JournalLine<Tables> {
  generation: string;
  changes: { [T in keyof Tables]?: Record<string, Tables[T] | null> };
}

/** About 150 bytes a record: enough to decide when the journal has grown too long, without measuring the base. */
const BYTES_PER_RECORD_ESTIMATE = 150;

/** A store whose table `T` holds records of type `Tables[T]` by string key. */
export class JournaledStore<Tables extends Record<string, unknown>> {
  private readonly dirty = new Map<keyof Tables, Set<string>>();
  /** The journal's last line was cut short (a process stopped while appending): the next line starts on a new one. */
  private journalEndsMidLine: boolean;
  /** The whole base file must be written again (no base yet, a table cleared, an attribute changed, a long journal). */
  private rewrite: boolean;

  private constructor(
    private readonly file: string,
    private readonly header: StoreHeader,
    private generation: string,
    private readonly attributes: Map<string, string>,
    private readonly tables: { [T in keyof Tables]: Map<string, Tables[T]> },
    private journalBytes: number,
    journalEndsMidLine = false,
  ) {
    this.rewrite = generation === '';
    this.journalEndsMidLine = journalEndsMidLine;
  }

  /**
   * Opens the store kept in `file` (its journal beside it, `.journal` for `.json`). A missing, damaged or foreign
   * base file (another header, a table missing) is an empty store. Synchronous: JSON.parse needs the whole file anyway.
   */
  static open<Tables extends Record<string, unknown>>(file: string, tableNames: readonly (keyof Tables & string)[], header: StoreHeader): JournaledStore<Tables> {
    const base = readBase<Tables>(file, tableNames, header);
    const emptyTables = () => Object.fromEntries(tableNames.map((name) => [name, new Map()])) as { [T in keyof Tables]: Map<string, Tables[T]> };
    if (!base) return new JournaledStore(file, header, '', new Map(), emptyTables(), 0);
    let journal = '';
    try {
      journal = readFileSync(journalOf(file), 'utf8');
    } catch {
      // No journal: the base file is the whole store.
    }
    for (const text of journal.split('\n')) applyLine(base, text, tableNames);
    const tables = Object.fromEntries(tableNames.map((name) => [name, new Map(Object.entries(base.tables[name]))])) as { [T in keyof Tables]: Map<string, Tables[T]> };
    const endsMidLine = journal !== '' && !journal.endsWith('\n');
    return new JournaledStore(file, header, base.generation, new Map(Object.entries(base.attributes)), tables, journal.length, endsMidLine);
  }

  get<T extends keyof Tables>(table: T, key: string): Tables[T] | undefined {
    return this.tables[table].get(key);
  }

  /** Sets (or with `undefined`, removes) a record; saved at the next `save()`. */
  set<T extends keyof Tables>(table: T, key: string, value: Tables[T] | undefined): void {
    const map = this.tables[table];
    if (value === undefined) {
      if (!map.delete(key)) return;
    } else map.set(key, value);
    let keys = this.dirty.get(table);
    if (!keys) this.dirty.set(table, (keys = new Set()));
    keys.add(key);
  }

  keys(table: keyof Tables): string[] {
    return [...this.tables[table].keys()];
  }

  /** Removes every record of a table: the next save rewrites the base. */
  clear(table: keyof Tables): void {
    this.tables[table].clear();
    this.dirty.delete(table);
    this.rewrite = true;
  }

  /** A value kept with the base file rather than in a table (changing one rewrites the base). */
  attribute(name: string): string | undefined {
    return this.attributes.get(name);
  }

  setAttribute(name: string, value: string): void {
    if (this.attributes.get(name) === value) return;
    this.attributes.set(name, value);
    this.rewrite = true;
  }

  /** Writes what changed: one line appended to the journal, or the whole base file when it must be rewritten. */
  async save(): Promise<void> {
    const changes = [...this.dirty.values()].reduce((count, keys) => count + keys.size, 0);
    if (changes === 0 && !this.rewrite) return;
    if (!this.rewrite) {
      const text = (this.journalEndsMidLine ? '\n' : '') + JSON.stringify(this.journalLine()) + '\n';
      if (this.journalBytes + text.length < (BYTES_PER_RECORD_ESTIMATE * this.recordCount()) / 4) {
        appendFileSync(journalOf(this.file), text);
        this.journalBytes += text.length;
        this.journalEndsMidLine = false;
        this.dirty.clear();
        return;
      }
    }
    await this.writeBase();
  }

  private journalLine(): JournalLine<Tables> {
    const line: JournalLine<Tables> = { generation: this.generation, changes: {} };
    for (const [table, keys] of this.dirty) {
      line.changes[table] = Object.fromEntries([...keys].map((key) => [key, this.tables[table].get(key) ?? null]));
    }
    return line;
  }

  private async writeBase(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    this.generation = randomUUID();
    const tables = Object.fromEntries(Object.entries(this.tables).map(([name, map]) => [name, Object.fromEntries(map as Map<string, unknown>)]));
    const base = { header: this.header, generation: this.generation, attributes: Object.fromEntries(this.attributes), tables };
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(base));
    await rename(temporary, this.file);
    // Lines of the old journal name the old generation, so they would be ignored; removing it saves reading them.
    rmSync(journalOf(this.file), { force: true });
    this.journalBytes = 0;
    this.rewrite = false;
    this.dirty.clear();
  }

  private recordCount(): number {
    return Object.values(this.tables).reduce((count: number, map) => count + (map as Map<string, unknown>).size, 0);
  }
}

/** The base file if it is whole and was written with this header and these tables. */
function readBase<Tables>(file: string, tableNames: readonly (keyof Tables & string)[], header: StoreHeader): BaseFile<Tables> | undefined {
  try {
    const base = JSON.parse(readFileSync(file, 'utf8')) as BaseFile<Tables>;
    const sameHeader = typeof base.header === 'object' && base.header !== null && JSON.stringify(base.header) === JSON.stringify(header);
    const complete = typeof base.generation === 'string' && typeof base.attributes === 'object' && base.attributes !== null
      && typeof base.tables === 'object' && base.tables !== null && tableNames.every((name) => typeof base.tables[name] === 'object' && base.tables[name] !== null);
    return sameHeader && complete ? base : undefined;
  } catch {
    return undefined; // No store yet, or a damaged one: start afresh.
  }
}

/** Applies one journal line to the base read, unless it is half written or was written for another base. */
function applyLine<Tables>(base: BaseFile<Tables>, text: string, tableNames: readonly (keyof Tables & string)[]): void {
  let line: JournalLine<Tables>;
  try {
    line = JSON.parse(text) as JournalLine<Tables>;
  } catch {
    return; // An empty or half-written line (a process stopped while appending it).
  }
  if (line?.generation !== base.generation) return;
  for (const table of tableNames) {
    const records: Record<string, unknown> = base.tables[table];
    for (const [key, value] of Object.entries(line.changes?.[table] ?? {})) {
      if (value === null) delete records[key];
      else records[key] = value;
    }
  }
}

function journalOf(baseFile: string): string {
  return baseFile.replace(/\.json$/, '') + '.journal';
}
