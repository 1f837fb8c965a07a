import { readFileSync, statSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { TLSSocket, SecureContextOptions, SecureVersion } from 'node:tls';
import { WebConfigError } from './http-errors.js';
import type { TlsServerConfig, TlsVersionName } from './web-config.js';

const VERSIONS: Readonly<Record<TlsVersionName, SecureVersion>> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/** The certificate, key and client CA files of a TLS config, read from disk whenever they change. */
export interface TlsCertificates {
  /** The options to create the HTTPS server with (certificates as read now). */
  readonly serverOptions: SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean; honorCipherOrder?: boolean };
  /**
   * Serves the certificates as they are on disk now to every later connection: called
   * before each TLS handshake, it compares the files' identity and change times (a `stat`
   * each, no read unless one changed). A pair that does not load (say, the new
   * certificate written, its key not yet) keeps the previous one and is tried again on
   * the next connection.
   */
  watch(server: HttpsServer): void;
  /** Why a client's certificate is refused by this config, or `undefined` when it is accepted. */
  clientProblem(socket: TLSSocket): string | undefined;
}

function fileStamp(path: string): string {
  const s = statSync(path, { bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new WebConfigError(undefined, `the ${what} ${path} cannot be read: ${(error as Error).message}`);
  }
}

/** Reads the files of `config` and prepares to re-read them when they change. */
export function tlsCertificates(config: TlsServerConfig): TlsCertificates {
  const files = [config.cert_file, config.key_file, config.client_ca_file].filter((f): f is string => f !== undefined);
  const read = (): SecureContextOptions => ({
    cert: config.cert_file === undefined ? config.cert : readPem(config.cert_file, 'certificate'),
    key: config.key_file === undefined ? config.key : readPem(config.key_file, 'key'),
    ...(config.client_ca_file === undefined ? {} : { ca: readPem(config.client_ca_file, 'client CA') }),
    minVersion: VERSIONS[config.min_version ?? 'TLS12'],
    ...(config.max_version === undefined ? {} : { maxVersion: VERSIONS[config.max_version] }),
  });
  const stamps = (): string => files.map(fileStamp).join('|');
  let seen = stamps();
  const auth = config.client_auth_type ?? 'NoClientCert';
  const sans = config.client_allowed_sans;
  return {
    serverOptions: {
      ...read(),
      requestCert: auth !== 'NoClientCert',
      rejectUnauthorized: auth === 'RequireAndVerifyClientCert',
      ...(config.prefer_server_cipher_suites === undefined ? {} : { honorCipherOrder: config.prefer_server_cipher_suites }),
    },
    watch(server) {
      if (files.length === 0) return;
      // Before the TLS listener, which starts the handshake with the context set now.
      server.prependListener('connection', () => {
        let now: string;
        try {
          now = stamps();
        } catch {
          return; // a file being replaced: keep the current context for this connection
        }
        if (now === seen) return;
        try {
          server.setSecureContext(read());
          seen = now;
        } catch (error) {
          process.emitWarning(`promkit: the changed TLS files do not load yet, still serving the previous certificate: ${(error as Error).message}`, { code: 'PROMKIT_TLS_RELOAD_FAILED' });
        }
      });
    },
    clientProblem(socket) {
      if (auth === 'NoClientCert' || auth === 'RequestClientCert') return undefined;
      const peer = socket.getPeerCertificate();
      const presented = peer !== null && typeof peer === 'object' && Object.keys(peer).length > 0;
      if (!presented) return 'a client certificate is required';
      if (auth !== 'RequireAnyClientCert' && !socket.authorized) return `the client certificate is not trusted: ${String(socket.authorizationError)}`;
      if (sans !== undefined) {
        const names = (peer.subjectaltname ?? '').split(/,\s*/).map((entry) => entry.slice(entry.indexOf(':') + 1));
        if (!sans.some((san) => names.includes(san))) return 'the client certificate has none of the allowed subject alternative names';
      }
      return undefined;
    },
  };
}
