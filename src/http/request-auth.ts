import type { IncomingMessage } from 'node:http';
import { basicAuthVerifier } from './basic-auth.js';
import { matchesSecret, sha256 } from './constant-time.js';

/** Who may read the metrics: basic auth users (bcrypt hashes) and/or bearer tokens. */
export interface RequestAuthOptions {
  /** User name → bcrypt hash (exporter-toolkit's `basic_auth_users`). */
  readonly basicAuthUsers?: Readonly<Record<string, string>>;
  /** Tokens accepted in `Authorization: Bearer <token>`. */
  readonly bearerTokens?: readonly string[];
}

/** Checks a request's `Authorization` header; `undefined` when no auth is configured. */
export interface RequestAuth {
  /** Whether the request carries credentials this server accepts. */
  allows(req: IncomingMessage): Promise<boolean>;
  /** The `WWW-Authenticate` challenges of a `401`. */
  readonly challenges: readonly string[];
  /** Resolves once the libraries the check needs are loaded (rejects when one is missing). */
  ready(): Promise<void>;
}

const REALM = 'realm="promkit", charset="UTF-8"';

/** The check for `options`, or `undefined` when it asks for none. */
export function requestAuth(options: RequestAuthOptions): RequestAuth | undefined {
  const users = options.basicAuthUsers !== undefined && Object.keys(options.basicAuthUsers).length > 0 ? basicAuthVerifier(options.basicAuthUsers) : undefined;
  const tokens = (options.bearerTokens ?? []).map(sha256);
  if (users === undefined && tokens.length === 0) return undefined;
  return {
    ready: async () => users?.ready(),
    challenges: [...(users === undefined ? [] : [`Basic ${REALM}`]), ...(tokens.length === 0 ? [] : [`Bearer ${REALM}`])],
    async allows(req) {
      const header = req.headers.authorization ?? '';
      const space = header.indexOf(' ');
      const scheme = header.slice(0, space).toLowerCase();
      const credentials = header.slice(space + 1).trim();
      if (scheme === 'bearer' && tokens.length > 0) return matchesSecret(credentials, tokens);
      if (scheme === 'basic' && users !== undefined) {
        const decoded = Buffer.from(credentials, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        return colon >= 0 && users.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
      }
      return false;
    },
  };
}
