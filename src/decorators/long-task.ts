import { CallRecorder, type MethodContext } from './call-recorder.js';
import type { SeriesLabels } from './decorator-types.js';
import { addScrapeTimeSource, type AddSeries, type ScrapeFamilyShape, type ScrapeTimeSource } from './scrape-time-collector.js';

/** The metric name `@Timed({ longTask: true })` uses unless given a `name`. */
export const LONG_TASK_METRIC = 'method_long_tasks';

/** The families of a long-task timer named `name`, as suffixes of it. */
export const LONG_TASK_SUFFIXES = {
  /** Tasks running now. */
  active: '_active',
  /** Seconds the running tasks have been running, added up. */
  running: '_running_seconds',
  /** Seconds the longest-running task has been running (0 when none runs). */
  maxRunning: '_max_running_seconds',
} as const;

/** The calls of one series running now, by start time (a multiset: two calls may start at once). */
class RunningCalls {
  private readonly starts: number[] = [];

  constructor(readonly labels: SeriesLabels) {}

  add(start: number): void {
    this.starts.push(start);
  }

  remove(start: number): void {
    const at = this.starts.lastIndexOf(start);
    if (at < 0) return;
    this.starts[at] = this.starts[this.starts.length - 1];
    this.starts.pop();
  }

  report(add: AddSeries, now: number): void {
    let total = 0;
    let oldest = now;
    for (const start of this.starts) {
      total += now - start;
      if (start < oldest) oldest = start;
    }
    add(0, this.labels, this.starts.length);
    add(1, this.labels, Math.max(0, total) / 1000);
    add(2, this.labels, Math.max(0, now - oldest) / 1000);
  }
}

/**
 * A long-task timer of one method in one registry: the calls running now, read when the
 * registry is collected (count, total and longest running time). A call leaves it when it
 * settles; completed calls leave no trace here (time them with an ordinary `@Timed()`).
 */
export class LongTaskRecorder extends CallRecorder implements ScrapeTimeSource {
  private readonly fixed: RunningCalls | null;
  private readonly bySeries = new Map<string, RunningCalls>();

  constructor(context: MethodContext) {
    super(context);
    this.fixed = this.perCallLabels ? null : new RunningCalls({ ...context.baseLabels });
    addScrapeTimeSource(context.registry, longTaskShapes(context), this);
  }

  enter(labels: SeriesLabels | undefined): number {
    const start = performance.now();
    this.runningFor(labels).add(start);
    return start;
  }

  override enterAt(labels: SeriesLabels | undefined, start: number): number {
    this.runningFor(labels).add(start);
    return start;
  }

  exit(start: number, labels: SeriesLabels | undefined): void {
    this.runningFor(labels).remove(start);
  }

  collect(add: AddSeries): void {
    const now = performance.now();
    if (this.fixed !== null) this.fixed.report(add, now);
    for (const calls of this.bySeries.values()) calls.report(add, now);
  }

  private runningFor(labels: SeriesLabels | undefined): RunningCalls {
    if (this.fixed !== null) return this.fixed;
    const series = labels ?? this.context.baseLabels;
    const key = JSON.stringify(Object.values(series));
    let calls = this.bySeries.get(key);
    if (calls === undefined) {
      calls = new RunningCalls({ ...series });
      this.bySeries.set(key, calls);
    }
    return calls;
  }
}

function longTaskShapes(context: MethodContext): ScrapeFamilyShape[] {
  const labelNames = context.familyLabelNames;
  const base = context.metricName;
  const what = context.definition.help;
  return [
    { name: base + LONG_TASK_SUFFIXES.active, help: `${what}: calls running now.`, labelNames },
    { name: base + LONG_TASK_SUFFIXES.running, help: `${what}: seconds the running calls have been running, added up.`, labelNames },
    { name: base + LONG_TASK_SUFFIXES.maxRunning, help: `${what}: seconds the longest-running call has been running (0 when none runs).`, labelNames },
  ];
}
