import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicAuthVerifier } from '../../src/http/basic-auth.js';
import { checkWebConfig, loadWebConfig, UnknownOptionError, WebConfigError } from '../../src/http/index.js';
import { PromkitError } from '../../src/model/index.js';

const HASH = '$2b$10$3p8m5wzCSbne474z2OoGV.NwHlI2bsNkyTuEpCyFztP97oc0KGAd.';

function withFile(text: string, body: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'promkit-webcfg-'));
  const file = join(dir, 'web-config.yml');
  writeFileSync(file, text);
  return body(file).finally(() => rmSync(dir, { recursive: true, force: true }));
}

describe('checkWebConfig', () => {
  it('rejects a key exporter-toolkit does not have, suggesting the near one', () => {
    expect(() => checkWebConfig({ basic_auth_user: {} })).toThrow(UnknownOptionError);
    expect(() => checkWebConfig({ basic_auth_user: {} })).toThrow(/did you mean "basic_auth_users"/);
    expect(() => checkWebConfig({ tls_server_config: { certfile: 'a' } })).toThrow(/did you mean "cert_file"/);
  });

  it('refuses exporter-toolkit keys promkit does not implement, saying why', () => {
    expect(() => checkWebConfig({ tls_server_config: { cert_file: 'a', key_file: 'b', cipher_suites: ['TLS_AES_128_GCM_SHA256'] } })).toThrow(WebConfigError);
    expect(() => checkWebConfig({ rate_limit: { interval: '1s' } })).toThrow(/not supported/);
  });

  it('checks values: hashes, auth types, versions, headers, a certificate without its key', () => {
    expect(() => checkWebConfig({ basic_auth_users: { alice: 'plain-password' } })).toThrow(/alice.*bcrypt hash/);
    expect(() => checkWebConfig({ tls_server_config: { cert_file: 'a', key_file: 'b', client_auth_type: 'RequireAndVerifyClientCert' } })).toThrow(/needs client_ca_file/);
    expect(() => checkWebConfig({ tls_server_config: { cert_file: 'a', key_file: 'b', min_version: 'TLS14' } })).toThrow(/min_version/);
    expect(() => checkWebConfig({ tls_server_config: { cert_file: 'a' } })).toThrow(/key_file/);
    expect(() => checkWebConfig({ http_server_config: { headers: { 'Set-Cookie': 'x' } } })).toThrow(/may not be set/);
    expect(checkWebConfig({ basic_auth_users: { alice: HASH }, tls_server_config: { client_auth_type: 'NoClientCert' } })).toEqual({ basic_auth_users: { alice: HASH } });
  });

  it('never fails with anything but a PromkitError, whatever the file holds (property)', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('cert_file', 'key_file', 'cert', 'key', 'client_auth_type', 'client_ca_file', 'min_version', 'headers', 'http2', 'alice', 'x'), tie('node'), { maxKeys: 4 })),
    })).node;
    const config = fc.dictionary(fc.constantFrom('tls_server_config', 'http_server_config', 'basic_auth_users', 'other'), value, { maxKeys: 3 });
    fc.assert(
      fc.property(fc.oneof(config, value), (input) => {
        try {
          checkWebConfig(input);
        } catch (error) {
          expect(error).toBeInstanceOf(PromkitError);
        }
      }),
      { seed: 12, numRuns: 500 },
    );
  });
});

describe('loadWebConfig', () => {
  it('reads YAML, resolving file paths against the file', () =>
    withFile(`tls_server_config:\n  cert_file: server.crt\n  key_file: /etc/tls/server.key\nbasic_auth_users:\n  alice: ${HASH}\n`, async (file) => {
      const config = await loadWebConfig(file);
      expect(config.tls_server_config?.cert_file).toBe(join(file, '..', 'server.crt'));
      expect(config.tls_server_config?.key_file).toBe('/etc/tls/server.key');
      expect(config.basic_auth_users).toEqual({ alice: HASH });
    }));

  it('names the file when it is missing or not YAML', async () => {
    await expect(loadWebConfig('/nonexistent/web.yml')).rejects.toThrow(/\/nonexistent\/web.yml: cannot be read/);
    await withFile('tls_server_config: [unclosed', async (file) => {
      await expect(loadWebConfig(file)).rejects.toThrow(WebConfigError);
    });
  });
});

describe('basicAuthVerifier', () => {
  it('verifies against the bcrypt hash and answers a pair seen before from its cache', async () => {
    const verifier = basicAuthVerifier({ alice: HASH });
    expect(await verifier.verify('alice', 'secret')).toBe(true);
    expect(await verifier.verify('alice', 'Secret')).toBe(false);
    expect(await verifier.verify('bob', 'secret')).toBe(false);
    // The same pair is the same pending or settled check: one bcrypt run, not one per scrape.
    expect(verifier.verify('alice', 'secret')).toBe(verifier.verify('alice', 'secret'));
    expect(verifier.verify('alice', 'secret')).not.toBe(verifier.verify('alice', 'other'));
  });
});
