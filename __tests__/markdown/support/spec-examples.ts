/** Reads the examples of a spec file in the CommonMark spec format (`commonmark-spec`, cmark-gfm's spec and extensions). */

export interface SpecExample {
  /** 1-based, in the order of the file (the number the spec's own test runner gives). */
  number: number;
  section: string;
  /** The GFM extension an example is about (`table`, `autolink`, …), as cmark-gfm's spec tags it. */
  extension?: string;
  markdown: string;
  html: string;
}

const FENCE = '`'.repeat(32);
const EXAMPLE = new RegExp(`^${FENCE} example( [a-z_]+)?\\n([\\s\\S]*?)^\\.\\n([\\s\\S]*?)^${FENCE}$|^#{1,6} *(.*)$`, 'gm');

/** As the spec's test runner does: `→` stands for a tab, the examples end at `<!-- END TESTS -->`. */
export function specExamples(text: string): SpecExample[] {
  const tests = text.replace(/\r\n?/g, '\n').replace(/^<!-- END TESTS -->[\s\S]*/m, '');
  const examples: SpecExample[] = [];
  let section = '';
  for (const match of tests.matchAll(EXAMPLE)) {
    const [, extension, markdown, html, heading] = match;
    if (heading !== undefined) {
      section = heading;
      continue;
    }
    examples.push({
      number: examples.length + 1,
      section,
      ...(extension ? { extension: extension.trim() } : {}),
      markdown: markdown!.replace(/→/g, '\t'),
      html: html!.replace(/→/g, '\t'),
    });
  }
  return examples;
}
