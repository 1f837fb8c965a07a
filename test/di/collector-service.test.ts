import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Container } from 'inversify';
import { Counted } from '../../src/decorators/index.js';
import { COLLECTOR_SERVICE, MetricsModule } from '../../src/di/index.js';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '../../src/exposition/index.js';
import { Registry } from '../../src/registry/index.js';

class Mailer {
  @Counted({ name: 'mails_sent_total' })
  send(to: string): string {
    return `sent to ${to}`;
  }
}

function setUp(): { container: Container; registry: Registry } {
  const registry = new Registry();
  const container = new Container();
  container.load(new MetricsModule({ registry, instrument: [Mailer] }));
  container.bind(Mailer).toSelf();
  return { container, registry };
}

describe('CollectorService', () => {
  it('serializes the container registry as text 0.0.4 by default', async () => {
    const { container } = setUp();
    container.get(Mailer).send('ada');
    const { contentType, body, format } = await container.get(COLLECTOR_SERVICE).scrape(undefined);
    expect(format).toBe('text');
    expect(contentType).toBe(TEXT_CONTENT_TYPE);
    expect(body).toContain('# TYPE mails_sent_total counter');
    expect(body).toContain('mails_sent_total{class="Mailer",method="send",result="success",exception="none"} 1.0');
  });

  it('answers OpenMetrics when the Accept header asks for it', async () => {
    const { container } = setUp();
    container.get(Mailer).send('bob');
    const accept = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';
    const { contentType, body } = await container.get(COLLECTOR_SERVICE).scrape(accept);
    expect(contentType).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(body.endsWith('# EOF\n')).toBe(true);
    expect(body).toContain('mails_sent_total{class="Mailer",method="send",result="success",exception="none"} 1.0');
  });

  it('restricts to the requested names and exposes the raw families', async () => {
    const { container, registry } = setUp();
    container.get(Mailer).send('cy');
    registry.register({ collectorName: 'other', collect: () => [{ name: 'other_gauge', type: 'gauge' as const, help: 'x', unit: '', samples: [{ name: 'other_gauge', labels: {}, value: 3 }] }] });
    const service = container.get(COLLECTOR_SERVICE);
    const { body } = await service.scrape(null, ['other_gauge']);
    expect(body).toContain('other_gauge 3.0');
    expect(body).not.toContain('mails_sent_total');
    const { families } = await service.collect();
    expect(families.map((f) => f.name)).toEqual(expect.arrayContaining(['mails_sent', 'other_gauge']));
  });
});
