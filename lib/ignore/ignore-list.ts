/**
 * Which files of a folder never reach a website: the one list the builder's copy step, the publisher's scan and the
 * preview all read, so that a file the build leaves out is never published or served either.
 */
import picomatch from 'picomatch';

/** Never published unless a pattern in `include` names them: dotfiles and dot-folders, dependencies, OS litter. */
export const DEFAULT_EXCLUDE = ['**/.*', '**/.*/**', '**/node_modules/**', '**/Thumbs.db', '**/desktop.ini'] as const;
/** Published although excluded above. */
export const DEFAULT_INCLUDE = ['.well-known/**'] as const;
/**
 * Never published, whatever `include` says: environment files (secrets), and fleuron's own state folder, whose keys
 * in the bucket are the manifest and the lock (a local `.fleuron/lock.json` would overwrite the lock).
 */
export const NEVER_PUBLISHED = ['**/.env*', '.fleuron', '.fleuron/**'] as const;

/**
 * Editor backups, autosaves, swap files, lock files and merge or patch leftovers: copies of a page that may hold
 * words its author deleted or keeps as a draft. Left out everywhere, `.well-known/` included, unless the user's
 * own `include` names them. `*.tmp` too: editors and tools write a file there before renaming it into place.
 */
export const EDITOR_LEFTOVERS = ['*~', '#*#', '.#*', '*.swp', '*.swo', '*.bak', '*.orig', '*.rej', '*.tmp'] as const;

/** What becomes of one relative path: published, left out by the default or user patterns, or left out as an editor leftover. */
export type PathVerdict = 'publish' | 'ignore' | 'leftover';

// On the file name alone, any case (`PLAN.MD.BAK` from a Windows editor is a backup too).
const isLeftoverName = picomatch([...EDITOR_LEFTOVERS], { dot: true, nocase: true });

/** Whether a relative path (`/`-separated) names an editor backup, autosave, swap file or merge leftover. */
export function isEditorLeftover(relativePath: string): boolean {
  return MAY_BE_LEFTOVER.test(relativePath) && isLeftoverName(relativePath.slice(relativePath.lastIndexOf('/') + 1));
}

/** What every name EDITOR_LEFTOVERS matches has (a file name starting with `#` or `.#`, or one of their endings): one test for most names, not nine. */
// Restates EDITOR_LEFTOVERS by hand (pinned by the same test): change both together.
const MAY_BE_LEFTOVER = /(?:^|\/)\.?#|(?:[~#]|\.(?:swp|swo|bak|orig|rej|tmp))$/i;

/**
 * The verdict on a relative path under the defaults plus the user's patterns. A leftover is reported as such only
 * when nothing else would have left it out (a backup inside `.git/` is just ignored).
 */
export function makePathClassifier(exclude: readonly string[] = [], include: readonly string[] = []): (relativePath: string) => PathVerdict {
  const excluded = picomatch([...DEFAULT_EXCLUDE, ...exclude], { dot: true });
  const includedByDefault = picomatch([...DEFAULT_INCLUDE], { dot: true });
  const includedByUser = include.length > 0 ? picomatch([...include], { dot: true }) : () => false;
  const never = picomatch([...NEVER_PUBLISHED], { dot: true });
  const defaultsOnly = exclude.length === 0 && include.length === 0;
  return (relativePath) => {
    // Most paths of a site cannot match a default pattern: only the leftover test is left (four glob tests a file
    // were a tenth of a warm publish scan's main thread).
    if (defaultsOnly && !MAY_MATCH_DEFAULTS.test(relativePath)) return isEditorLeftover(relativePath) ? 'leftover' : 'publish';
    if (never(relativePath)) return 'ignore';
    if (includedByUser(relativePath)) return 'publish';
    const published = !excluded(relativePath) || includedByDefault(relativePath);
    if (!published) return 'ignore';
    return isEditorLeftover(relativePath) ? 'leftover' : 'publish';
  };
}

/**
 * A path that DEFAULT_EXCLUDE, DEFAULT_INCLUDE or NEVER_PUBLISHED may match: a dot at the start of a name, or a name
 * they list (anywhere in the path; a backslash too, which a glob could read as an escape). A path without any of
 * these matches none of them.
 */
// Restates the lists above by hand (__tests__/ignore/path-classifier.test.ts pins them): change both together.
const MAY_MATCH_DEFAULTS = /(?:^|\/)\.|node_modules|Thumbs\.db|desktop\.ini|\\/;

/** Whether a relative path is published under the defaults plus the user's patterns. */
export function makePathFilter(exclude: readonly string[] = [], include: readonly string[] = []): (relativePath: string) => boolean {
  const classify = makePathClassifier(exclude, include);
  return (relativePath) => classify(relativePath) === 'publish';
}

/** At most this many names in the warning; the count says how many there are. */
const NAMES_SHOWN = 20;

/** The one warning a build or a publish gives for the leftovers it left out. */
export function leftoversWarning(paths: readonly string[], step: 'build' | 'publish'): string {
  const sorted = [...paths].sort();
  const shown = sorted.slice(0, NAMES_SHOWN).join(', ');
  const more = sorted.length > NAMES_SHOWN ? ` and ${sorted.length - NAMES_SHOWN} more` : '';
  return `left out ${sorted.length} editor backup, autosave or merge leftover file(s) from the ${step}: ${shown}${more} — they may hold deleted or draft text; delete them, or rename a file you mean to publish`;
}
