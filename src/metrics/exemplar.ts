import { InvalidLabelNameError, InvalidLabelValueError, InvalidValueError, isValidLabelName, isWellFormedText } from '../model/index.js';
import type { Exemplar, LabelSet } from '../model/index.js';
import { codePointCount, EXEMPLAR_MAX_CHARACTERS } from '../model/exemplar-budget.js';
import { labelValue } from './series-store.js';

export { EXEMPLAR_MAX_CHARACTERS };

/**
 * Builds the exemplar attached to a counter increment or a histogram observation: a
 * frozen copy of `labels`, the recorded `value` and the current time (unix seconds).
 *
 * Throws `InvalidLabelNameError` for an illegal label name and `InvalidValueError` when
 * the label names and values together exceed {@link EXEMPLAR_MAX_CHARACTERS} code points.
 *
 * @internal Called by `Counter` and `Histogram`.
 */
export function createExemplar(metric: string, labels: LabelSet, value: number): Exemplar {
  if (typeof labels !== 'object' || labels === null) {
    throw new InvalidValueError(metric, 'exemplar labels must be an object of label name -> value');
  }
  const copy: Record<string, string> = {};
  let characters = 0;
  for (const name of Object.keys(labels)) {
    if (!isValidLabelName(name)) {
      throw new InvalidLabelNameError(metric, name, 'exemplar label names must match [a-zA-Z_][a-zA-Z0-9_]* and not start with "__"');
    }
    const text = labelValue(labels[name]);
    if (!isWellFormedText(text)) throw new InvalidLabelValueError(metric, name, 'exemplar label value is not well-formed Unicode (a lone surrogate)');
    characters += codePointCount(name) + codePointCount(text);
    copy[name] = text;
  }
  if (characters > EXEMPLAR_MAX_CHARACTERS) {
    throw new InvalidValueError(
      metric,
      `exemplar labels have ${characters} characters (names and values); OpenMetrics allows at most ${EXEMPLAR_MAX_CHARACTERS}`,
    );
  }
  return Object.freeze({ labels: Object.freeze(copy), value, timestamp: Date.now() / 1000 });
}
