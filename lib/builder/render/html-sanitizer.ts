/**
 * Keeps a page's own HTML (`markdown.allowHtml: true`) free of JavaScript, as every fleuron page promises: no
 * `<script>`, no event-handler attributes, no `javascript:`, `vbscript:` or `data:text/html` URLs, no element that
 * embeds another document or rewrites the page's links. Everything else a writer may want (details, figures,
 * media, tables, inline styles) passes. sanitize-html (with htmlparser2) does the parsing and URL checks.
 */
import { createRequire } from 'node:module';
import type { IOptions } from 'sanitize-html';

type Sanitize = (html: string, options: IOptions) => string;
let sanitize: Sanitize | undefined;

/** Elements that run scripts, embed other documents (`srcdoc`, plugins) or change where the page's links go: dropped with their content. */
const DROPPED = [
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'noscript', 'template', 'portal',
  // SVG animation can set an attribute, e.g. a link's href, to a javascript: URL; SVG Tiny has script handlers.
  'animate', 'set', 'animatetransform', 'animatemotion', 'handler', 'listener',
];

/** Attributes that hold a URL: each must use an allowed scheme, or be relative. */
const URL_ATTRIBUTES = ['href', 'src', 'cite', 'action', 'formaction', 'poster', 'background', 'longdesc', 'xlink:href', 'data', 'ping', 'manifest', 'srcset'];

const OPTIONS: IOptions = {
  // Every element but the dropped ones, every attribute but event handlers (removed in transformTags).
  allowedTags: false,
  allowedAttributes: false,
  disallowedTagsMode: 'discard',
  allowedSchemes: ['http', 'https', 'mailto', 'tel', 'ftp', 'sms', 'geo', 'xmpp'],
  // Images may be inline data (never a document: an <img> runs no script).
  allowedSchemesByTag: { img: ['http', 'https', 'data'], source: ['http', 'https', 'data'] },
  allowedSchemesAppliedToAttributes: URL_ATTRIBUTES,
  allowProtocolRelative: true,
  allowVulnerableTags: true,
  exclusiveFilter: (frame) => DROPPED.includes(frame.tag.toLowerCase()),
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template'],
  transformTags: {
    '*': (tagName, attribs) => ({ tagName, attribs: withoutHandlers(attribs) }),
  },
  // micromark writes void elements as `<br />`; so does the rest of the page.
  selfClosing: ['img', 'br', 'hr', 'area', 'base', 'basefont', 'input', 'link', 'meta', 'wbr', 'col', 'embed', 'param', 'source', 'track'],
  parser: { lowerCaseAttributeNames: true },
};

/** `on*` attributes (`onerror`, `onclick`, …) run JavaScript; `srcdoc` holds a whole document. */
function withoutHandlers(attribs: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(attribs)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('on') || lower === 'srcdoc') continue;
    kept[name] = value;
  }
  return kept;
}

/** The page body's HTML with everything that could run JavaScript taken out. */
export function sanitizePageHtml(html: string): string {
  // Loaded on first use: only sites with allowHtml need it (sanitize-html and its parser are CommonJS).
  sanitize ??= createRequire(import.meta.url)('sanitize-html') as Sanitize;
  return sanitize(html, OPTIONS);
}
