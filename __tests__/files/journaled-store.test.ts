/**
 * The journaled store behind the build cache: what one process saved, the next one reads, whatever point the first
 * was stopped at; the journal is folded into the base when it grows; lines of an older base are never applied.
 */
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JournaledStore } from '../../lib/files/journaled-store.js';

interface Tables extends Record<string, unknown> {
  notes: { text: string };
  sizes: number;
}
const TABLES = ['notes', 'sizes'] as const;
const HEADER = { format: 1, writer: 'test' };

function storeFile(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'fleuron-store-')), 'deeper', 'store.json');
}
const journalOf = (file: string) => file.replace(/\.json$/, '.journal');
const open = (file: string, header = HEADER) => JournaledStore.open<Tables>(file, TABLES, header);

/** Every record of the store, table by table, sorted. */
function contents(store: JournaledStore<Tables>) {
  return Object.fromEntries(TABLES.map((table) => [table, Object.fromEntries(store.keys(table).sort().map((key) => [key, store.get(table, key)]))]));
}

test('a new store writes a base file; later small changes are journal lines, read back in order', async () => {
  const file = storeFile();
  const first = open(file);
  for (let index = 0; index < 40; index++) first.set('notes', `n${index}`, { text: `note ${index}` });
  first.set('sizes', 'a', 1);
  await first.save();
  expect(existsSync(file)).toBe(true);
  expect(existsSync(journalOf(file))).toBe(false);

  const second = open(file);
  second.set('sizes', 'a', 2);
  second.set('notes', 'n3', undefined);
  await second.save();
  const third = open(file);
  third.set('sizes', 'b', 5);
  await third.save();
  expect(readFileSync(journalOf(file), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);

  const read = open(file);
  expect(read.get('sizes', 'a')).toBe(2);
  expect(read.get('sizes', 'b')).toBe(5);
  expect(read.get('notes', 'n3')).toBeUndefined();
  expect(read.get('notes', 'n4')).toEqual({ text: 'note 4' });
  expect(read.keys('notes')).toHaveLength(39);
});

test('a save with nothing changed writes nothing', async () => {
  const file = storeFile();
  const store = open(file);
  for (let index = 0; index < 40; index++) store.set('notes', `n${index}`, { text: `note ${index}` });
  await store.save();
  const before = statSync(file).mtimeMs;
  const again = open(file);
  again.set('sizes', 'missing', undefined);
  await again.save();
  expect(statSync(file).mtimeMs).toBe(before);
  expect(existsSync(journalOf(file))).toBe(false);
});

test('a process stopped while appending to the journal: the half line is skipped, the lines before it and after it count', async () => {
  const file = storeFile();
  const store = open(file);
  for (let index = 0; index < 40; index++) store.set('notes', `n${index}`, { text: `note ${index}` });
  await store.save();
  const editor = open(file);
  editor.set('sizes', 'kept', 1);
  await editor.save();
  appendFileSync(journalOf(file), '{"generation":"half a li');

  const next = open(file);
  expect(next.get('sizes', 'kept')).toBe(1);
  next.set('sizes', 'after', 2);
  await next.save();
  const read = open(file);
  expect(read.get('sizes', 'kept')).toBe(1);
  expect(read.get('sizes', 'after')).toBe(2); // written on a line of its own, not glued to the half line
  expect(readFileSync(journalOf(file), 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  expect(read.keys('notes')).toHaveLength(40);
});

test('a damaged base file, or one written with another header, is an empty store that starts afresh', async () => {
  const file = storeFile();
  const store = open(file);
  store.set('sizes', 'a', 1);
  await store.save();
  expect(contents(open(file, { format: 2, writer: 'test' }))).toEqual({ notes: {}, sizes: {} });
  writeFileSync(file, '{"header":{"format":1,"writer":"test"},"generation":"x","attributes":{},"tables":{"notes":{}');
  const damaged = open(file);
  expect(contents(damaged)).toEqual({ notes: {}, sizes: {} });
  damaged.set('sizes', 'b', 2);
  await damaged.save();
  expect(contents(open(file))).toEqual({ notes: {}, sizes: { b: 2 } });
});

test('the journal is folded into a new base once it outgrows a quarter of the store', async () => {
  const file = storeFile();
  const store = open(file);
  for (let index = 0; index < 10; index++) store.set('notes', `n${index}`, { text: `note ${index}` });
  await store.save();
  const baseBefore = readFileSync(file, 'utf8');
  // 10 records are estimated at 1,500 bytes: a journal past 375 bytes is too long, and each line here is 154 bytes.
  const journalAfterSave: boolean[] = [];
  for (let saves = 0; saves < 6; saves++) {
    const editor = open(file);
    editor.set('notes', `n${saves}`, { text: 'x'.repeat(60) + saves });
    await editor.save();
    journalAfterSave.push(existsSync(journalOf(file)));
  }
  expect(journalAfterSave).toEqual([true, true, false, true, true, false]);
  expect(readFileSync(file, 'utf8')).not.toBe(baseBefore);
  const read = open(file);
  for (let saves = 0; saves < 6; saves++) expect(read.get('notes', `n${saves}`)).toEqual({ text: 'x'.repeat(60) + saves });
  expect(read.get('notes', 'n9')).toEqual({ text: 'note 9' });
  expect(read.keys('notes')).toHaveLength(10);
});

test('journal lines written for an older base are not applied to a newer one', async () => {
  const file = storeFile();
  const store = open(file);
  for (let index = 0; index < 40; index++) store.set('notes', `n${index}`, { text: `note ${index}` });
  await store.save();
  const old = open(file);
  old.set('sizes', 'stale', 1);
  await old.save();
  const oldJournal = `${journalOf(file)}.old`;
  copyFileSync(journalOf(file), oldJournal);

  // A new base (here: an attribute changed), then the old journal put back, as a crash between rename and removal would leave it.
  const rewriter = open(file);
  rewriter.setAttribute('context', 'another');
  rewriter.set('sizes', 'stale', undefined);
  await rewriter.save();
  expect(existsSync(journalOf(file))).toBe(false);
  copyFileSync(oldJournal, journalOf(file));

  const read = open(file);
  expect(read.get('sizes', 'stale')).toBeUndefined();
  expect(read.attribute('context')).toBe('another');
  expect(read.keys('notes')).toHaveLength(40);
});

test('clearing a table rewrites the base without its records; an attribute set to its value changes nothing', async () => {
  const file = storeFile();
  const store = open(file);
  store.setAttribute('context', 'one');
  store.set('notes', 'a', { text: 'a' });
  store.set('sizes', 'a', 1);
  await store.save();
  const same = open(file);
  same.setAttribute('context', 'one');
  const before = readFileSync(file, 'utf8');
  await same.save();
  expect(readFileSync(file, 'utf8')).toBe(before);

  const clearing = open(file);
  clearing.clear('notes');
  await clearing.save();
  expect(contents(open(file))).toEqual({ notes: {}, sizes: { a: 1 } });
});
