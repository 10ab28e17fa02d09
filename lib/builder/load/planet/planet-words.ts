/** The planet pages' own words in the site language (French and English; others fall back to English). */

export interface PlanetWords {
  title: string;
  members: string;
  membersIntro: string;
  newer: string;
  older: string;
  /** `{n}` and `{total}` are replaced. */
  pageOf: string;
  by: string;
  feed: string;
  site: string;
  entries: string;
  /** One entry: `1 post`. */
  entry: string;
  subscriptions: string;
  planetFeed: string;
  readMore: string;
  noEntries: string;
}

const WORDS: Record<'fr' | 'en', PlanetWords> = {
  fr: {
    title: 'Planète',
    members: 'Membres',
    membersIntro: 'Les blogs dont cette planète rassemble les articles :',
    newer: 'Articles plus récents',
    older: 'Articles plus anciens',
    pageOf: 'Page {n} sur {total}',
    by: 'par',
    feed: 'flux',
    site: 'site',
    entries: 'articles',
    entry: 'article',
    subscriptions: 'Abonnements (OPML)',
    planetFeed: 'Flux Atom de la planète',
    readMore: 'Lire la suite',
    noEntries: 'Aucun article pour le moment.',
  },
  en: {
    title: 'Planet',
    members: 'Members',
    membersIntro: 'The blogs whose posts this planet gathers:',
    newer: 'Newer posts',
    older: 'Older posts',
    pageOf: 'Page {n} of {total}',
    by: 'by',
    feed: 'feed',
    site: 'site',
    entries: 'posts',
    entry: 'post',
    subscriptions: 'Subscriptions (OPML)',
    planetFeed: 'Atom feed of the planet',
    readMore: 'Read more',
    noEntries: 'No posts yet.',
  },
};

export function planetWordsFor(language: string): PlanetWords {
  return language.toLowerCase().split('-')[0] === 'fr' ? WORDS.fr : WORDS.en;
}
