/**
 * The spec examples fleuron renders differently from the spec, each with its reason. conformance.test.ts fails when
 * one of them starts to match (then take it off this list) as when any other example stops matching.
 */

const TAG_FILTER =
  'GFM by design: the tag filter (GFM spec "Disallowed Raw HTML") escapes <script>, <style>, <textarea> and the like even when raw HTML is allowed';
const LITERAL_AUTOLINKS = 'GFM by design: extended autolinks (GFM spec "Autolinks (extension)") link bare URLs and e-mail addresses';
const EMPTY_FRONT_MATTER = 'fleuron by design: `---` then `---` on the first lines is an empty front matter block (as Jekyll marks a page), not two thematic breaks';
const COMMENTS_0_31 = 'spec versions: the GFM spec is CommonMark 0.29; CommonMark 0.31 allows `--` inside HTML comments and `<!-->`, as micromark does';
const NO_FTP_AUTOLINK =
  'upstream by design: micromark-extension-gfm-autolink-literal links only http(s) and www. literals, as github.com does (cmark-gfm links ftp://; see github/cmark-gfm#177)';
const FOOTNOTE_MARKUP =
  'upstream by design: micromark-extension-gfm-footnote writes the footnote HTML github.com serves today (user-content- ids, data-footnote attributes, a labelled section), not cmark-gfm\'s older markup';

/** CommonMark 0.31.2 examples (npm commonmark-spec), by example number. */
export const COMMONMARK_DIFFERENCES: Record<number, string> = {
  98: EMPTY_FRONT_MATTER,
  170: TAG_FILTER,
  171: TAG_FILTER,
  172: TAG_FILTER,
  176: TAG_FILTER,
  178: TAG_FILTER,
  602: LITERAL_AUTOLINKS,
  608: LITERAL_AUTOLINKS,
  611: LITERAL_AUTOLINKS,
  612: LITERAL_AUTOLINKS,
};

/** GFM spec examples (cmark-gfm test/spec.txt), by example number. */
export const GFM_SPEC_DIFFERENCES: Record<number, string> = {
  68: EMPTY_FRONT_MATTER,
  140: TAG_FILTER,
  141: TAG_FILTER,
  145: TAG_FILTER,
  147: TAG_FILTER,
  610: LITERAL_AUTOLINKS,
  616: LITERAL_AUTOLINKS,
  619: LITERAL_AUTOLINKS,
  620: LITERAL_AUTOLINKS,
  628: NO_FTP_AUTOLINK,
  645: COMMENTS_0_31,
  646: COMMENTS_0_31,
};

/** GFM extension examples (cmark-gfm test/extensions.txt), by example number. */
export const GFM_EXTENSION_DIFFERENCES: Record<number, string> = {
  23: FOOTNOTE_MARKUP,
};
