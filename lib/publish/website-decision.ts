/**
 * Pure: what the bucket's website configuration must be for this publish, decided from the live configuration (read
 * every time, so a configuration removed by hand is noticed) and how redirects are published: as routing rules
 * (Garage 2.x) or, where the server refused them before or there are too many, as redirect objects.
 */
import { createHash } from 'node:crypto';
import { mergeRoutingRules, MAX_ROUTING_RULES, routingRulesFor, sameWebsite, type WebsiteConfig, type WebsiteState } from '../website/bucket-website.js';
import type { SiteRedirect } from '../website/redirects.js';

export type RedirectMode = 'routing rules' | 'objects';

export interface WebsiteDecisionInput {
  /** The index and error documents wanted; undefined when fleuron does not configure the website. */
  website?: WebsiteConfig;
  redirects: readonly SiteRedirect[];
  prefix: string;
  /** The bucket's configuration as read now (undefined when not configured by fleuron). */
  live?: WebsiteState;
  /** The fingerprint the last publish recorded in the manifest. */
  remembered?: string;
  /** Whether a routing rule's key prefix belongs to this site (others belong to other sites of the bucket). */
  isOurs: (keyPrefix: string) => boolean;
  force?: boolean;
}

export interface WebsiteDecision {
  mode: RedirectMode;
  /** The configuration the bucket must have; undefined when fleuron does not (or may not) configure it. */
  wanted?: WebsiteConfig;
  needsWrite: boolean;
  /** Recorded in the manifest: which mode worked, so a server that refused routing rules is not asked again. */
  fingerprint?: string;
}

export interface WebsiteOverride {
  /** The server refused routing rules. */
  mode?: RedirectMode;
  /** The key may not configure the website. */
  notPermitted?: boolean;
}

export function decideWebsite(input: WebsiteDecisionInput, override: WebsiteOverride = {}): WebsiteDecision {
  const { website, live } = input;
  const applies = website !== undefined && live !== undefined && live.kind !== 'not-permitted' && !override.notPermitted;
  const liveRules = live?.kind === 'found' ? (live.config.routingRules ?? []) : [];
  const rulesFor = (mode: RedirectMode) => mergeRoutingRules(liveRules, mode === 'routing rules' ? routingRulesFor(input.redirects, input.prefix) : [], input.isOurs);
  const fingerprintOf = (mode: RedirectMode) => createHash('sha256').update(JSON.stringify({ mode, website, redirects: input.redirects })).digest('hex').slice(0, 16);
  const fellBack = !input.force && input.remembered === fingerprintOf('objects');
  const canTryRules = website !== undefined && input.redirects.length > 0 && live?.kind !== 'not-permitted' && rulesFor('routing rules').length <= MAX_ROUTING_RULES;
  const mode: RedirectMode = override.mode ?? (canTryRules && !fellBack ? 'routing rules' : 'objects');
  if (!applies) return { mode, needsWrite: false };
  const rules = rulesFor(mode);
  const wanted: WebsiteConfig = { ...website, ...(rules.length > 0 ? { routingRules: rules } : {}) };
  if (rules.length === 0) delete wanted.routingRules;
  return { mode, wanted, needsWrite: !sameWebsite(live, wanted), fingerprint: fingerprintOf(mode) };
}
