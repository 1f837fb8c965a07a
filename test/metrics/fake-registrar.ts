import { DuplicateMetricError } from '../../src/model/index.js';
import { Metric } from '../../src/metrics/index.js';
import type { InstrumentRegistrar, RegistrableInstrument } from '../../src/metrics/index.js';

/**
 * A minimal registrar with the registry's get-or-create contract: an instrument whose
 * definition equals a registered one of the same name gets that one back; a different
 * definition throws DuplicateMetricError carrying `definitionConflict`'s reason.
 */
export class FakeRegistrar implements InstrumentRegistrar {
  readonly registered: RegistrableInstrument[] = [];

  register<T extends RegistrableInstrument>(instrument: T): T {
    if (instrument instanceof Metric) {
      for (const existing of this.registered) {
        if (existing instanceof Metric && existing.name === instrument.name) {
          const conflict = existing.definitionConflict(instrument);
          if (conflict === undefined) return existing as unknown as T;
          throw new DuplicateMetricError(instrument.name, conflict);
        }
      }
    }
    this.registered.push(instrument);
    return instrument;
  }
}
