import type { ServerResponse } from 'node:http';

/**
 * Answers with a whole body and its length, never cached. (For a HEAD request Node sends
 * the headers only.)
 */
export function sendBody(res: ServerResponse, status: number, contentType: string, body: Buffer, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(body.length), 'Cache-Control': 'no-store' });
  res.end(body);
}

/** Answers with a one-line plain-text message. */
export function sendPlain(res: ServerResponse, status: number, message: string, headers: Record<string, string | string[]> = {}): void {
  sendBody(res, status, 'text/plain; charset=utf-8', Buffer.from(`${message}\n`), headers);
}
