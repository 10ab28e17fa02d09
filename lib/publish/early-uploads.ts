/**
 * Uploads made while the folder's scan still runs, under the lock taken early (early-lock.ts): a file hashed that
 * differs from its listed object goes up at once instead of after the scan and the plan. In a fresh clone (every
 * file read again) the hashing is most of a publish's time, and the uploads of what changed can run beside it: their
 * round trips hide behind the hashing (on a machine that also runs the server, that server's work for them takes the
 * cores the hashing needs instead: README, "Where the rest goes").
 *
 * The order of apply.ts holds: no page goes up before every changed asset is up. The scan hashes the pages to read
 * last (scan-local.ts) and tells when every other file is hashed; pages that differ are held until then, and until
 * each asset upload started meanwhile has succeeded. One failure stops the early uploads: apply reports it, as its
 * own, and deletes nothing. The apply that follows the plan takes over: it waits for the uploads started here
 * (uploadOf), and makes those that were only waiting itself (stop).
 */
import { ExitCode, FleuronError } from '../errors/fleuron-error.js';
import { fileDiffers } from './early-lock.js';
import type { FileFeed } from './file-feed.js';
import { isPage } from './page-keys.js';
import type { RemoteScan } from './scan-remote.js';
import type { LocalFile, Manifest } from './types.js';

/**
 * At most this many uploads start during the scan; apply makes the others after it. The early uploads are for the
 * changes a publish usually carries (a fresh clone's 1 %, a member's edits). A first publish of 100,000 files that
 * uploaded all it could during its scan (Ceph, 64 at a time, Node 20) scanned for ~30 s instead of under 10 (the
 * uploads' callbacks and the server's work took the cores the hashing needs) and took 182 s in all, against 164 s
 * uploading after the scan.
 */
export const MAX_EARLY_UPLOADS = 500;

export interface EarlyUploadInputs {
  files: FileFeed;
  /** The lock being taken: nothing goes up before it is held; rejected, nothing goes up. */
  lock: Promise<unknown>;
  /** The listing and the manifest the files are compared with (as the plan compares them). */
  remote: Promise<{ listing: RemoteScan; manifest: Manifest }>;
  /** Uploads one file, resolving to the ETag the server gave it (apply.ts's uploadObject). */
  upload: (file: LocalFile) => Promise<string>;
  /** At most this many at once (the publish's concurrency). */
  concurrency: number;
  /** At most this many in all (default MAX_EARLY_UPLOADS). */
  limit?: number;
}

export class EarlyUploads {
  /** Every upload started, by key: the file sent and the ETag to come. */
  readonly #started = new Map<string, { file: LocalFile; etag: Promise<string> }>();
  /** Files hashed before the lock was held and the listing in: judged once both are. */
  #unjudged: LocalFile[] | undefined = [];
  #differs: ((file: LocalFile) => boolean) | undefined;
  /** Files to upload, in the order found, from `#next` on. */
  readonly #ready: LocalFile[] = [];
  #next = 0;
  /** Changed pages, held until every changed asset is up. */
  readonly #pages: LocalFile[] = [];
  /** Changed assets not yet up (waiting or uploading). */
  #assetsOpen = 0;
  #assetsHashed = false;
  #pagesOpen = false;
  #running = 0;
  #stopped = false;
  #failed = false;
  readonly #stopListening: () => void;

  constructor(private readonly inputs: EarlyUploadInputs) {
    this.#stopListening = inputs.files.listen((file) => (this.#differs ? this.#take(file) : this.#unjudged?.push(file)));
    Promise.all([inputs.lock, inputs.remote]).then(
      ([, { listing, manifest }]) => {
        if (this.#stopped) return; // the publish ended first (a failure): the files it held are gone
        this.#differs = (file) => fileDiffers(file, listing.objects, manifest);
        for (const file of this.#unjudged!) this.#take(file);
        this.#unjudged = undefined;
        this.#openPages();
        this.#pump();
      },
      () => this.stop(),
    );
    void inputs.files.assetsHashed.then(() => {
      this.#assetsHashed = true;
      this.#openPages();
    });
  }

  /** No new upload starts (apply takes over, or the publish failed); those running go on (see settled). */
  stop(): void {
    this.#stopped = true;
    this.#unjudged = undefined;
    this.#stopListening();
  }

  /** The upload of this very file started here, if one did: its ETag, or its failure. */
  uploadOf(file: LocalFile): Promise<string> | undefined {
    const started = this.#started.get(file.key);
    return started?.file === file ? started.etag : undefined;
  }

  /** Once every upload started here has ended: how many succeeded (for a failure's report). */
  async settled(): Promise<number> {
    const outcomes = await Promise.allSettled([...this.#started.values()].map((started) => started.etag));
    return outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
  }

  #take(file: LocalFile): void {
    if (this.#stopped || !this.#differs!(file)) return;
    if (!isPage(file.key)) {
      this.#assetsOpen += 1;
      this.#ready.push(file);
    } else if (this.#pagesOpen) this.#ready.push(file);
    else this.#pages.push(file);
    this.#pump();
  }

  /** Pages go once every file but the pages is hashed, judged, and up. */
  #openPages(): void {
    if (this.#pagesOpen || !this.#assetsHashed || !this.#differs || this.#assetsOpen > 0 || this.#failed) return;
    this.#pagesOpen = true;
    this.#ready.push(...this.#pages.splice(0));
    this.#pump();
  }

  #pump(): void {
    const limit = this.inputs.limit ?? MAX_EARLY_UPLOADS;
    while (!this.#stopped && !this.#failed && this.#running < this.inputs.concurrency && this.#next < this.#ready.length) {
      if (this.#started.size >= limit) return this.stop(); // the rest is apply's

      const file = this.#ready[this.#next]!;
      this.#ready[this.#next++] = undefined!; // not held once started
      this.#start(file);
    }
  }

  #start(file: LocalFile): void {
    this.#running += 1;
    const etag = this.inputs.upload(file);
    this.#started.set(file.key, { file, etag });
    etag.then(
      () => {
        this.#running -= 1;
        if (!isPage(file.key)) this.#assetsOpen -= 1;
        this.#openPages();
        this.#pump();
      },
      () => {
        this.#running -= 1;
        this.#failed = true; // apply reports it when it asks for this file's upload
      },
    );
  }
}

/**
 * Pure: an error that ended a publish after `uploaded` files went up during the scan, saying so: one that would say
 * nothing was published or changed says what was, and that nothing was deleted (deletes come last, after the plan).
 * Its exit code is then 1 (the publish failed, run it again to finish), never 2, which promises nothing changed.
 */
export function withEarlyUploadsSaid(error: FleuronError, uploaded: number): FleuronError {
  if (uploaded === 0) return error;
  const unsaid = (text: string) => text.replace(/;?\s*nothing was (?:published|changed)/, '');
  const said = `${uploaded} changed ${uploaded === 1 ? 'file was' : 'files were'} uploaded before this, and nothing was deleted: once it is fixed, run the same command again`;
  return new FleuronError(error.code, unsaid(error.message), { hint: error.hint ? `${unsaid(error.hint)}; ${said}` : said, exitCode: ExitCode.failed, cause: error.cause ?? error });
}
