import { spawn } from 'node:child_process';
import { BIN } from './binaries.js';

/** A value as the Python bridge returns it: non-finite numbers are spelled as strings. */
export type ParsedValue = number | '+Inf' | '-Inf' | 'NaN';

/** One sample as Debian's `python3-prometheus-client` parsed it. */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: ParsedValue;
  /** Seconds since the epoch, or null. */
  timestamp: number | null;
  exemplar: { labels: Record<string, string>; value: ParsedValue; timestamp: number | null } | null;
}

/** One family as Debian's `python3-prometheus-client` parsed it. */
export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  unit: string;
  samples: ParsedSample[];
}

/** The exposition formats the reference parsers read. */
export type ParserFormat = 'text' | 'openmetrics';

/** The parse of one document: its families, or the parser's error message. */
export type ParseOutcome = { ok: true; families: ParsedFamily[] } | { ok: false; error: string };

const SCRIPT = String.raw`
import sys, json, math
from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om

def num(v):
    v = float(v)
    if math.isnan(v): return 'NaN'
    if math.isinf(v): return '+Inf' if v > 0 else '-Inf'
    return v

def ts(t):
    return None if t is None else float(t)

out = []
for doc in json.load(sys.stdin):
    try:
        parse = parse_om if doc['format'] == 'openmetrics' else parse_text
        fams = []
        for f in parse(doc['text']):
            samples = []
            for s in f.samples:
                ex = None
                if s.exemplar is not None:
                    ex = {'labels': dict(s.exemplar.labels), 'value': num(s.exemplar.value), 'timestamp': ts(s.exemplar.timestamp)}
                samples.append({'name': s.name, 'labels': dict(s.labels), 'value': num(s.value), 'timestamp': ts(s.timestamp), 'exemplar': ex})
            fams.append({'name': f.name, 'type': f.type, 'help': f.documentation, 'unit': f.unit, 'samples': samples})
        out.append({'ok': True, 'families': fams})
    except Exception as e:
        out.append({'ok': False, 'error': type(e).__name__ + ': ' + str(e)})
json.dump(out, sys.stdout)
`;

/**
 * Runs a Python program with Debian's `/usr/bin/python3` (where `python3-prometheus-client`
 * is importable) with `args`: `input` goes to its stdin as JSON, and whatever it prints to stdout is
 * parsed as JSON. Rejects with its stderr when it exits non-zero.
 */
export function runPython<T>(program: string, input: unknown = null, args: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN.python3, ['-c', program, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`python3 exited ${code}: ${err}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as T);
      } catch (error) {
        reject(new Error(`python3 printed no JSON (${String(error)}): ${out.slice(0, 500)}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

/**
 * Parses many documents with Debian's `python3-prometheus-client` in one Python process
 * (the text parser for `text`, the OpenMetrics parser for `openmetrics`), so property tests
 * can check thousands of cases without paying a process start per case.
 */
export function parseManyWithPython(docs: readonly { text: string; format: ParserFormat }[]): Promise<ParseOutcome[]> {
  return runPython<ParseOutcome[]>(SCRIPT, docs);
}

/** Parses one document; rejects with the parser's message when it does not parse. */
export async function parseWithPython(text: string, format: ParserFormat): Promise<ParsedFamily[]> {
  const [outcome] = await parseManyWithPython([{ text, format }]);
  if (!outcome.ok) throw new Error(`python3-prometheus-client (${format}) rejected the exposition: ${outcome.error}\n---\n${text}`);
  return outcome.families;
}
