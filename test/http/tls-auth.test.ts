import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import bcrypt from 'bcryptjs';
import fc from 'fast-check';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { startHttpServer, type MetricsHttpServer, type MetricsSource, type WebConfig } from '../../src/http/index.js';
import type { MetricFamily } from '../../src/model/index.js';
import { makeCertificates, type TestCertificates } from '../support/certificates.js';
import { get } from './http-client.js';

const FAMILIES: MetricFamily[] = [{ name: 'up', type: 'gauge', help: 'Up.', unit: '', samples: [{ name: 'up', labels: {}, value: 1 }] }];
const source: MetricsSource = { collect: async () => ({ families: FAMILIES }) };

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => certs.remove());

const started: MetricsHttpServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});

async function start(webConfig: WebConfig | string, bearerTokens?: string[]): Promise<MetricsHttpServer> {
  const server = await startHttpServer({ port: 0, registry: source, webConfig, ...(bearerTokens === undefined ? {} : { bearerTokens }) });
  started.push(server);
  return server;
}

interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  fingerprint: string;
}

/** One HTTPS request on a fresh connection, trusting only the test CA. */
function fetchTls(url: string, options: { cert?: string; key?: string; headers?: Record<string, string> } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent: false,
        ca: readFileSync(certs.caCert),
        ...(options.cert === undefined ? {} : { cert: readFileSync(options.cert), key: readFileSync(options.key ?? '') }),
        headers: options.headers,
      },
      (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, fingerprint }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

describe('TLS from a web config', () => {
  it('serves HTTPS with the configured certificate', async () => {
    const server = await start({ tls_server_config: { ...fileConfig(certs.issue('server', 'IP:127.0.0.1')) } });
    expect(server.url).toBe(`https://127.0.0.1:${server.port}/metrics`);
    const res = await fetchTls(server.url);
    expect(res.status).toBe(200);
    expect(res.body).toBe('# HELP up Up.\n# TYPE up gauge\nup 1.0\n');
    await expect(get(server.url.replace('https', 'http'))).rejects.toThrow();
  });

  it('serves a certificate replaced on disk on the next connection, without a restart', async () => {
    const first = certs.issue('first', 'IP:127.0.0.1');
    const second = certs.issue('second', 'IP:127.0.0.1');
    const live = { cert_file: join(certs.dir, 'live.crt'), key_file: join(certs.dir, 'live.key') };
    copyFileSync(first.cert, live.cert_file);
    copyFileSync(first.key, live.key_file);
    const server = await start({ tls_server_config: live });
    const fingerprintOf = (file: string): string => new X509Certificate(readFileSync(file)).fingerprint256;
    expect((await fetchTls(server.url)).fingerprint).toBe(fingerprintOf(first.cert));
    copyFileSync(second.key, live.key_file);
    copyFileSync(second.cert, live.cert_file);
    expect((await fetchTls(server.url)).fingerprint).toBe(fingerprintOf(second.cert));
  });

  it('requires a client certificate signed by client_ca_file (mTLS)', async () => {
    const client = certs.issue('client', 'DNS:scraper.example');
    const server = await start({
      tls_server_config: { ...fileConfig(certs.issue('server', 'IP:127.0.0.1')), client_auth_type: 'RequireAndVerifyClientCert', client_ca_file: certs.caCert },
    });
    expect((await fetchTls(server.url, { cert: client.cert, key: client.key })).status).toBe(200);
    await expect(fetchTls(server.url)).rejects.toThrow();
  });

  it('refuses a verified client certificate without an allowed SAN', async () => {
    const client = certs.issue('other-client', 'DNS:intruder.example');
    const server = await start({
      tls_server_config: {
        ...fileConfig(certs.issue('server', 'IP:127.0.0.1')),
        client_auth_type: 'RequireAndVerifyClientCert',
        client_ca_file: certs.caCert,
        client_allowed_sans: ['scraper.example'],
      },
    });
    await expect(fetchTls(server.url, { cert: client.cert, key: client.key })).rejects.toThrow();
    const allowed = certs.issue('allowed-client', 'DNS:scraper.example');
    expect((await fetchTls(server.url, { cert: allowed.cert, key: allowed.key })).status).toBe(200);
  });

  it('keeps the allowed SANs it checked: the caller changing its list afterwards admits no one else', async () => {
    const sans = ['scraper.example'];
    const server = await start({
      tls_server_config: { ...fileConfig(certs.issue('server', 'IP:127.0.0.1')), client_auth_type: 'RequireAndVerifyClientCert', client_ca_file: certs.caCert, client_allowed_sans: sans },
    });
    sans.push('intruder.example');
    sans[0] = 'nobody.example';
    const intruder = certs.issue('late-intruder', 'DNS:intruder.example');
    await expect(fetchTls(server.url, { cert: intruder.cert, key: intruder.key })).rejects.toThrow();
    const allowed = certs.issue('still-allowed', 'DNS:scraper.example');
    expect((await fetchTls(server.url, { cert: allowed.cert, key: allowed.key })).status).toBe(200);
  });
});

describe('basic and bearer auth', () => {
  const hash = bcrypt.hashSync('s3cret', 4);

  it('answers 401 with a Basic challenge unless the bcrypt-checked password is right', async () => {
    const server = await start({ basic_auth_users: { prometheus: hash } });
    const denied = await get(server.url);
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Basic realm="promkit", charset="UTF-8"');
    expect((await get(server.url, { headers: basic('prometheus', 'wrong') })).status).toBe(401);
    expect((await get(server.url, { headers: basic('nobody', 's3cret') })).status).toBe(401);
    expect((await get(`http://127.0.0.1:${server.port}/`, { headers: basic('prometheus', 'wrong') })).status).toBe(401);
    const ok = await get(server.url, { headers: basic('prometheus', 's3cret') });
    expect(ok.status).toBe(200);
    expect((await get(server.url, { headers: basic('prometheus', 's3cret') })).status).toBe(200);
  });

  it('accepts a listed bearer token only, whatever the length of a wrong one', async () => {
    const server = await start({}, ['token-one', 'token-two']);
    expect((await get(server.url, { headers: { Authorization: 'Bearer token-two' } })).status).toBe(200);
    for (const wrong of ['token-on', 'token-onee', '', 'x'.repeat(5000)]) {
      const res = await get(server.url, { headers: { Authorization: `Bearer ${wrong}` } });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="promkit", charset="UTF-8"');
    }
  });

  it('keeps the bearer tokens it checked, even when the caller changes its list while the web config file loads', async () => {
    const file = join(certs.dir, 'empty-web-config.yml');
    writeFileSync(file, '{}\n');
    const tokens = ['the-token'];
    const pending = startHttpServer({ port: 0, registry: source, webConfig: file, bearerTokens: tokens });
    tokens.push('late-token');
    tokens[0] = 'changed-token';
    const server = await pending;
    started.push(server);
    expect((await get(server.url, { headers: { Authorization: 'Bearer the-token' } })).status).toBe(200);
    for (const other of ['late-token', 'changed-token']) expect((await get(server.url, { headers: { Authorization: `Bearer ${other}` } })).status).toBe(401);
  });

  it('answers any other Authorization header 401, never 200 or 500 (property)', async () => {
    const server = await start({ basic_auth_users: { prometheus: hash } }, ['the-token']);
    const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
    const header = fc.oneof(
      headerText,
      headerText.map((t) => `Bearer ${t}`),
      fc.tuple(headerText, headerText).map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`),
      headerText.map((t) => `Basic ${t}`),
    );
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        fc.pre(authorization.trim() !== 'Bearer the-token' && authorization !== `Basic ${Buffer.from('prometheus:s3cret').toString('base64')}`);
        expect((await get(server.url, { headers: { Authorization: authorization } })).status).toBe(401);
      }),
      { seed: 12, numRuns: 30 },
    );
  });

  it('adds the configured security headers to every response', async () => {
    const server = await start({ http_server_config: { headers: { 'X-Frame-Options': 'deny', 'strict-transport-security': 'max-age=31536000' } } });
    const res = await get(server.url);
    expect(res.headers['x-frame-options']).toBe('deny');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('reads an exporter-toolkit web-config.yml unchanged, paths relative to the file', async () => {
    const server = certs.issue('yml-server', 'IP:127.0.0.1');
    const file = join(certs.dir, 'web-config.yml');
    writeFileSync(
      file,
      [
        '# as exporter-toolkit documents it',
        'tls_server_config:',
        '  cert_file: yml-server.crt',
        '  key_file: yml-server.key',
        '  min_version: TLS12',
        'http_server_config:',
        '  headers:',
        '    X-Content-Type-Options: nosniff',
        'basic_auth_users:',
        `  alice: ${hash}`,
        '',
      ].join('\n'),
    );
    const started = await start(file);
    const res = await fetchTls(started.url, { headers: basic('alice', 's3cret') });
    expect(res.status).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect((await fetchTls(started.url, { headers: basic('alice', 'nope') })).status).toBe(401);
    expect(server.cert).toContain('yml-server');
  });
});

function fileConfig(pair: { cert: string; key: string }): { cert_file: string; key_file: string } {
  return { cert_file: pair.cert, key_file: pair.key };
}
