/** The HTML the builder adds for old devices, slow lines and assistive technology (pure functions over micromark's output). */
import { fingerprintedName, fingerprintOf } from '../../lib/builder/load/fingerprint.js';
import { addImageDimensions } from '../../lib/builder/render/image-dimensions.js';
import type { LinkTargets } from '../../lib/builder/render/links.js';
import { renderMarkdown } from '../../lib/builder/render/markdown.js';
import { descriptionFromContent } from '../../lib/builder/render/page-description.js';
import { addScrollRegions } from '../../lib/builder/render/scroll-regions.js';
import { labelTaskCheckboxes } from '../../lib/builder/render/task-list.js';
import { compileHeaderPolicy, CACHE_IMMUTABLE } from '../../lib/headers/header-rules.js';

const markdown = (text: string) => renderMarkdown(text, { allowHtml: false, footnoteLabel: 'Notes', footnoteBackLabel: 'Back' }).html;
const WORDS = { codeBlock: 'Code block', table: 'Table' };

describe('fingerprinted theme assets', () => {
  it('puts 8 or more hex digits of the content hash before the extension, a name the header rules serve immutable', () => {
    for (let index = 0; index < 200; index++) {
      const name = fingerprintedName('theme.css', `body{margin:${index}px}`);
      expect(name).toMatch(/^theme\.[0-9a-f]{8,}\.css$/);
      expect(compileHeaderPolicy().headersFor(name).cacheControl).toBe(CACHE_IMMUTABLE);
    }
  });

  it('changes with the bytes and only with them', () => {
    expect(fingerprintOf('a')).toBe(fingerprintOf(Buffer.from('a')));
    expect(fingerprintOf('a')).not.toBe(fingerprintOf('b'));
    expect(fingerprintedName('fonts/icons.svg', 'x')).toMatch(/^fonts\/icons\.[0-9a-f]{8,}\.svg$/);
    expect(fingerprintedName('LICENSE', 'x')).toMatch(/^LICENSE\.[0-9a-f]{8,}$/);
  });
});

describe('scroll regions', () => {
  it('makes code blocks and tables focusable, labelled regions, numbered when a page has several', () => {
    const html = addScrollRegions(markdown('```sh\nls\n```\n\n```\nplain\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n'), WORDS);
    expect(html).toContain('<pre tabindex="0" role="region" aria-label="Code block 1 (sh)"><code class="language-sh">ls\n</code></pre>');
    expect(html).toContain('<pre tabindex="0" role="region" aria-label="Code block 2"><code>plain\n</code></pre>');
    expect(html).toMatch(/<div class="table" tabindex="0" role="region" aria-label="Table"><table>[\s\S]*<\/table><\/div>/);
  });

  it('leaves inline code and raw HTML alone', () => {
    const raw = '<pre class="x">kept</pre><table class="y"><tr><td>1</td></tr></table><p><code>a</code></p>';
    expect(addScrollRegions(raw, WORDS)).toBe(raw);
  });
});

describe('task-list checkboxes', () => {
  const label = (done: boolean) => (done ? 'Done' : 'To do');

  it('are named after their item, in tight and loose lists, up to a nested list', () => {
    const html = labelTaskCheckboxes(markdown('- [x] Buy a *second* disk\n- [ ] Write the page\n  - sub item\n\n1. [ ] loose one\n\n2. [x] loose two\n'), label);
    expect(html).toContain('<input type="checkbox" disabled="" checked="" aria-label="Buy a second disk" /> Buy a <em>second</em> disk');
    expect(html).toContain('<input type="checkbox" disabled="" aria-label="Write the page" /> Write the page');
    expect(html).toContain('aria-label="loose one"');
    expect(html).toContain('aria-label="loose two"');
    expect(html).not.toMatch(/<input(?![^>]*aria-label)[^>]*>/);
  });

  it('fall back to a word for their state when the item has no text', () => {
    expect(labelTaskCheckboxes('<li><input type="checkbox" disabled="" checked="" /></li>', label)).toBe('<li><input type="checkbox" disabled="" checked="" aria-label="Done" /></li>');
  });
});

describe('fallback meta description', () => {
  it('is the text of the first paragraph that has any', () => {
    expect(descriptionFromContent('<h1>T</h1><p><img src="a.png" alt="" /></p>\n<p>First <a href="x">real</a> text &amp; more.</p><p>Second.</p>')).toBe('First real text & more.');
    expect(descriptionFromContent('<h1>Only a title</h1>')).toBeUndefined();
    expect(descriptionFromContent(markdown('Repeated heading[^1], see below.\n\n[^1]: A note.\n'))).toBe('Repeated heading, see below.');
  });

  it('is cut at a word with an ellipsis when long', () => {
    const long = `<p>${'word '.repeat(60)}</p>`;
    const description = descriptionFromContent(long)!;
    expect(description.length).toBeLessThanOrEqual(160);
    expect(description).toMatch(/^word( word)+…$/);
  });
});

describe('image dimensions', () => {
  const targets: LinkTargets = { pages: new Map(), drafts: new Set(), outputs: new Set(['images/a.png', 'images/b.svg', 'docs/c.jpg']) };
  const sizes = { 'images/a.png': [240, 160], 'images/b.svg': [400, 120], 'docs/c.jpg': [600, 200] } as const;

  it('writes the intrinsic size of local images, resolved from the page, and loads all but the first lazily', () => {
    const html = markdown('![A](../images/a.png)\n\n![B](../images/b.svg "title")\n\n![C](c.jpg)\n\n![Far](https://example.org/far.png)\n');
    expect(addImageDimensions(html, 'docs/page.md', targets, sizes)).toBe(
      '<p><img src="../images/a.png" alt="A" width="240" height="160" /></p>\n' +
        '<p><img src="../images/b.svg" alt="B" title="title" width="400" height="120" loading="lazy" /></p>\n' +
        '<p><img src="c.jpg" alt="C" width="600" height="200" loading="lazy" /></p>\n' +
        '<p><img src="https://example.org/far.png" alt="Far" loading="lazy" /></p>\n',
    );
  });

  it('keeps sizes and loading the writer gave in raw HTML', () => {
    const raw = '<img src="x.png"><img src="../images/a.png" width="10" loading="eager">';
    expect(addImageDimensions(raw, 'docs/page.md', targets, sizes)).toBe(raw);
  });
});
