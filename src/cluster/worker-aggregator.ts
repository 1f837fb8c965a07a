import {
  InvalidOptionsError,
  validateConstantLabels,
  type MetricDescriptor,
  type MetricFamily,
} from '../model/index.js';
import type { CollectContext, Collector } from '../registry/index.js';
import { AggregateState, type Contribution, type MergeModes } from './aggregate-state.js';
import { GAUGE_MODES, RUNTIME_GAUGE_MODES, type GaugeMode, type InfoMode, type QuantileMode } from './aggregation-modes.js';
import { isPromkitMessage, type AggregatorMessage } from './cluster-messages.js';
import type { WireFamily } from './worker-snapshot.js';

/** Options of a {@link ClusterAggregator} or {@link ThreadAggregator}. */
export interface AggregatorOptions {
  /**
   * How long a scrape waits for the workers, in seconds. A worker that has not answered by
   * then is left out of the wait: its last values are used and it is counted as `late` in
   * `promkit_cluster_workers`. Default 2; keep it below the scraper's timeout.
   */
  readonly workerTimeoutSeconds?: number;
  /** The mode of gauges not named in {@link gauges} (nor a default runtime gauge). Default `sum`. */
  readonly defaultGaugeMode?: GaugeMode;
  /**
   * Gauge (and gauge histogram, unknown) family name -> mode; these win over
   * {@link RUNTIME_GAUGE_MODES} and {@link defaultGaugeMode}.
   */
  readonly gauges?: Readonly<Record<string, GaugeMode>>;
  /** Info and stateset (enum) families: `consistent` (default) or `perWorker`. */
  readonly info?: InfoMode;
  /** Summary quantiles: `perWorker` (default) or `merged` (see {@link QuantileMode} for its error). */
  readonly quantiles?: QuantileMode;
  /** The label naming the worker on per-worker series. Default `worker`; the workers' own metrics must not use it. */
  readonly workerLabel?: string;
}

/** The family reporting workers by state. */
const WORKERS_FAMILY = 'promkit_cluster_workers';
/** The family counting workers that left (their counters kept). */
const EXITS_FAMILY = 'promkit_cluster_worker_exits';

/** A worker as the aggregator knows it. */
interface Member {
  readonly id: string;
  /** The order workers joined in (`last` gauges take the latest joiner's value). */
  joinOrder: number;
  joined: boolean;
  /** It left (its monotonic values are folded into the retained totals). */
  gone: boolean;
  /** The snapshot folded when it left, taken back if its final snapshot comes after. */
  folded: readonly WireFamily[] | undefined;
  snapshot: readonly WireFamily[] | undefined;
  /** The id of the latest `collect` it answered. */
  answered: number;
  send(message: AggregatorMessage): boolean;
}

/** One scrape waiting for the workers' answers. */
interface Waiter {
  readonly id: number;
  readonly members: readonly Member[];
  readonly done: () => void;
}

/** How many label sets (or `_created` times) the aggregate keeps before trimming. */
const CACHE_LIMIT = 1_000_000;

/** How many workers that left are remembered for a late final snapshot. */
const GONE_REMEMBERED = 64;

/**
 * The transport-independent half of the aggregators: which workers joined, asking them
 * for snapshots under a timeout, folding the counters of workers that leave, and merging
 * it all into one scrape. {@link ClusterAggregator} and {@link ThreadAggregator} connect
 * it to `node:cluster` and `worker_threads`.
 */
export abstract class WorkerAggregator implements Collector {
  /** Named in `promkit_collector_*` metrics. */
  readonly collectorName: string = 'cluster_aggregator';
  private readonly members = new Map<string, Member>();
  private readonly state = new AggregateState();
  private readonly modes: MergeModes;
  private readonly timeoutMs: number;
  private readonly waiters = new Set<Waiter>();
  private requestId = 0;
  private joins = 0;
  private exits = 0;

  constructor(options: AggregatorOptions = {}) {
    const timeout = options.workerTimeoutSeconds ?? 2;
    if (!(timeout > 0) || !Number.isFinite(timeout)) throw new InvalidOptionsError(undefined, `workerTimeoutSeconds must be a positive number of seconds, got ${timeout}`);
    this.timeoutMs = timeout * 1000;
    const workerLabel = options.workerLabel ?? 'worker';
    validateConstantLabels('(aggregator workerLabel)', { [workerLabel]: '' });
    const defaultMode = options.defaultGaugeMode ?? 'sum';
    // A Map: a gauge named like an Object.prototype member must not find one.
    const gauges = new Map<string, GaugeMode>([...Object.entries(RUNTIME_GAUGE_MODES), ...Object.entries(options.gauges ?? {})]);
    for (const [name, mode] of [['(defaultGaugeMode)', defaultMode], ...gauges] as const) {
      if (!GAUGE_MODES.includes(mode)) throw new InvalidOptionsError(name, `unknown gauge mode ${JSON.stringify(mode)}; expected one of ${GAUGE_MODES.join(', ')}`);
    }
    const info = options.info ?? 'consistent';
    if (info !== 'consistent' && info !== 'perWorker') throw new InvalidOptionsError(undefined, `info must be "consistent" or "perWorker", got ${JSON.stringify(info)}`);
    const quantiles = options.quantiles ?? 'perWorker';
    if (quantiles !== 'merged' && quantiles !== 'perWorker') throw new InvalidOptionsError(undefined, `quantiles must be "perWorker" or "merged", got ${JSON.stringify(quantiles)}`);
    this.modes = { workerLabel, info, quantiles, gaugeMode: (name) => gauges.get(name) ?? defaultMode };
  }

  /** The aggregator's own families; the workers' are only known once they answer. */
  describe(): MetricDescriptor[] {
    return [
      { name: WORKERS_FAMILY, type: 'gauge' },
      { name: EXITS_FAMILY, type: 'counter' },
    ];
  }

  /**
   * Asks every joined worker for a snapshot, waits for the answers (at most
   * `workerTimeoutSeconds`, or until the scrape is aborted), and merges the answers (or,
   * for a late worker, its last ones) with the totals of the workers that left.
   */
  async collect(context?: CollectContext): Promise<MetricFamily[]> {
    const id = ++this.requestId;
    const asked: Member[] = [];
    for (const member of this.members.values()) {
      if (!member.joined || member.gone) continue;
      if (member.send({ promkit: 'collect', id })) asked.push(member);
    }
    if (asked.length > 0) await this.answers(id, asked, this.waitMs(context), context?.signal);
    let answered = 0;
    let late = 0;
    let unjoined = 0;
    const contributions: Contribution[] = [];
    const live = [...this.members.values()].filter((m) => !m.gone).sort((a, b) => a.joinOrder - b.joinOrder);
    for (const member of live) {
      if (!member.joined) {
        unjoined++;
        continue;
      }
      if (member.answered >= id) answered++;
      else late++;
      if (member.snapshot !== undefined) contributions.push({ worker: member.id, families: member.snapshot });
    }
    const families = this.state.merge(contributions, this.modes);
    this.state.trimCaches(CACHE_LIMIT, families);
    const states: [string, number][] = [
      ['answered', answered],
      ['late', late],
      ['unjoined', unjoined],
    ];
    families.push(
      {
        name: WORKERS_FAMILY,
        type: 'gauge',
        unit: '',
        help: 'Workers of the last scrape by state: answered in time, late (their last values used), or not (yet) reporting to this aggregator.',
        samples: states.map(([state, value]) => ({ name: WORKERS_FAMILY, labels: { state }, value })),
      },
      {
        name: EXITS_FAMILY,
        type: 'counter',
        unit: '',
        help: 'Workers that left; their counters, histograms and summary counts stay in the totals.',
        samples: [{ name: `${EXITS_FAMILY}_total`, labels: {}, value: this.exits }],
      },
    );
    return families;
  }

  /** Resolves when every asked member answered `id`, left, the time is up, or `signal` aborts. */
  /** The worker timeout, cut to most of the time the registry gives this collection. */
  private waitMs(context: CollectContext | undefined): number {
    const allowed = context?.timeoutSeconds;
    return allowed !== undefined && allowed > 0 ? Math.min(this.timeoutMs, allowed * 800) : this.timeoutMs;
  }

  private answers(id: number, asked: readonly Member[], waitMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        id,
        members: asked,
        done: () => {
          this.waiters.delete(waiter);
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.done);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, waitMs);
      this.waiters.add(waiter);
      if (signal?.aborted) waiter.done();
      else signal?.addEventListener('abort', waiter.done, { once: true });
    });
  }

  private wake(): void {
    for (const waiter of this.waiters) {
      if (waiter.members.every((m) => m.gone || m.answered >= waiter.id)) waiter.done();
    }
  }

  /**
   * A worker appeared (forked or added): it counts as `unjoined` until it says hello.
   * `send` delivers a message to it and returns false when it cannot.
   *
   * @internal For the transports (cluster, threads).
   */
  protected admit(id: string, send: (message: AggregatorMessage) => boolean): void {
    if (this.members.has(id)) return;
    this.members.set(id, { id, joinOrder: 0, joined: false, gone: false, folded: undefined, snapshot: undefined, answered: 0, send });
    send({ promkit: 'welcome' });
  }

  /**
   * A message from worker `id` (anything not promkit's is ignored).
   *
   * @internal For the transports (cluster, threads).
   */
  protected receive(id: string, message: unknown): void {
    if (!isPromkitMessage(message)) return;
    const member = this.members.get(id);
    if (member === undefined) return;
    const kind = message.promkit;
    if (kind === 'hello') {
      if (!member.gone) this.join(member);
      return;
    }
    const families = (message as { families?: unknown }).families;
    if (!Array.isArray(families)) return;
    if (kind === 'snapshot' && !member.gone) {
      const answer = (message as { id?: unknown }).id;
      this.join(member);
      member.snapshot = families as WireFamily[];
      if (typeof answer === 'number' && answer > member.answered) member.answered = answer;
      this.wake();
    } else if (kind === 'final') {
      member.snapshot = families as WireFamily[];
      if (member.gone) {
        // Its exit was folded with an older snapshot: replace that fold.
        if (member.folded !== undefined) this.state.fold(member.folded, -1);
        this.state.fold(member.snapshot, 1);
        member.folded = member.snapshot;
      } else this.leave(member);
      member.send({ promkit: 'final-ack' });
    }
  }

  private join(member: Member): void {
    if (member.joined) return;
    member.joined = true;
    member.joinOrder = ++this.joins;
  }

  /**
   * Worker `id` exited or its channel closed.
   *
   * @internal For the transports (cluster, threads).
   */
  protected depart(id: string): void {
    const member = this.members.get(id);
    if (member !== undefined && !member.gone) this.leave(member);
  }

  private leave(member: Member): void {
    member.gone = true;
    if (member.snapshot !== undefined) {
      this.state.fold(member.snapshot, 1);
      member.folded = member.snapshot;
    }
    if (member.joined) this.exits++;
    this.forgetOldGone();
    this.wake();
  }

  private forgetOldGone(): void {
    let gone = 0;
    for (const m of this.members.values()) if (m.gone) gone++;
    for (const m of this.members.values()) {
      if (gone <= GONE_REMEMBERED) break;
      if (m.gone) {
        this.members.delete(m.id);
        gone--;
      }
    }
  }
}
