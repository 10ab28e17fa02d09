/** The theme's own words in the site language (French and English; other languages fall back to English). */

export interface ThemeWords {
  skipLink: string;
  menu: string;
  breadcrumb: string;
  home: string;
  toc: string;
  editPage: string;
  published: string;
  updated: string;
  posts: string;
  latestPosts: string;
  feed: string;
  notFoundTitle: string;
  notFoundText: string;
  backHome: string;
  footnotes: string;
  footnoteBack: string;
  pagesInFolder: string;
  /** A listing split over several pages: the label of its page links, and the words of each link. */
  listingPages: string;
  previousPage: string;
  nextPage: string;
  pageNumber: string;
  /** Titles of GitHub's alerts (`> [!NOTE]`), see alerts.ts. */
  alerts: Record<'note' | 'tip' | 'important' | 'warning' | 'caution', string>;
  /** Labels of the scrolling regions around code blocks and tables. */
  codeBlock: string;
  table: string;
  /** A task-list checkbox's name when its item has no text. */
  taskDone: string;
  taskOpen: string;
}

const WORDS: Record<'fr' | 'en', ThemeWords> = {
  fr: {
    skipLink: 'Aller au contenu',
    menu: 'Menu principal',
    breadcrumb: "Fil d'Ariane",
    home: 'Accueil',
    toc: 'Sommaire',
    editPage: 'Modifier cette page',
    published: 'Publié le',
    updated: 'Mis à jour le',
    posts: 'Articles',
    latestPosts: 'Derniers articles',
    feed: 'Flux Atom',
    notFoundTitle: 'Page introuvable',
    notFoundText: "Cette page n'existe pas ou a été déplacée.",
    backHome: "Retour à l'accueil",
    footnotes: 'Notes',
    footnoteBack: 'Retour au texte',
    pagesInFolder: 'Pages de cette rubrique',
    listingPages: 'Pages de la liste',
    previousPage: 'Page précédente',
    nextPage: 'Page suivante',
    pageNumber: 'Page',
    alerts: { note: 'Remarque', tip: 'Astuce', important: 'Important', warning: 'Attention', caution: 'Prudence' },
    codeBlock: 'Bloc de code',
    table: 'Tableau',
    taskDone: 'Tâche faite',
    taskOpen: 'Tâche à faire',
  },
  en: {
    skipLink: 'Skip to content',
    menu: 'Main menu',
    breadcrumb: 'Breadcrumb',
    home: 'Home',
    toc: 'Contents',
    editPage: 'Edit this page',
    published: 'Published',
    updated: 'Updated',
    posts: 'Posts',
    latestPosts: 'Latest posts',
    feed: 'Atom feed',
    notFoundTitle: 'Page not found',
    notFoundText: 'This page does not exist or has moved.',
    backHome: 'Back to the home page',
    footnotes: 'Footnotes',
    footnoteBack: 'Back to the text',
    pagesInFolder: 'Pages in this section',
    listingPages: 'Pages of the list',
    previousPage: 'Previous page',
    nextPage: 'Next page',
    pageNumber: 'Page',
    alerts: { note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution' },
    codeBlock: 'Code block',
    table: 'Table',
    taskDone: 'Done',
    taskOpen: 'To do',
  },
};

/** Words for a language tag: `fr-CA` → French, `de` → English. */
export function wordsFor(language: string): ThemeWords {
  const primary = language.toLowerCase().split('-')[0];
  return primary === 'fr' ? WORDS.fr : WORDS.en;
}

/** A front-matter date as readers expect it (`5 mars 2024`), in UTC so it never depends on the machine. */
export function formatDate(date: string, language: string): string {
  let format = dateFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(language, format);
  }
  return format.format(new Date(toIsoDateTime(date)));
}

/** Making a formatter costs far more than using one; pages of a site share their language's. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** RFC 3339 date-time for feeds and sitemaps; a date alone is midnight UTC, a time without offset is UTC. */
export function toIsoDateTime(date: string): string {
  const value = date.trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00Z`;
  const withZone = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`;
  return new Date(withZone).toISOString().replace('.000Z', 'Z');
}
