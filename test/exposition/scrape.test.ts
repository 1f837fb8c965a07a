import { describe, expect, it } from '@jest/globals';
import { encodeOpenMetrics, encodeText, OPENMETRICS_CONTENT_TYPE, scrape, TEXT_CONTENT_TYPE, type ScrapeSource } from '../../src/exposition/index.js';
import type { MetricFamily } from '../../src/model/index.js';
import { ALL_TYPES, counter } from './families.js';

/** A source that records what it was asked and ignores `names` (the encoder must filter). */
function source(families: readonly MetricFamily[]): ScrapeSource & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    async collect(options) {
      asked.push(options);
      return { families: [...families] };
    },
  };
}

describe('scrape', () => {
  it('answers text by default', async () => {
    const result = await scrape(source(ALL_TYPES));
    expect(result).toEqual({ format: 'text', contentType: TEXT_CONTENT_TYPE, body: encodeText(ALL_TYPES) });
  });

  it('answers OpenMetrics when the Accept header asks for it', async () => {
    const result = await scrape(source(ALL_TYPES), { accept: 'application/openmetrics-text; version=1.0.0' });
    expect(result).toEqual({ format: 'openmetrics', contentType: OPENMETRICS_CONTENT_TYPE, body: encodeOpenMetrics(ALL_TYPES) });
  });

  it('passes names to the source and filters itself as well', async () => {
    const s = source(ALL_TYPES);
    const result = await scrape(s, { names: ['http_requests_total'] });
    expect(s.asked).toEqual([{ names: ['http_requests_total'] }]);
    expect(result.body).toBe(
      '# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\n' +
        'http_requests_total{method="GET",code="200"} 1027.0\nhttp_requests_total{method="POST",code="500"} 3.0\n',
    );
  });

  it('treats empty names as no selection', async () => {
    const s = source([counter]);
    expect((await scrape(s, { names: [] })).body).toBe(encodeText([counter]));
    expect(s.asked).toEqual([{}]);
  });

  it('lets collection errors through', async () => {
    await expect(scrape({ collect: () => Promise.reject(new Error('boom')) })).rejects.toThrow('boom');
  });
});
