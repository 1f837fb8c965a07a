import { readFile } from 'node:fs/promises';
import { UnknownOptionError, WebConfigError } from './http-errors.js';
import { frozenCopy } from '../model/frozen-copy.js';

/**
 * Prometheus exporter-toolkit's web configuration (`--web.config.file`), as its YAML
 * file spells it, so that an ops team's existing file works unchanged. Keys promkit does
 * not support are refused by {@link loadWebConfig}, never ignored.
 */
export interface WebConfig {
  /** TLS; the server speaks HTTPS when `cert_file` (or `cert`) is set. */
  readonly tls_server_config?: TlsServerConfig;
  /** Response headers and protocol. */
  readonly http_server_config?: HttpServerConfig;
  /** User name → bcrypt hash of the password (`htpasswd -nBC 10 user`). */
  readonly basic_auth_users?: Readonly<Record<string, string>>;
}

/** `tls_server_config` of a {@link WebConfig}. */
export interface TlsServerConfig {
  /** Path of the server certificate (PEM, the chain after it). Re-read when the file changes. */
  readonly cert_file?: string;
  /** Path of the server key (PEM). Re-read when the file changes. */
  readonly key_file?: string;
  /** The certificate itself, instead of `cert_file`. */
  readonly cert?: string;
  /** The key itself, instead of `key_file`. */
  readonly key?: string;
  /** `NoClientCert` (default), `RequestClientCert`, `RequireAnyClientCert`, `VerifyClientCertIfGiven`, `RequireAndVerifyClientCert`. */
  readonly client_auth_type?: ClientAuthType;
  /** CA certificates (PEM) client certificates are verified against (mTLS). */
  readonly client_ca_file?: string;
  /** When given, a verified client certificate must carry one of these subject alternative names. */
  readonly client_allowed_sans?: readonly string[];
  /** Lowest TLS version: `TLS10`, `TLS11`, `TLS12` (default), `TLS13`. */
  readonly min_version?: TlsVersionName;
  /** Highest TLS version (default: the highest Node offers). */
  readonly max_version?: TlsVersionName;
  /** Whether the server's cipher order wins. */
  readonly prefer_server_cipher_suites?: boolean;
}

/** `http_server_config` of a {@link WebConfig}. */
export interface HttpServerConfig {
  /** Security headers added to every response (the names exporter-toolkit allows). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Accepted for compatibility; promkit answers HTTP/1.1 (a scraper asking for h2 falls back). */
  readonly http2?: boolean;
}

/** How client certificates are asked for and checked (Go's `tls.ClientAuthType` names). */
export type ClientAuthType = 'NoClientCert' | 'RequestClientCert' | 'RequireAnyClientCert' | 'VerifyClientCertIfGiven' | 'RequireAndVerifyClientCert';

/** exporter-toolkit's TLS version names. */
export type TlsVersionName = 'TLS10' | 'TLS11' | 'TLS12' | 'TLS13';

const TOP_KEYS = ['tls_server_config', 'http_server_config', 'basic_auth_users'];
const TLS_KEYS = ['cert_file', 'key_file', 'cert', 'key', 'client_auth_type', 'client_ca_file', 'client_allowed_sans', 'min_version', 'max_version', 'prefer_server_cipher_suites'];
const HTTP_KEYS = ['headers', 'http2'];
/** exporter-toolkit keys promkit knows but does not implement: refused with a reason. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  cipher_suites: 'Go cipher suite names have no exact OpenSSL equivalent; leave the choice to Node (drop the key)',
  curve_preferences: 'curve preferences are not configurable here (drop the key)',
  client_ca: 'give the client CA as client_ca_file',
  rate_limit: 'rate limiting is not supported; use maxScrapesInFlight',
};
const CLIENT_AUTH_TYPES: readonly ClientAuthType[] = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'];
const TLS_VERSIONS: readonly TlsVersionName[] = ['TLS10', 'TLS11', 'TLS12', 'TLS13'];
/** The headers exporter-toolkit lets a web config set. */
const ALLOWED_HEADERS = ['Strict-Transport-Security', 'X-Content-Type-Options', 'X-Frame-Options', 'X-XSS-Protection', 'Content-Security-Policy'];
const BCRYPT_HASH = /^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$/;

/**
 * Reads and checks a web configuration file (YAML, exporter-toolkit's format). Needs the
 * optional `yaml` package, loaded only here. Relative paths inside the file are taken
 * relative to the file, as exporter-toolkit does.
 *
 * @throws {@link WebConfigError} when the file cannot be read or parsed, or a value is wrong;
 *   {@link UnknownOptionError} for a key exporter-toolkit does not have either.
 */
export async function loadWebConfig(file: string): Promise<WebConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new WebConfigError(file, `cannot be read: ${(error as Error).message}`);
  }
  let yaml: typeof import('yaml');
  try {
    yaml = await import('yaml');
  } catch {
    throw new WebConfigError(file, 'reading it needs the optional "yaml" package: npm install yaml');
  }
  let parsed: unknown;
  try {
    parsed = yaml.parse(text);
  } catch (error) {
    throw new WebConfigError(file, `is not valid YAML: ${(error as Error).message}`);
  }
  return checkWebConfig(parsed ?? {}, file);
}

/**
 * Checks a web configuration given as an object (or parsed from a file), resolving the
 * file paths in it against the directory of `file` when given.
 */
export function checkWebConfig(config: unknown, file?: string): WebConfig {
  const where = file === undefined ? 'web config' : `web config ${file}`;
  const top = objectAt(config, where, file);
  rejectKeys(top, TOP_KEYS, where);
  const tls = top.tls_server_config === undefined || top.tls_server_config === null ? undefined : checkTls(objectAt(top.tls_server_config, `${where} tls_server_config`, file), where, file);
  const http = top.http_server_config === undefined || top.http_server_config === null ? undefined : checkHttp(objectAt(top.http_server_config, `${where} http_server_config`, file), where, file);
  const users = top.basic_auth_users === undefined || top.basic_auth_users === null ? undefined : checkUsers(objectAt(top.basic_auth_users, `${where} basic_auth_users`, file), file);
  return { ...(tls === undefined ? {} : { tls_server_config: tls }), ...(http === undefined ? {} : { http_server_config: http }), ...(users === undefined ? {} : { basic_auth_users: users }) };
}

function objectAt(value: unknown, where: string, file: string | undefined): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WebConfigError(file, `${where} must be a mapping`);
  return value as Record<string, unknown>;
}

function rejectKeys(section: Record<string, unknown>, known: readonly string[], where: string, file?: string): void {
  for (const key of Object.keys(section)) {
    const reason = UNSUPPORTED[key];
    if (reason !== undefined) throw new WebConfigError(file, `${where}: "${key}" is not supported: ${reason}`);
    if (!known.includes(key)) throw new UnknownOptionError(where, key, known);
  }
}

function stringAt(section: Record<string, unknown>, key: string, file: string | undefined): string | undefined {
  const value = section[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new WebConfigError(file, `${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function pathAt(section: Record<string, unknown>, key: string, file: string | undefined): string | undefined {
  const value = stringAt(section, key, file);
  if (value === undefined || file === undefined || value.startsWith('/')) return value;
  return `${file.slice(0, file.lastIndexOf('/') + 1) || './'}${value}`;
}

function checkTls(section: Record<string, unknown>, where: string, file: string | undefined): TlsServerConfig | undefined {
  rejectKeys(section, TLS_KEYS, `${where} tls_server_config`, file);
  const certFile = pathAt(section, 'cert_file', file);
  const keyFile = pathAt(section, 'key_file', file);
  const cert = stringAt(section, 'cert', file);
  const key = stringAt(section, 'key', file);
  const hasCert = certFile !== undefined || cert !== undefined;
  const hasKey = keyFile !== undefined || key !== undefined;
  if (certFile !== undefined && cert !== undefined) throw new WebConfigError(file, 'tls_server_config: give cert_file or cert, not both');
  if (keyFile !== undefined && key !== undefined) throw new WebConfigError(file, 'tls_server_config: give key_file or key, not both');
  if (hasCert !== hasKey) throw new WebConfigError(file, `tls_server_config: ${hasCert ? 'a key (key_file)' : 'a certificate (cert_file)'} is missing`);
  const clientAuth = stringAt(section, 'client_auth_type', file) ?? 'NoClientCert';
  if (!CLIENT_AUTH_TYPES.includes(clientAuth as ClientAuthType)) throw new WebConfigError(file, `client_auth_type ${JSON.stringify(clientAuth)} is not one of ${CLIENT_AUTH_TYPES.join(', ')}`);
  const clientCa = pathAt(section, 'client_ca_file', file);
  if ((clientAuth === 'VerifyClientCertIfGiven' || clientAuth === 'RequireAndVerifyClientCert') && clientCa === undefined) {
    throw new WebConfigError(file, `client_auth_type ${clientAuth} needs client_ca_file`);
  }
  if (clientCa !== undefined && clientAuth === 'NoClientCert') throw new WebConfigError(file, 'client_ca_file is set but client_auth_type is NoClientCert: say which client certificates to require');
  // Copied before it is checked: the server keeps what was checked, not the caller's list.
  const givenSans = section.client_allowed_sans;
  const sans: unknown = frozenCopy(givenSans as readonly unknown[] | undefined);
  if (sans !== undefined && sans !== null && (!Array.isArray(sans) || !sans.every((s) => typeof s === 'string'))) throw new WebConfigError(file, 'client_allowed_sans must be a list of strings');
  const versions: Partial<Record<'min_version' | 'max_version', TlsVersionName>> = {};
  for (const key of ['min_version', 'max_version'] as const) {
    const value = stringAt(section, key, file);
    if (value !== undefined && !TLS_VERSIONS.includes(value as TlsVersionName)) throw new WebConfigError(file, `${key} ${JSON.stringify(value)} is not one of ${TLS_VERSIONS.join(', ')}`);
    if (value !== undefined) versions[key] = value as TlsVersionName;
  }
  const prefer = section.prefer_server_cipher_suites;
  if (prefer !== undefined && prefer !== null && typeof prefer !== 'boolean') throw new WebConfigError(file, 'prefer_server_cipher_suites must be true or false');
  if (!hasCert) {
    // exporter-toolkit serves plain HTTP when no certificate is configured; a client CA
    // or auth type without one would be silently meaningless.
    if (clientCa !== undefined) throw new WebConfigError(file, 'tls_server_config has client_ca_file but no certificate');
    return undefined;
  }
  return {
    ...(certFile === undefined ? { cert } : { cert_file: certFile }),
    ...(keyFile === undefined ? { key } : { key_file: keyFile }),
    client_auth_type: clientAuth as ClientAuthType,
    ...(clientCa === undefined ? {} : { client_ca_file: clientCa }),
    ...(Array.isArray(sans) && sans.length > 0 ? { client_allowed_sans: sans as readonly string[] } : {}),
    ...versions,
    ...(typeof prefer === 'boolean' ? { prefer_server_cipher_suites: prefer } : {}),
  };
}

function checkHttp(section: Record<string, unknown>, where: string, file: string | undefined): HttpServerConfig {
  rejectKeys(section, HTTP_KEYS, `${where} http_server_config`, file);
  const headers: Record<string, string> = {};
  if (section.headers !== undefined && section.headers !== null) {
    for (const [name, value] of Object.entries(objectAt(section.headers, 'http_server_config headers', file))) {
      const allowed = ALLOWED_HEADERS.find((h) => h.toLowerCase() === name.toLowerCase());
      if (allowed === undefined) throw new WebConfigError(file, `header ${JSON.stringify(name)} may not be set; allowed: ${ALLOWED_HEADERS.join(', ')}`);
      if (typeof value !== 'string' || /[\r\n]/.test(value)) throw new WebConfigError(file, `header ${name} must be a one-line string`);
      headers[allowed] = value;
    }
  }
  const http2 = section.http2;
  if (http2 !== undefined && http2 !== null && typeof http2 !== 'boolean') throw new WebConfigError(file, 'http2 must be true or false');
  return { headers, ...(typeof http2 === 'boolean' ? { http2 } : {}) };
}

function checkUsers(section: Record<string, unknown>, file: string | undefined): Record<string, string> {
  const users: Record<string, string> = {};
  for (const [user, hash] of Object.entries(section)) {
    if (user.includes(':')) throw new WebConfigError(file, `basic_auth_users: user ${JSON.stringify(user)} may not contain ":"`);
    if (typeof hash !== 'string' || !BCRYPT_HASH.test(hash)) throw new WebConfigError(file, `basic_auth_users: the password of ${JSON.stringify(user)} must be a bcrypt hash ($2y$10$...), as htpasswd -nBC 10 makes`);
    users[user] = hash;
  }
  return users;
}
