/**
 * Every CommonMark 0.31.2 example and every GFM spec example, rendered one after the other through the build's own
 * rendering path (see support/build-renderer.ts: the cached parsers are reused from example to example, as from page
 * to page), must give the spec's HTML, but for what fleuron adds on purpose and the known differences.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sanitizePageHtml } from '../../lib/builder/render/html-sanitizer.js';
import { buildRenderer, sameSerialisation, withoutHeadingIds, type RenderBody } from './support/build-renderer.js';
import { specExamples, type SpecExample } from './support/spec-examples.js';
import { COMMONMARK_DIFFERENCES, GFM_EXTENSION_DIFFERENCES, GFM_SPEC_DIFFERENCES } from './known-differences.js';

const specData = (name: string) => readFileSync(new URL(`./spec-data/${name}`, import.meta.url), 'utf8');

const SUITES: { name: string; examples: SpecExample[]; count: number; differences: Record<number, string> }[] = [
  { name: 'CommonMark 0.31.2', examples: specExamples(createRequire(import.meta.url)('commonmark-spec').text as string), count: 652, differences: COMMONMARK_DIFFERENCES },
  { name: 'GFM spec 0.29-gfm', examples: specExamples(specData('gfm-spec.txt')), count: 673, differences: GFM_SPEC_DIFFERENCES },
  { name: 'GFM extensions (cmark-gfm)', examples: specExamples(specData('gfm-extensions.txt')), count: 28, differences: GFM_EXTENSION_DIFFERENCES },
];

let render: RenderBody;
beforeAll(async () => {
  render = await buildRenderer();
});

/**
 * The spec's HTML as a fleuron page holds it: raw HTML (the examples need `allowHtml`) goes through the sanitiser
 * that keeps pages free of JavaScript (html-sanitizer.ts), which also re-serialises it (`&quot;` in text as `"`).
 */
const expectedHtml = (example: SpecExample) => sameSerialisation(sanitizePageHtml(example.html));

/** Whether fleuron renders the example as the spec says. */
function matches(example: SpecExample): boolean {
  return sameSerialisation(withoutHeadingIds(render(example.markdown))) === expectedHtml(example);
}

describe.each(SUITES)('$name', ({ examples, count, differences }) => {
  it('has all its examples', () => {
    expect(examples).toHaveLength(count);
    for (const number of Object.keys(differences)) expect(Number(number)).toBeLessThanOrEqual(count);
  });

  const expectedToMatch = examples.filter((example) => differences[example.number] === undefined);
  const knownDifferent = examples.filter((example) => differences[example.number] !== undefined);

  it.each(expectedToMatch.map((example) => [example.number, example.section, example] as const))('example %i (%s) gives the spec HTML', (_number, _section, example) => {
    const html = withoutHeadingIds(render(example.markdown));
    // cmark-gfm's `<IGNORE>` examples only ask that rendering ends.
    if (example.html !== '<IGNORE>\n') expect(sameSerialisation(html)).toBe(expectedHtml(example));
  });

  it.each(knownDifferent.map((example) => [example.number, differences[example.number]!, example] as const))(
    'example %i still differs, for a known reason: %s',
    (_number, _reason, example) => {
      expect(matches(example)).toBe(false);
    },
  );
});
