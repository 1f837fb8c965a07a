import { InvalidValueError } from './errors.js';
import { checkTimestamp, FamilyBuilder, makeSample, type FamilyAddArgs, type FamilyBuilderBase, type FamilyOptions, type SampleOptions } from './family-builder.js';

/** An info family named `x` (without `_info`): samples `x_info{...} 1`. */
export interface InfoFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'info';
  /** Adds a series (its labels are the information). Returns the family. */
  add(...args: FamilyAddArgs<L, [options?: SampleOptions]>): this;
}

class InfoFamilyBuilder extends FamilyBuilder {
  readonly type = 'info' as const;
  private readonly sampleName: string;
  /** Whether the series added so far carry a timestamp: parsers read all info samples as one group, all or none must. */
  private timestamped: boolean | undefined = undefined;

  constructor(options: FamilyOptions<string>) {
    super('info', options);
    this.sampleName = `${this.name}_info`;
  }

  add(a?: unknown, b?: unknown): this {
    const hasLabels = this.labelNames.length !== 0;
    const labels = this.resolveLabels(hasLabels ? a : undefined);
    const options = (hasLabels ? b : a) as SampleOptions | undefined;
    const timestamp = checkTimestamp(this.name, options === undefined ? undefined : options.timestamp);
    if (this.timestamped !== undefined && this.timestamped !== (timestamp !== undefined)) {
      throw new InvalidValueError(this.name, 'give a timestamp to every series of an info family or to none');
    }
    this.claimSeries(labels);
    this.timestamped = timestamp !== undefined;
    this.samples.push(makeSample(this.sampleName, labels, 1, timestamp));
    return this;
  }
}

/**
 * Builds an info family (client_python's `InfoMetricFamily`). The name may be given with or
 * without `_info`; each series is exposed as `name_info{...} 1`.
 *
 * @example
 * ```ts
 * infoFamily({ name: 'build', help: 'Build information.', labelNames: ['version', 'commit'] })
 *   .add({ version: '1.2.3', commit: 'abc123' });   // build_info{version="1.2.3",commit="abc123"} 1
 * ```
 */
export function infoFamily<L extends string = never>(options: FamilyOptions<L>): InfoFamily<L> {
  return new InfoFamilyBuilder(options) as unknown as InfoFamily<L>;
}

