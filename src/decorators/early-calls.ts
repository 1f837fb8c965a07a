import type { Registry } from '../registry/index.js';
import { readCallLabels } from './call-recorder.js';
import type { MethodRecorder, ReadCallLabels, RecordedMethod, SeriesLabels } from './decorator-types.js';
import type { MetricsRuntime } from './metrics-runtime.js';

interface EarlyCall {
  readonly method: RecordedMethod<Registry>;
  /** What `labelsFrom` gave this call, read when it was made (only for methods whose labels come from their arguments). */
  readonly labels: ReadCallLabels | undefined;
  readonly start: number;
  end: number;
  settled: boolean;
  failed: boolean;
  outcome: unknown;
  /**
   * Where the end of a call still running when the calls were handed over goes (`null`:
   * nowhere, the method has no recorder there).
   */
  handedTo: { readonly recorder: MethodRecorder; readonly labels: SeriesLabels | undefined; readonly start: number } | null | undefined;
}

/**
 * The calls an instance made before it was tied to a runtime: those its constructor (or a
 * `@postConstruct`, or property injection) made while the container that creates it had
 * not activated it yet. They are kept, then recorded into the runtime the instance is
 * tied to ({@link handOver}) with their own durations and outcomes, so that no call goes
 * to a registry the instance does not belong to.
 */
export class EarlyCalls {
  private calls: EarlyCall[] = [];
  private handedOver = false;

  /** Runs one call of `method` on `self` and keeps what happened. */
  run(method: RecordedMethod<Registry>, original: (...args: unknown[]) => unknown, self: unknown, args: ArrayLike<unknown>): unknown {
    const call: EarlyCall = {
      method,
      labels: method.definition.callLabelNames.length > 0 ? readCallLabels(method.definition, args, self) : undefined,
      start: performance.now(),
      end: 0,
      settled: false,
      failed: false,
      outcome: undefined,
      handedTo: undefined,
    };
    if (!this.handedOver) this.calls.push(call);
    let result: unknown;
    try {
      result = original.apply(self, args as unknown[]);
    } catch (error) {
      settle(call, true, error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          settle(call, false, value);
          return value;
        },
        (error: unknown) => {
          settle(call, true, error);
          throw error;
        },
      );
    }
    settle(call, false, result);
    return result;
  }

  /**
   * Records the kept calls into `runtime` (the instance's series must exist there already):
   * settled calls at once, with their measured duration; running ones when they settle.
   */
  handOver(runtime: MetricsRuntime): void {
    if (this.handedOver) return;
    this.handedOver = true;
    const calls = this.calls;
    this.calls = [];
    for (const call of calls) {
      const recorder = runtime.recorderOf(call.method);
      if (recorder === null) {
        call.handedTo = null;
        continue;
      }
      const labels = recorder.perCallLabels && call.labels !== undefined ? recorder.labelsOfRead(call.labels) : undefined;
      if (call.settled) {
        // Its measured duration, ending now: the recorders compute durations from `now`.
        const start = recorder.enterAt(labels, performance.now() - (call.end - call.start));
        recorder.exit(start, labels, call.failed, call.outcome);
      } else {
        call.handedTo = { recorder, labels, start: recorder.enterAt(labels, call.start) };
      }
    }
  }
}

function settle(call: EarlyCall, failed: boolean, outcome: unknown): void {
  const handedTo = call.handedTo;
  if (handedTo !== undefined) {
    // Handed over while running: the start is on the same monotonic clock.
    handedTo?.recorder.exit(handedTo.start, handedTo.labels, failed, outcome);
    return;
  }
  call.end = performance.now();
  call.settled = true;
  call.failed = failed;
  call.outcome = outcome;
}
