/** Where the default theme lives: `theme/` at the package root, found from this module in `lib/builder/` or `dist/builder/`. */
import { fileURLToPath } from 'node:url';

export const THEME_DIR = fileURLToPath(new URL('../../theme/', import.meta.url));
