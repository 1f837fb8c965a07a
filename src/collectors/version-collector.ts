import { infoFamily, type MetricDescriptor, type MetricFamily } from '../model/index.js';
import type { Collector } from '../registry/index.js';
import { resolveRuntimeOptions, type ResolvedRuntimeOptions, type RuntimeCollectorOptions } from './runtime-collector-options.js';

/**
 * `nodejs_version_info{version="v20.19.0",major="20",minor="19",patch="0"} 1`: an info
 * metric (family `nodejs_version`, type info; a gauge in the text format, as prom-client's).
 */
export class VersionCollector implements Collector {
  readonly collectorName = 'nodejs_version';
  private readonly options: ResolvedRuntimeOptions;
  private readonly labels: { readonly version: string; readonly major: string; readonly minor: string; readonly patch: string };

  constructor(options?: RuntimeCollectorOptions) {
    this.options = resolveRuntimeOptions('nodejs_version', options, ['version', 'major', 'minor', 'patch']);
    const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
    this.labels = Object.freeze({ version: process.version, major, minor, patch });
  }

  describe(): MetricDescriptor[] {
    return [{ name: `${this.options.prefix}nodejs_version`, type: 'info' }];
  }

  collect(): MetricFamily[] {
    return [
      infoFamily({
        name: `${this.options.prefix}nodejs_version`,
        help: 'Node.js version info.',
        labelNames: ['version', 'major', 'minor', 'patch'],
        constLabels: this.options.labels,
      }).add(this.labels),
    ];
  }
}
