/** Reads the intrinsic size of the site's images (PNG, JPEG, GIF, WebP, AVIF, SVG with width/height or a viewBox). */
import { imageSizeFromFile } from 'image-size/fromFile';
import pLimit from 'p-limit';

const IMAGE = /\.(png|jpe?g|gif|webp|avif|svg)$/i;

/** Width and height in CSS pixels, by output path of the image. */
export type ImageSizes = Readonly<Record<string, readonly [number, number]>>;

/**
 * Output path → [width, height] of every copied image whose size can be read (image-size reads only the file's
 * first bytes). An unreadable or odd image simply gets no size: the page still works, it may only jump.
 */

export async function readImageSizes(copies: ReadonlyMap<string, string>): Promise<ImageSizes> {
  const limit = pLimit(8);
  const sizes: Record<string, readonly [number, number]> = {};
  await Promise.all(
    [...copies].filter(([outputPath]) => IMAGE.test(outputPath)).map(([outputPath, file]) =>
      limit(async () => {
        try {
          const size = await imageSizeFromFile(file);
          // A JPEG turned by its EXIF orientation is shown turned by browsers.
          const turned = size.orientation !== undefined && size.orientation >= 5;
          if (size.width > 0 && size.height > 0) sizes[outputPath] = turned ? [size.height, size.width] : [size.width, size.height];
        } catch {
          // Not an image image-size knows, or unreadable: no size.
        }
      }),
    ),
  );
  // Sorted, so that the render context (hashed for the cache) does not depend on the order reads finished.
  return Object.fromEntries(Object.entries(sizes).sort(([a], [b]) => (a < b ? -1 : 1)));
}
