/**
 * The text micromark renders for a page written for another generator: the template tags fleuron does not run
 * replaced (see template-tags.ts), in the body only. Front matter of any format is left as it is: renderMarkdown
 * blanks the lines above the body the loader found (front-matter-block.ts is the one detector). A page without
 * template tags is returned as it is, unscanned.
 */
import { frontMatterBlock } from '../load/front-matter-block.js';
import { findTemplateTags, mayHaveTemplateTags, replaceTemplateTags } from '../load/template-tags.js';

export function markdownSource(text: string): string {
  if (!mayHaveTemplateTags(text)) return text;
  const bodyStart = frontMatterBlock(text)?.bodyStart ?? 0;
  return replaceTemplateTags(text, findTemplateTags(text).filter((tag) => tag.start >= bodyStart));
}
