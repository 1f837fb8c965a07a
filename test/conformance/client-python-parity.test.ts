import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startSeedExporter, type SeedExporter } from '../../samples/seed-exporter/seed-exporter.js';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';
import { Counter, Enum, Gauge, Histogram, Info, Summary } from '../../src/metrics/index.js';
import { Registry } from '../../src/registry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseManyWithPython, type ParsedFamily, type ParserFormat } from '../support/python-parser.js';
import { runPython } from '../support/python-parser.js';

// Same program, same data, same answer: the seed article's program (and a wider one with
// labels, units, escapes, an Enum and custom buckets) run with fixed values by Debian's
// client_python and by promkit. Both expositions, in both formats, read by client_python's
// parsers, must give the same families, types, HELP, units, sample names, labels and values.
// Only `_created` values differ (each library's creation instant); their presence must not.

const ROUNDS = 4;

const PYTHON_PROGRAM = String.raw`
import json, random, sys
from prometheus_client import CollectorRegistry, Counter, Enum, Gauge, Histogram, Info, Summary, generate_latest
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics

ROUNDS = json.load(sys.stdin)
random.randint = lambda a, b: a  # the fixed values the test gives promkit's seed too

def expose(registry):
    return {'text': generate_latest(registry).decode('utf-8'), 'openmetrics': generate_openmetrics(registry).decode('utf-8')}

# --- the seed article's program, without its HTTP server and sleep
seed = CollectorRegistry()
a = Gauge('a', 'Description of gauge', registry=seed)
b = Gauge('b', 'Description of gauge', ['label1', 'label2'], registry=seed)
c = Counter('c', 'Description of counter', registry=seed)
s = Summary('request_latency_seconds', 'Description of summary', registry=seed)
h = Histogram('request_latency_seconds2', 'Description of histogram', registry=seed)
i = Info('my_build_version', 'Description of info', registry=seed)

def process_request():
    a.set(random.randint(1, 100))
    b.labels(label1='k1', label2='f1').set(random.randint(100, 200))
    b.labels(label1='k1', label2='f2').set(random.randint(200, 300))
    b.labels(label1='k2', label2='f2').set(random.randint(400, 500))
    c.inc()
    s.observe(4.7)
    h.observe(8.8)
    i.info({'version': '1.2.3', 'buildhost': 'foo@bar'})

for _ in range(ROUNDS):
    process_request()

# --- a wider program
wide = CollectorRegistry()
HELP = 'Help with "quotes", a \\ backslash, a\nnewline and unicode ✓'
NASTY = ['plain', 'double "quotes"', 'back\\slash', 'new\nline', 'ünïcödé ✓ 🚀']
sent = Counter('sent', HELP, ['peer'], unit='bytes', registry=wide)
temp = Gauge('temperature', 'Temperature.', ['room'], unit='celsius', registry=wide)
lat = Histogram('rpc_latency', 'RPC latency.', ['method'], unit='seconds', buckets=[0.0001, 0.005, 0.25, 1, 2.5, 100000, 1e6, 2.5e7], registry=wide)
size = Summary('payload', 'Payload sizes.', ['method'], unit='bytes', registry=wide)
build = Info('build', 'Build information.', ['env'], registry=wide)
phase = Enum('phase', 'Worker phase.', ['worker'], states=['starting', 'running', 'stopped'], registry=wide)
for n, value in enumerate(NASTY):
    sent.labels(peer=value).inc(n * 2.5)
    temp.labels(room=value).set([-1.5, 0.0, 1e-7, 1e21, float('inf')][n])
    for x in [0.00005, 0.2, 3, 99999.5, 2e7, 3e7][: n + 1]:
        lat.labels(method=value).observe(x)
    size.labels(method=value).observe(n * 100)
build.labels(env='prod').info({'version': '1.2.3', 'commit': 'abc"\\'})
phase.labels(worker='1').state('running')
phase.labels(worker='2').state('stopped')
temp.labels(room='nan').set(float('nan'))

json.dump({'seed': expose(seed), 'wide': expose(wide)}, sys.stdout)
`;

const HELP = 'Help with "quotes", a \\ backslash, a\nnewline and unicode ✓';
const NASTY = ['plain', 'double "quotes"', 'back\\slash', 'new\nline', 'ünïcödé ✓ 🚀'];

/** The wider program, line for line, with promkit. */
function widePromkit(): Registry {
  const registry = new Registry();
  const sent = new Counter({ name: 'sent', help: HELP, labelNames: ['peer'], unit: 'bytes', registry });
  const temp = new Gauge({ name: 'temperature', help: 'Temperature.', labelNames: ['room'], unit: 'celsius', registry });
  const lat = new Histogram({ name: 'rpc_latency', help: 'RPC latency.', labelNames: ['method'], unit: 'seconds', buckets: [0.0001, 0.005, 0.25, 1, 2.5, 100000, 1e6, 2.5e7], registry });
  const size = new Summary({ name: 'payload', help: 'Payload sizes.', labelNames: ['method'], unit: 'bytes', registry });
  const build = new Info({ name: 'build', help: 'Build information.', labelNames: ['env'], registry });
  const phase = new Enum({ name: 'phase', help: 'Worker phase.', labelNames: ['worker'], states: ['starting', 'running', 'stopped'], registry });
  NASTY.forEach((value, n) => {
    sent.labels({ peer: value }).inc(n * 2.5);
    temp.labels({ room: value }).set([-1.5, 0, 1e-7, 1e21, Infinity][n]);
    for (const x of [0.00005, 0.2, 3, 99999.5, 2e7, 3e7].slice(0, n + 1)) lat.labels({ method: value }).observe(x);
    size.labels({ method: value }).observe(n * 100);
  });
  build.labels({ env: 'prod' }).info({ version: '1.2.3', commit: 'abc"\\' });
  phase.labels({ worker: '1' }).state('running');
  phase.labels({ worker: '2' }).state('stopped');
  temp.labels({ room: 'nan' }).set(NaN);
  return registry;
}

type Exposition = Record<ParserFormat, string>;

/** `_created` values replaced by a marker: the one thing the two libraries may not share. */
function comparable(families: ParsedFamily[]): ParsedFamily[] {
  return families.map((f) => ({
    ...f,
    samples: f.samples.map((s) => (s.name.endsWith('_created') && typeof s.value === 'number' && s.value > 1e9 ? { ...s, value: 0 } : s)),
  }));
}

async function parseAll(docs: Record<string, Exposition>): Promise<Record<string, Record<ParserFormat, ParsedFamily[]>>> {
  const keys = Object.keys(docs).flatMap((k) => (['text', 'openmetrics'] as const).map((format) => [k, format] as const));
  const outcomes = await parseManyWithPython(keys.map(([k, format]) => ({ text: docs[k][format], format })));
  const out: Record<string, Record<ParserFormat, ParsedFamily[]>> = {};
  keys.forEach(([k, format], i) => {
    const outcome = outcomes[i];
    if (!outcome.ok) throw new Error(`${k} (${format}) does not parse: ${outcome.error}\n${docs[k][format]}`);
    (out[k] ??= { text: [], openmetrics: [] })[format] = comparable(outcome.families);
  });
  return out;
}

describeWithBinaries([BIN.python3], 'same program, same answer as client_python', () => {
  let seed: SeedExporter | undefined;
  const seedRegistry = new Registry();
  let parsed: Record<string, Record<ParserFormat, ParsedFamily[]>>;

  beforeAll(async () => {
    seed = await startSeedExporter({ port: 0, host: '127.0.0.1', registry: seedRegistry, defaultMetrics: false, randomInt: (min) => min, intervalMs: 0 });
    for (let i = 1; i < ROUNDS; i++) seed.processRequest();
    // The seed as a scraper sees it: over HTTP, in the format each Accept asks for.
    const scrape = async (accept: string): Promise<string> => (await fetch(seed!.url, { headers: { Accept: accept } })).text();
    const ours: Record<string, Exposition> = {
      seed: { text: await scrape('text/plain;version=0.0.4'), openmetrics: await scrape('application/openmetrics-text;version=1.0.0') },
    };
    const wide = (await widePromkit().collect()).families;
    ours.wide = { text: encodeText(wide), openmetrics: encodeOpenMetrics(wide) };
    const theirs = await runPython<Record<'seed' | 'wide', Exposition>>(PYTHON_PROGRAM, ROUNDS);
    parsed = await parseAll({ 'promkit seed': ours.seed, 'client_python seed': theirs.seed, 'promkit wide': ours.wide, 'client_python wide': theirs.wide });
  });

  afterAll(async () => {
    await seed?.stop();
  });

  it.each([
    ['seed', 'text'],
    ['seed', 'openmetrics'],
    ['wide', 'text'],
    ['wide', 'openmetrics'],
  ] as const)("the %s program's %s exposition parses to what client_python's does", (program, format) => {
    const ours = parsed[`promkit ${program}`][format];
    const theirs = parsed[`client_python ${program}`][format];
    expect(ours.map((f) => f.name)).toEqual(theirs.map((f) => f.name));
    for (let i = 0; i < theirs.length; i++) expect(ours[i]).toEqual(theirs[i]);
  });

  it('the wide program exercises every type it meant to (the parity is not of near-empty outputs)', () => {
    const families = parsed['promkit wide'].openmetrics;
    expect(families.map((f) => [f.name, f.type, f.unit])).toEqual([
      ['sent_bytes', 'counter', 'bytes'],
      ['temperature_celsius', 'gauge', 'celsius'],
      ['rpc_latency_seconds', 'histogram', 'seconds'],
      ['payload_bytes', 'summary', 'bytes'],
      ['build', 'info', ''],
      ['phase', 'stateset', ''],
    ]);
    expect(families.reduce((n, f) => n + f.samples.length, 0)).toBeGreaterThan(80);
  });

  it('the seed program exposes what the article showed (the parity is not of two empty outputs)', () => {
    const families = parsed['promkit seed'].text;
    const sample = (name: string): unknown => families.flatMap((f) => f.samples).find((s) => s.name === name)?.value;
    expect([sample('c_total'), sample('request_latency_seconds_count'), sample('request_latency_seconds2_count'), sample('a')]).toEqual([ROUNDS, ROUNDS, ROUNDS, 1]);
    expect(families.map((f) => f.name)).toEqual([
      'a',
      'b',
      'c',
      'c_created',
      'request_latency_seconds',
      'request_latency_seconds_created',
      'request_latency_seconds2',
      'request_latency_seconds2_created',
      'my_build_version_info',
    ]);
  });
});
