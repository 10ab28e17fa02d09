/**
 * Which objects are pages: the publisher uploads every other object first, so that a new page never names an asset
 * that is not there yet (apply, the early uploads, a rollback's restores), and the publish page lists them apart.
 */
export const isPage = (key: string): boolean => /\.html?$/i.test(key);
