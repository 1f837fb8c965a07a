import { expect, it } from '@jest/globals';
import { BIN, describeWithBinaries } from './binaries.js';
import { parseManyWithPython } from './python-parser.js';

describeWithBinaries([BIN.python3], 'python parser bridge', () => {
  it('parses text and OpenMetrics, and reports a parse error per document', async () => {
    const [text, om, bad] = await parseManyWithPython([
      { text: '# HELP a h\n# TYPE a gauge\na{x="y"} 1.5\n', format: 'text' },
      { text: '# TYPE c counter\nc_total 3.0 # {t="1"} 1.0 12.5\n# EOF\n', format: 'openmetrics' },
      { text: 'c_total 3.0\n', format: 'openmetrics' },
    ]);
    expect(text).toEqual({ ok: true, families: [{ name: 'a', type: 'gauge', help: 'h', unit: '', samples: [{ name: 'a', labels: { x: 'y' }, value: 1.5, timestamp: null, exemplar: null }] }] });
    expect(om.ok && om.families[0].samples[0].exemplar).toEqual({ labels: { t: '1' }, value: 1, timestamp: 12.5 });
    expect(bad.ok).toBe(false);
  });
});
