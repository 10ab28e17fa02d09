/**
 * Optional server-side syntax highlighting of fenced code blocks (`markdown.highlight`): highlight.js's core with
 * the languages of typical documentation, as CSS classes (`hljs-keyword` …) styled by the theme's highlight.css.
 * Pages carry no JavaScript. A block in a language not listed here stays as it is.
 */
import { createRequire } from 'node:module';
import type { HLJSApi, LanguageFn } from 'highlight.js';
import { decodeEntities } from './html-text.js';

/** highlight.js language modules to register; their own aliases (`sh`, `js`, `yml`, `html`, `toml` …) come along. */
export const HIGHLIGHT_LANGUAGES = [
  'bash', 'shell', 'javascript', 'typescript', 'json', 'yaml', 'ini', 'python', 'rust', 'go', 'xml', 'css', 'markdown', 'diff', 'sql', 'dockerfile', 'nginx',
] as const;

let highlighter: HLJSApi | undefined;

/** Loaded on first use: a site without `markdown.highlight` never loads highlight.js. */
function loadHighlighter(): HLJSApi {
  if (highlighter) return highlighter;
  const require = createRequire(import.meta.url);
  const core = require('highlight.js/lib/core') as HLJSApi;
  for (const language of HIGHLIGHT_LANGUAGES) core.registerLanguage(language, require(`highlight.js/lib/languages/${language}`) as LanguageFn);
  highlighter = core;
  return core;
}

const CODE_BLOCK = /<pre><code class="language-([^"\s]+)">([\s\S]*?)<\/code><\/pre>/g;

/** The HTML with each fenced code block of a known language highlighted. */
export function highlightCode(html: string): string {
  if (!html.includes('<pre><code class="language-')) return html;
  const hljs = loadHighlighter();
  return html.replace(CODE_BLOCK, (whole, language: string, escaped: string) => {
    if (!hljs.getLanguage(language)) return whole;
    const { value } = hljs.highlight(decodeEntities(escaped), { language, ignoreIllegals: true });
    return `<pre><code class="hljs language-${language}">${value}</code></pre>`;
  });
}
