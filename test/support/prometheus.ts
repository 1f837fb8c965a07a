import { BIN } from './binaries.js';
import { startDaemon, type Daemon } from './daemon.js';

/** One scrape job: a name and the full URL of the metrics endpoint it scrapes (on 127.0.0.1). */
export interface ScrapeJob {
  readonly jobName: string;
  readonly url: string;
  /** More scrape config keys, e.g. `tls_config` or `basic_auth`. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  readonly jobs: readonly ScrapeJob[];
  /** Default 1 s, the fastest a test wants to wait for. */
  readonly scrapeIntervalSeconds?: number;
  /** `--enable-feature` values, e.g. `exemplar-storage`. */
  readonly features?: readonly string[];
  /** A rules file (YAML) Prometheus loads and evaluates. */
  readonly rules?: string;
  /** Seconds between two rule evaluations. Default 60. */
  readonly evaluationIntervalSeconds?: number;
}

/** One series of an instant query: its labels and its value as Prometheus spells it. */
export interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** A target as `/api/v1/targets` reports it (the fields the tests read). */
export interface ActiveTarget {
  readonly labels: Record<string, string>;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly lastScrape: string;
}

/** One entry of `/api/v1/targets/metadata`. */
export interface TargetMetadata {
  readonly target: Record<string, string>;
  readonly metric: string;
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** One series' exemplars as `/api/v1/query_exemplars` reports them. */
export interface SeriesExemplars {
  readonly seriesLabels: Record<string, string>;
  readonly exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
}

/** A real Prometheus server run by a test. */
export interface PrometheusServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly pid: number;
  /** Its private directory (config and TSDB), removed by {@link stop}. */
  readonly dir: string;
  /** GET `/api/v1/<path>`; rejects unless Prometheus answers `status: success`. */
  api<T>(path: string, params?: Record<string, string>): Promise<T>;
  /** An instant query evaluated now. */
  query(expr: string): Promise<VectorSample[]>;
  targets(): Promise<ActiveTarget[]>;
  /** The metadata Prometheus keeps for the targets of one job. */
  metadata(jobName: string): Promise<TargetMetadata[]>;
  /** The value of an unlabelled series of Prometheus's own `/metrics` (its scrape drop counters). */
  selfMetric(name: string): Promise<number>;
  /** Resolves once every configured job has been scraped at least `count` times. */
  waitForScrapes(count: number, timeoutMs?: number): Promise<void>;
  /** What Prometheus logged so far. */
  output(): string;
  /** Stops it by PID and removes its directory (idempotent). */
  stop(): Promise<void>;
}

/** A Prometheus sample value (`"1.5"`, `"NaN"`, `"+Inf"`, `"-Inf"`) as a number. */
export function promValue(value: string): number {
  if (value === '+Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return Number(value);
}

function scrapeConfig(job: ScrapeJob): Record<string, unknown> {
  const u = new URL(job.url);
  if (u.hostname !== '127.0.0.1') throw new Error(`scrape targets must be on 127.0.0.1, got ${job.url}`);
  return {
    job_name: job.jobName,
    scheme: u.protocol.replace(':', ''),
    metrics_path: u.pathname,
    ...(u.search === '' ? {} : { params: Object.fromEntries([...u.searchParams.keys()].map((k) => [k, u.searchParams.getAll(k)])) }),
    static_configs: [{ targets: [u.host] }],
    ...job.config,
  };
}

/** One scrape config per job name: jobs sharing a name are the instances (targets) of one job. */
function scrapeConfigs(jobs: readonly ScrapeJob[]): Record<string, unknown>[] {
  const byName = new Map<string, { config: Record<string, unknown>; targets: string[] }>();
  for (const job of jobs) {
    const config = scrapeConfig(job);
    const targets = (config.static_configs as { targets: string[] }[])[0].targets;
    const known = byName.get(job.jobName);
    if (known === undefined) byName.set(job.jobName, { config: { ...config, static_configs: [{ targets }] }, targets });
    else known.targets.push(...targets);
  }
  return [...byName.values()].map((entry) => entry.config);
}

/**
 * Starts `/usr/bin/prometheus` on a free loopback port with a private `--storage.tsdb.path`
 * and a config scraping `jobs` every second, and resolves once `/-/ready` answers.
 *
 * The config is written into the daemon's own temporary directory by a `sh` that then
 * `exec`s Prometheus, so the PID the test stops is Prometheus's and one `rm -r` removes
 * everything it wrote.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  // YAML is a superset of JSON: no YAML writer needed.
  const config = JSON.stringify({
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: `${options.evaluationIntervalSeconds ?? 60}s` },
    scrape_configs: scrapeConfigs(options.jobs),
    ...(options.rules === undefined ? {} : { rule_files: ['rules.yml'] }),
  });
  const args = [
    `--config.file={dir}/prometheus.yml`,
    `--storage.tsdb.path={dir}/data`,
    '--web.listen-address=127.0.0.1:{port}',
    '--log.level=warn',
  ];
  if (options.features !== undefined && options.features.length > 0) args.push(`--enable-feature=${options.features.join(',')}`);
  const daemon: Daemon = await startDaemon({
    command: '/bin/sh',
    args: ['-c', 'printf "%s" "$1" > "$3/prometheus.yml" && printf "%s" "$2" > "$3/rules.yml" && shift 3 && exec "$@"', 'sh', config, options.rules ?? '', '{dir}', BIN.prometheus, ...args],
    readyUrl: 'http://127.0.0.1:{port}/-/ready',
    readyTimeoutMs: 30_000,
  });
  const url = `http://127.0.0.1:${daemon.port}`;

  async function api<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const query = new URLSearchParams(params).toString();
    const res = await fetch(`${url}/api/v1/${path}${query === '' ? '' : `?${query}`}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}?${query}: ${body.error ?? res.status}`);
    return body.data;
  }

  async function query(expr: string): Promise<VectorSample[]> {
    const data = await api<{ resultType: string; result: VectorSample[] }>('query', { query: expr });
    if (data.resultType !== 'vector') throw new Error(`expected a vector for ${expr}, got ${data.resultType}`);
    return data.result;
  }

  async function targets(): Promise<ActiveTarget[]> {
    return (await api<{ activeTargets: ActiveTarget[] }>('targets', { state: 'active' })).activeTargets;
  }

  return {
    url,
    pid: daemon.pid,
    dir: daemon.dir,
    api,
    query,
    targets,
    metadata: (jobName) => api<TargetMetadata[]>('targets/metadata', { match_target: `{job=${JSON.stringify(jobName)}}` }),
    async selfMetric(name) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      if (line === undefined) throw new Error(`Prometheus does not expose ${name}`);
      return promValue(line.slice(name.length + 1).trim());
    },
    async waitForScrapes(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const jobs = options.jobs.map((j) => j.jobName);
      let seen = new Map<string, number>();
      for (;;) {
        seen = new Map((await query('count_over_time(up[10m])')).map((s) => [s.metric.job, Number(s.value[1])]));
        if (jobs.every((j) => (seen.get(j) ?? 0) >= count)) return;
        if (Date.now() > deadline) {
          const state = (await targets()).map((t) => `${t.scrapePool}: ${t.health} ${t.lastError}`).join('\n');
          throw new Error(`Prometheus did not scrape every job ${count} times in ${timeoutMs} ms: ${JSON.stringify([...seen])}\n${state}\n${daemon.output()}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    output: () => daemon.output(),
    stop: () => daemon.stop(),
  };
}
