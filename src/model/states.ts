import { InvalidLabelValueError, InvalidOptionsError } from './errors.js';
import { isWellFormedText } from './unicode-text.js';

/**
 * The rule for the states of a stateset, shared by the `Enum` instrument and the stateset
 * family builder: a non-empty array of strings (each becomes a label value, so well-formed
 * Unicode), none twice. Returns a frozen copy.
 *
 * @throws {@link InvalidOptionsError} (or {@link InvalidLabelValueError} for a lone surrogate) naming `metric`.
 */
export function checkedStates<S extends string>(metric: string, states: readonly S[]): readonly S[] {
  if (!Array.isArray(states) || states.length === 0) throw new InvalidOptionsError(metric, 'states must be a non-empty array of strings');
  const seen = new Set<string>();
  for (const state of states as readonly unknown[]) {
    if (typeof state !== 'string') throw new InvalidOptionsError(metric, `state ${String(state)} is not a string`);
    if (!isWellFormedText(state)) throw new InvalidLabelValueError(metric, metric, `state ${JSON.stringify(state)} is not well-formed Unicode (a lone surrogate)`);
    if (seen.has(state)) throw new InvalidOptionsError(metric, `state ${JSON.stringify(state)} is declared twice`);
    seen.add(state);
  }
  return Object.freeze(states.slice());
}
