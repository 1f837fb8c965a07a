import { negotiateFormat, prepareScrape, type ScrapeChunk, type ScrapeOptions, type ScrapeSource } from '../exposition/index.js';

/** One scrape's body for one request: its content type and its pieces. */
export interface ScrapeBody {
  readonly contentType: string;
  readonly chunks: Iterator<ScrapeChunk>;
}

interface Pending {
  /** Requests waiting on this collection and still connected. */
  waiting: number;
  /** Requests that joined, connected or not (each gets a reader). */
  joined: number;
  readonly controller: AbortController;
  readonly body: Promise<() => Iterator<ScrapeChunk>>;
  readonly contentType: Promise<string>;
}

/**
 * Concurrent scrapes asking for the same format and `name[]` selection share one
 * collection and one encoding: a request that arrives while a collection for its key is
 * under way joins it, and every request of that collection reads the same encoded pieces
 * (one copy of the body in memory, kept until the slowest reader has it). The
 * collection is aborted only when every request waiting on it has hung up. A scrape
 * nobody joined streams as before, holding nothing.
 */
export class SharedScrapes {
  private readonly pending = new Map<string, Pending>();

  /** With `share` false, every request collects for itself. */
  constructor(
    private readonly source: ScrapeSource,
    private readonly share = true,
  ) {}

  /** The body for one request; `signal` aborts when that request's scraper hangs up. */
  async scrape(options: ScrapeOptions & { readonly names?: readonly string[] }, signal: AbortSignal): Promise<ScrapeBody> {
    const key = `${negotiateFormat(options.accept)}\u0000${(options.names ?? []).join('\u0000')}`;
    const entry = (this.share ? this.pending.get(key) : undefined) ?? this.start(key, options);
    entry.waiting++;
    entry.joined++;
    const onAbort = (): void => {
      if (--entry.waiting === 0) entry.controller.abort(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const [reader, contentType] = await Promise.all([entry.body, entry.contentType]);
      return { contentType, chunks: reader() };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private start(key: string, options: ScrapeOptions): Pending {
    const controller = new AbortController();
    const prepared = prepareScrape(this.source, { ...options, signal: controller.signal });
    const entry: Pending = {
      waiting: 0,
      joined: 0,
      controller,
      contentType: prepared.then((p) => p.contentType),
      body: prepared.then(
        (p) => {
          // Runs before any joined request resumes: no one can join from here on, so
          // the number of readers is known.
          this.pending.delete(key);
          return entry.joined === 1 ? () => p.chunks() : teeChunks(p.chunks());
        },
        (error: unknown) => {
          this.pending.delete(key);
          throw error;
        },
      ),
    };
    entry.contentType.catch(() => undefined);
    if (this.share) this.pending.set(key, entry);
    return entry;
  }
}

/** Readers of one generator: each sees every piece; a piece is encoded once, when the fastest reader first asks for it. */
function teeChunks(source: Iterator<ScrapeChunk>): () => Iterator<ScrapeChunk> {
  const pieces: ScrapeChunk[] = [];
  let done = false;
  return () => {
    let position = 0;
    return {
      next(): IteratorResult<ScrapeChunk, undefined> {
        if (position === pieces.length && !done) {
          const next = source.next();
          if (next.done === true) done = true;
          else pieces.push(next.value);
        }
        return position < pieces.length ? { done: false, value: pieces[position++] } : { done: true, value: undefined };
      },
    };
  };
}
