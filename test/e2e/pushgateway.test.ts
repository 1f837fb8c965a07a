import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { MetricFamily } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { deleteFromGateway, groupingPath, pushAddToGateway, pushToGateway, PushError } from '../../src/push/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { parseWithPython, type ParsedFamily } from '../support/python-parser.js';

function gaugeRegistry(values: Record<string, number>, labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.register({
    collectorName: 'batch',
    collect: (): MetricFamily[] =>
      Object.entries(values).map(([name, value]) => ({ name, type: 'gauge', help: `${name} help`, unit: '', samples: [{ name, labels, value }] })),
  });
  return registry;
}

describeWithBinaries([BIN.pushgateway, BIN.python3], 'Pushgateway (real prometheus-pushgateway)', () => {
  let gateway: Daemon;
  let url: string;

  beforeAll(async () => {
    gateway = await startDaemon({
      command: BIN.pushgateway,
      args: ['--web.listen-address=127.0.0.1:{port}', '--persistence.file={dir}/persist'],
      readyUrl: 'http://127.0.0.1:{port}/-/ready',
    });
    url = `http://127.0.0.1:${gateway.port}`;
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  /**
   * The gateway's own exposition, parsed by the reference parser, restricted to one job and
   * to the pushed families (not the gateway's `push_*` ones, nor the registry's collector
   * health families, which a push carries like a scrape does).
   */
  async function groupFamilies(job: string): Promise<ParsedFamily[]> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const families = await parseWithPython(text, 'text');
    return families
      .map((f) => ({ ...f, samples: f.samples.filter((s) => s.labels.job === job && !s.name.startsWith('push_') && !s.name.startsWith('promkit_collector_')) }))
      .filter((f) => f.samples.length > 0);
  }

  it('PUT replaces the group, POST adds to it, DELETE removes it', async () => {
    await pushToGateway(url, 'nightly', gaugeRegistry({ rows_processed: 42, duration_seconds: 1.5 }), { groupingKey: { instance: 'a' } });
    let families = await groupFamilies('nightly');
    expect(Object.fromEntries(families.map((f) => [f.name, f.samples[0].value]))).toEqual({ rows_processed: 42, duration_seconds: 1.5 });
    expect(families[0].samples[0].labels).toEqual({ job: 'nightly', instance: 'a' });

    await pushAddToGateway(url, 'nightly', gaugeRegistry({ rows_failed: 3 }), { groupingKey: { instance: 'a' } });
    families = await groupFamilies('nightly');
    expect(families.map((f) => f.name).sort()).toEqual(['duration_seconds', 'rows_failed', 'rows_processed']);

    await pushToGateway(url, 'nightly', gaugeRegistry({ rows_processed: 7 }), { groupingKey: { instance: 'a' } });
    families = await groupFamilies('nightly');
    expect(families.map((f) => [f.name, f.samples[0].value])).toEqual([['rows_processed', 7]]);

    await deleteFromGateway(url, 'nightly', { groupingKey: { instance: 'a' } });
    expect(await groupFamilies('nightly')).toEqual([]);
  });

  it('encodes grouping values with slashes and empty values the way the gateway decodes them', async () => {
    expect(groupingPath('j', { path: '/var/tmp', empty: '', plain: 'a b' })).toBe(
      `/metrics/job/j/path@base64/${Buffer.from('/var/tmp').toString('base64url')}/empty@base64/=/plain/a%20b`,
    );
    await pushToGateway(url, 'slashy/job', gaugeRegistry({ files: 9 }), { groupingKey: { path: '/var/tmp', plain: 'a b' } });
    const [files] = await groupFamilies('slashy/job');
    // Without an `instance` in the grouping key the gateway adds `instance=""` itself.
    expect(files.samples[0].labels).toEqual({ job: 'slashy/job', path: '/var/tmp', plain: 'a b', instance: '' });
    await deleteFromGateway(url, 'slashy/job', { groupingKey: { path: '/var/tmp', plain: 'a b' } });
  });

  it('a rejected push raises a PushError with the gateway status and message', async () => {
    await pushToGateway(url, 'typed', gaugeRegistry({ clash: 1 }));
    const counter = new Registry();
    counter.register({
      collectorName: 'c',
      collect: (): MetricFamily[] => [
        {
          name: 'clash',
          type: 'summary',
          help: 'clash help',
          unit: '',
          samples: [
            { name: 'clash_count', labels: {}, value: 1 },
            { name: 'clash_sum', labels: {}, value: 2 },
          ],
        },
      ],
    });
    // The same family name pushed into another group with another type: the gateway refuses it.
    const push = pushAddToGateway(url, 'typed', counter, { groupingKey: { instance: 'other' } });
    await expect(push).rejects.toBeInstanceOf(PushError);
    await expect(pushAddToGateway(url, 'typed', counter, { groupingKey: { instance: 'other' } })).rejects.toMatchObject({ status: 400 });
    await deleteFromGateway(url, 'typed');
  });
});
