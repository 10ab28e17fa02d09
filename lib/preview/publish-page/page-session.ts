/**
 * The publish page's state across requests — its form token, the secrets it has seen, the notice to show once, the
 * job running — and the I/O every handler shares: reading the settings, answering with a page or a redirect.
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { loadSiteConfig } from '../../builder/load/site-config.js';
import type { PublishSettings } from '../../config/publish-settings.js';
import { refusalPageHtml, type JobProgress, type JobResult, type Notice } from './page-html.js';
import type { PublishRun } from './publish-target.js';
import { makePageToken } from './request-guard.js';
import type { ArchivedSettings, PublishTargetSource } from './target-source.js';

// The library calls bring the S3 SDK: loaded when the page first needs them, not when the preview starts.
const library = () => import('./publish-target.js');
export const runPublish = async (run: PublishRun) => (await library()).runPublish(run);
export const testConnection = async (settings: PublishSettings, bucket: string) => (await library()).testConnection(settings, bucket);
export const readHistory = async (settings: ArchivedSettings, bucket: string) => (await library()).readHistory(settings, bucket);
export const runRollback = async (settings: ArchivedSettings, bucket: string, deployId: string, dryRun: boolean) => (await library()).runRollback(settings, bucket, deployId, dryRun);

/** What the page needs from the running preview. */
export interface PreviewBuildAccess {
  sourceDir: string;
  /** The folder the preview builds into: what it serves is what gets published. */
  builtDir: string;
  drafts: boolean;
  /** The build served now. */
  version(): number;
  /** Set while the last rebuild failed (the folder may be half written). */
  lastBuildError(): Error | undefined;
  /** Runs `task` while no build runs (and none starts): a publish reads a folder that holds still. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

/** A publish or restore started from the page; `result` is set when it ends. */
export interface Job {
  progress: JobProgress;
  result?: JobResult;
}

export class PageSession {
  /** The token every form of the page carries (see request-guard.ts). */
  readonly token = makePageToken();
  /** A one-time message for the next main page (after a redirect). */
  notice: Notice | undefined;
  job: Job | undefined;
  /** Claimed before any wait by a publish or restore, freed when it ends (or does not start). */
  busy = false;
  // Every value that must never leave the process: the secrets seen in settings or in a form.
  private readonly secrets = new Set<string>();

  constructor(
    readonly target: PublishTargetSource,
    readonly build: PreviewBuildAccess,
    readonly env: NodeJS.ProcessEnv,
    readonly log: (line: string) => void,
  ) {}

  remember(value: string | undefined): void {
    if (value && value.length >= 8) this.secrets.add(value); // shorter ones would garble words of the page
  }

  /** `text` without a secret seen so far, nor the user part of a URL. */
  scrub(text: string): string {
    let result = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s"'<>]+@/gi, '$1***@');
    for (const secret of this.secrets) result = result.split(secret).join('***');
    return result;
  }

  async readSettings(): Promise<PublishSettings> {
    const settings = await this.target.readSettings();
    this.remember(settings.credentials?.secretAccessKey);
    this.remember(settings.credentials?.sessionToken);
    return settings;
  }

  /** The site's base URL, for a link to it after a publish; none when the config cannot be read. */
  async siteUrl(): Promise<string | undefined> {
    try {
      return (await loadSiteConfig(this.build.sourceDir)).config.baseUrl;
    } catch {
      return undefined;
    }
  }

  /** The notice to show now, shown once. */
  takeNotice(): Notice | undefined {
    const shown = this.notice;
    this.notice = undefined;
    return shown;
  }

  send(response: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
    const plain = Buffer.from(this.scrub(html));
    // Gzipped when the browser takes it: the 14 KiB budget is what travels, as for the site's own pages.
    const gzip = /\bgzip\b/i.test(String(response.req.headers['accept-encoding'] ?? ''));
    const body = gzip ? gzipSync(plain) : plain;
    response.writeHead(status, {
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      Vary: 'Accept-Encoding',
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'no-store',
      // The page runs no script and loads nothing from elsewhere; no other site may frame it.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'X-Frame-Options': 'DENY',
      // Not no-referrer: with it, browsers send `Origin: null` on the page's own form posts.
      'Referrer-Policy': 'same-origin',
      ...headers,
    });
    response.end(body);
  }

  redirect(response: ServerResponse, location: string): void {
    response.writeHead(303, { Location: location, 'Content-Length': '0', 'Cache-Control': 'no-store' });
    response.end();
  }

  refuse(response: ServerResponse, status: number, title: string, line: string): void {
    this.send(response, status, refusalPageHtml(title, line));
  }
}
