/**
 * The text micromark renders for a page written for another generator: TOML and JSON front matter blanked out
 * (micromark only knows YAML's; its lines stay, so line numbers stay the file's), and the template tags fleuron
 * does not run replaced (see template-tags.ts). A page with neither is returned as it is, unscanned.
 */
import { frontMatterBlock } from '../load/front-matter-block.js';
import { findTemplateTags, mayHaveTemplateTags, replaceTemplateTags } from '../load/template-tags.js';

export function markdownSource(text: string): string {
  let result = text;
  const block = frontMatterBlock(text);
  let bodyStart = block?.bodyStart ?? 0;
  if (block && block.format !== 'yaml') {
    const blanked = block.text.replace(/[^\n]/g, '');
    result = blanked + text.slice(block.text.length);
    bodyStart -= block.text.length - blanked.length;
  }
  if (!mayHaveTemplateTags(result)) return result;
  return replaceTemplateTags(result, findTemplateTags(result).filter((tag) => tag.start >= bodyStart));
}
