/** Generates the benchmark corpora: "simple" (bench-framework-markdown style) and "rich" (headings, tables, code, links, nested folders). */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat'.split(' ');

/** A small deterministic generator, so that every run benchmarks the same text. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function words(next, count) {
  return Array.from({ length: count }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
}

function paragraph(next) {
  const text = words(next, 60 + Math.floor(next() * 40));
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

/** `{ relativePath: markdown }` for one corpus; titles are five words as in bench-framework-markdown. */
export function corpusFiles(kind, pages) {
  const next = random(kind === 'simple' ? 1 : 2);
  const files = {};
  if (kind === 'simple') {
    for (let index = 0; index < pages; index++) {
      files[`page-${index}.md`] = `---\ntitle: ${words(next, 5)}\n---\n\n${paragraph(next)}\n\n${paragraph(next)}\n\n${paragraph(next)}\n`;
    }
    return files;
  }
  // Rich: 10 sections × 8 subsections × (pages / 80) pages, each linking to its neighbours and their headings.
  const perFolder = Math.max(1, Math.round(pages / 80));
  for (let section = 0; section < 10; section++) {
    for (let sub = 0; sub < 8; sub++) {
      for (let index = 0; index < perFolder; index++) {
        const nextIndex = (index + 1) % perFolder;
        const body = [
          `---\ntitle: ${words(next, 5)}\ndescription: ${words(next, 10)}\n---`,
          paragraph(next),
          `## Overview\n\n${paragraph(next)} See [the next page](page-${nextIndex}.md#details) and [the section](../index.md).`,
          `## Details\n\n| Name | Value | Note |\n| ---- | ----: | ---- |\n${Array.from({ length: 5 }, (_, row) => `| ${words(next, 2)} | ${row * 7} | ${words(next, 3)} |`).join('\n')}`,
          '```js\n' + `export function page${index}(input) {\n  return input.map((value) => value * ${index});\n}\n` + '```',
          `### Notes\n\n- ${words(next, 8)}\n- *${words(next, 6)}* and **${words(next, 4)}**\n- \`inline code\` and [external](https://example.org/${index})`,
          paragraph(next),
        ];
        files[`section-${section}/sub-${sub}/page-${index}.md`] = body.join('\n\n') + '\n';
      }
      files[`section-${section}/sub-${sub}/index.md`] = `---\ntitle: Subsection ${section}.${sub}\n---\n\n${paragraph(next)}\n`;
    }
    files[`section-${section}/index.md`] = `---\ntitle: Section ${section}\n---\n\n${paragraph(next)}\n`;
  }
  files['index.md'] = `---\ntitle: Rich corpus\n---\n\n${paragraph(next)}\n`;
  return files;
}

export async function writeCorpus(dir, files) {
  await rm(dir, { recursive: true, force: true });
  const made = new Set();
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    const folder = path.dirname(file);
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
    await writeFile(file, text);
  }
}
