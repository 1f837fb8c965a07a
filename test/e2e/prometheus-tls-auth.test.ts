import { afterAll, beforeAll, expect, it } from '@jest/globals';
import bcrypt from 'bcryptjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpServer, type MetricsHttpServer, type MetricsSource } from '../../src/http/index.js';
import type { MetricFamily } from '../../src/model/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { makeCertificates, type TestCertificates } from '../support/certificates.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';

// A real Prometheus 2.42 scrapes promkit over HTTPS: with the right basic-auth password
// (up 1), a wrong one (up 0, its last error names the 401), and with a client
// certificate against a server that requires one (mTLS). Certificates come from openssl.

const FAMILIES: MetricFamily[] = [{ name: 'tls_served', type: 'gauge', help: 'Served over TLS.', unit: '', samples: [{ name: 'tls_served', labels: {}, value: 42 }] }];
const source: MetricsSource = { collect: async () => ({ families: FAMILIES }) };

describeWithBinaries([BIN.prometheus], 'a real Prometheus scraping promkit over TLS with auth', () => {
  let certs: TestCertificates;
  let basicServer: MetricsHttpServer;
  let mtlsServer: MetricsHttpServer;
  let prom: PrometheusServer;

  beforeAll(async () => {
    certs = makeCertificates();
    const server = certs.issue('server', 'IP:127.0.0.1');
    const client = certs.issue('prometheus', 'DNS:prometheus.example');
    const webConfig = join(certs.dir, 'web-config.yml');
    writeFileSync(webConfig, `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prometheus: ${bcrypt.hashSync('right horse', 10)}\n`);
    basicServer = await startHttpServer({ port: 0, registry: source, webConfig });
    mtlsServer = await startHttpServer({
      port: 0,
      registry: source,
      webConfig: { tls_server_config: { cert_file: server.cert, key_file: server.key, client_auth_type: 'RequireAndVerifyClientCert', client_ca_file: certs.caCert } },
    });
    prom = await startPrometheus({
      jobs: [
        { jobName: 'basic_right', url: basicServer.url, config: { tls_config: { ca_file: certs.caCert }, basic_auth: { username: 'prometheus', password: 'right horse' } } },
        { jobName: 'basic_wrong', url: basicServer.url, config: { tls_config: { ca_file: certs.caCert }, basic_auth: { username: 'prometheus', password: 'wrong horse' } } },
        { jobName: 'mtls', url: mtlsServer.url, config: { tls_config: { ca_file: certs.caCert, cert_file: client.cert, key_file: client.key } } },
      ],
    });
    await prom.waitForScrapes(2, 60_000);
  }, 90_000);

  afterAll(async () => {
    await prom?.stop();
    await basicServer?.close();
    await mtlsServer?.close();
    certs?.remove();
  });

  it('scrapes over HTTPS with the right password (up 1) and stores the series', async () => {
    const up = await prom.query('up{job="basic_right"}');
    expect(up.map((s) => s.value[1])).toEqual(['1']);
    const served = await prom.query('tls_served{job="basic_right"}');
    expect(served.map((s) => s.value[1])).toEqual(['42']);
  });

  it('records up 0 with a 401 for a wrong password', async () => {
    expect((await prom.query('up{job="basic_wrong"}')).map((s) => s.value[1])).toEqual(['0']);
    const target = (await prom.targets()).find((t) => t.labels.job === 'basic_wrong');
    expect(target?.health).toBe('down');
    expect(target?.lastError).toContain('401');
  });

  it('scrapes a server that requires a client certificate (mTLS)', async () => {
    expect((await prom.query('up{job="mtls"}')).map((s) => s.value[1])).toEqual(['1']);
  });
});
