/**
 * Writes the intrinsic size of local images into their `<img>` (so the page does not jump when they arrive on a
 * slow line) and `loading="lazy"` on every image after the first of a page (the first is likely on the first screen).
 */
import { decodeEntities } from './html-text.js';
import { resolveLink, type LinkTargets } from './links.js';

import type { ImageSizes } from '../load/image-sizes.js';

export type { ImageSizes };

const IMG = /<img\b([^>]*?)(\s*\/?)>/gi;
const SRC = /\ssrc="([^"]*)"/i;

/** `html` as micromark wrote it (image sources still as in the Markdown, relative to `sourcePath`). */
export function addImageDimensions(html: string, sourcePath: string, targets: LinkTargets, sizes: ImageSizes): string {
  let seen = 0;
  return html.replace(IMG, (whole, attributes: string, end: string) => {
    const first = seen++ === 0;
    let added = '';
    const src = SRC.exec(attributes)?.[1];
    if (src !== undefined && !/\swidth=/i.test(attributes) && !/\sheight=/i.test(attributes)) {
      const resolution = resolveLink(decodeEntities(src), sourcePath, targets);
      const size = resolution.kind === 'internal' ? sizes[resolution.targetOutput] : undefined;
      if (size) added += ` width="${size[0]}" height="${size[1]}"`;
    }
    if (!first && !/\sloading=/i.test(attributes)) added += ' loading="lazy"';
    return added === '' ? whole : `<img${attributes}${added}${end}>`;
  });
}
