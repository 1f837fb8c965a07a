import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import bcrypt from 'bcryptjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { Registry } from '../../src/registry/index.js';
import { startSeedExporter } from '../../samples/seed-exporter/seed-exporter.js';
import { startHostExporter } from '../../samples/host-exporter/host-exporter.js';
import { startInversifySample } from '../../samples/inversify-service/inversify-sample.js';
import { makeCertificates, type TestCertificates } from '../support/certificates.js';

/**
 * What `WEB_CONFIG_FILE` does for `npm start` and the samples: each one hands the file to its
 * server, so an ops team's exporter-toolkit web-config.yml (TLS + bcrypt basic auth) applies
 * unchanged to every program this repository ships.
 */
let certs: TestCertificates;
let webConfigFile: string;
beforeAll(() => {
  certs = makeCertificates();
  const { cert, key } = certs.issue('server', 'IP:127.0.0.1');
  webConfigFile = join(certs.dir, 'web-config.yml');
  writeFileSync(
    webConfigFile,
    ['tls_server_config:', `  cert_file: ${cert}`, `  key_file: ${key}`, 'basic_auth_users:', `  prometheus: ${bcrypt.hashSync('scrape-me', 4)}`, ''].join('\n'),
  );
});
afterAll(() => certs.remove());

function fetchTls(url: string, password?: string): Promise<{ status: number; body: string }> {
  const headers = password === undefined ? undefined : { authorization: `Basic ${Buffer.from(`prometheus:${password}`).toString('base64')}` };
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, ca: readFileSync(certs.caCert), headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function expectGuarded(url: string, expectedMetric: string): Promise<void> {
  expect(url.startsWith('https://127.0.0.1:')).toBe(true);
  expect((await fetchTls(url)).status).toBe(401);
  expect((await fetchTls(url, 'wrong')).status).toBe(401);
  const ok = await fetchTls(url, 'scrape-me');
  expect(ok.status).toBe(200);
  expect(ok.body).toContain(expectedMetric);
}

describe('WEB_CONFIG_FILE in the samples', () => {
  it('the seed exporter (npm start) serves over TLS behind basic auth', async () => {
    const exporter = await startSeedExporter({ port: 0, registry: new Registry(), defaultMetrics: false, intervalMs: 0, webConfigFile });
    try {
      await expectGuarded(exporter.url, 'my_build_version_info');
    } finally {
      await exporter.stop();
    }
  });

  it('the host exporter serves over TLS behind basic auth', async () => {
    const exporter = await startHostExporter({ port: 0, webConfigFile });
    try {
      await expectGuarded(exporter.url, 'node_load1');
    } finally {
      await exporter.close();
    }
  });

  it('the inversify sample passes it through MetricsModule endpoint.webConfig', async () => {
    const sample = await startInversifySample({ port: 0, trafficIntervalMs: 0, webConfigFile });
    try {
      await sample.driveTraffic();
      await expectGuarded(sample.url, 'method_timed_seconds');
    } finally {
      await sample.stop();
    }
  });
});
