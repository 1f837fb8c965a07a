import type { Server, ServerResponse } from 'node:http';

/** Closes a server within a grace period; see {@link gracefulCloser}. */
export interface GracefulCloser {
  /** To be called with every response the server starts, so that its connection closes once it is answered. */
  track(res: ServerResponse): void;
  /** Closes the server; `gracePeriod` `0` destroys open connections at once. */
  close(gracePeriod: number): Promise<void>;
}

/**
 * Closing `server` within a grace period: it stops listening, idle keep-alive connections
 * close at once, a response in flight may finish (its connection closes as soon as it
 * does), and whatever is still open when the grace period ends is destroyed.
 */
export function gracefulCloser(server: Server): GracefulCloser {
  let closing: Promise<void> | undefined;
  const inFlight = new Set<ServerResponse>();
  const endKeepAlive = (res: ServerResponse): void => {
    // Before the headers go out this makes them say `Connection: close`; after, the
    // socket is closed as soon as it turns idle (after `finish` has run its listeners).
    if (!res.headersSent) res.shouldKeepAlive = false;
    else res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  return {
    track(res) {
      if (closing !== undefined) {
        res.shouldKeepAlive = false;
        return;
      }
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
    },
    close(gracePeriod) {
      closing ??= new Promise<void>((resolve, reject) => {
        const grace = gracePeriod > 0 ? setTimeout(() => server.closeAllConnections(), gracePeriod) : undefined;
        server.close((error) => {
          clearTimeout(grace);
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeIdleConnections();
        for (const res of inFlight) endKeepAlive(res);
        if (gracePeriod === 0) server.closeAllConnections();
      });
      return closing;
    },
  };
}
