/** The preview's public interface: `startPreview`, and the pure rules it is made of. */
export { DEFAULT_PREVIEW_DIR, DEFAULT_PREVIEW_PORT, startPreview, type BuildOutcome, type Preview, type PreviewOptions } from './preview.js';
export { startPreviewServer, type PreviewServer, type PreviewServerOptions, type ServedSite } from './preview-server.js';
export { routeRequest, pathToKey, type WebsiteRoute, type WebsiteRules } from './website-routing.js';
export { evaluatePreconditions, parseRange } from './conditional-request.js';
export { readPreviewSettings, type PreviewSettings } from './site-settings.js';
export { createPublishPage, type PublishPage, type PublishPageOptions } from './publish-page/publish-page.js';
export type { PublishTargetSource } from './publish-page/target-source.js';
