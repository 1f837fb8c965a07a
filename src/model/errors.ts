/**
 * Every error promkit throws on bad input is a {@link PromkitError}: it names the metric,
 * what was wrong and what was expected, so the mistake is found at definition time and
 * never reaches a scrape.
 */
export class PromkitError extends Error {
  /** The metric (or collector) the error is about, when there is one. */
  readonly metric: string | undefined;

  constructor(message: string, metric?: string) {
    super(message);
    this.name = new.target.name;
    this.metric = metric;
  }
}

/** A metric name does not match `[a-zA-Z_:][a-zA-Z0-9_:]*`, or a unit/prefix makes it so. */
export class InvalidMetricNameError extends PromkitError {
  constructor(readonly metricName: string, reason: string) {
    super(`Invalid metric name ${JSON.stringify(metricName)}: ${reason}`, metricName);
  }
}

/** A label name does not match `[a-zA-Z_][a-zA-Z0-9_]*`, or is duplicated. */
export class InvalidLabelNameError extends PromkitError {
  constructor(
    metric: string,
    readonly labelName: string,
    /** What is wrong with the name, without the metric (e.g. `"le" is reserved on a histogram`). */
    readonly reason: string,
  ) {
    super(`Invalid label name ${JSON.stringify(labelName)} on metric ${JSON.stringify(metric)}: ${reason}`, metric);
  }
}

/** A label name is reserved: `__`-prefixed names, or `le`/`quantile` on histograms/summaries. */
export class ReservedLabelNameError extends InvalidLabelNameError {}

/** The labels given when recording do not match the metric's declared `labelNames`. */
export class LabelSetMismatchError extends PromkitError {
  constructor(metric: string, expected: readonly string[], reason: string) {
    super(
      `Wrong labels for metric ${JSON.stringify(metric)}: ${reason}; expected [${expected.map((l) => JSON.stringify(l)).join(', ')}]`,
      metric,
    );
  }
}

/** Histogram buckets that are empty, unsorted, duplicated or not numbers. */
export class InvalidBucketsError extends PromkitError {
  constructor(metric: string, reason: string) {
    super(`Invalid buckets for metric ${JSON.stringify(metric)}: ${reason}`, metric);
  }
}

/** A value the metric cannot take: a negative or NaN counter increment, a NaN observation. */
export class InvalidValueError extends PromkitError {
  constructor(metric: string, reason: string) {
    super(`Invalid value for metric ${JSON.stringify(metric)}: ${reason}`, metric);
  }
}

/** An Enum (StateSet) was set to a state it does not declare. */
export class UnknownStateError extends PromkitError {
  constructor(
    metric: string,
    readonly state: string,
    states: readonly string[],
  ) {
    super(
      `Unknown state ${JSON.stringify(state)} for enum metric ${JSON.stringify(metric)}; expected one of [${states.map((s) => JSON.stringify(s)).join(', ')}]`,
      metric,
    );
  }
}

/** A different definition (type, help, unit, labels, buckets...) reuses a registered name. */
export class DuplicateMetricError extends PromkitError {
  constructor(metric: string, reason: string) {
    super(`Metric ${JSON.stringify(metric)} is already registered: ${reason}`, metric);
  }
}

/** Options that contradict each other or are out of range (e.g. both `buckets` and `percentiles`). */
export class InvalidOptionsError extends PromkitError {
  constructor(metric: string | undefined, reason: string) {
    super(metric === undefined ? `Invalid options: ${reason}` : `Invalid options for metric ${JSON.stringify(metric)}: ${reason}`, metric);
  }
}

/** A label value that cannot be exposed: not a string (or number), or not well-formed Unicode (a lone surrogate). */
export class InvalidLabelValueError extends PromkitError {
  constructor(
    metric: string,
    readonly labelName: string,
    /** What is wrong with the value. */
    readonly reason: string,
  ) {
    super(`Invalid value for label ${JSON.stringify(labelName)} of metric ${JSON.stringify(metric)}: ${reason}`, metric);
  }
}

/**
 * A family a collector handed the scrape pipeline breaks a rule of the exposition formats
 * (a bad name, a sample that does not belong to its type, a value its type cannot take, a
 * duplicate series...). Never thrown to the scraper: the family is left out of that scrape
 * and the collector is reported as failing, with this error.
 */
export class InvalidFamilyError extends PromkitError {
  constructor(
    family: string | undefined,
    /** What is wrong, without the family name. */
    readonly reason: string,
  ) {
    super(family === undefined ? `Invalid metric family: ${reason}` : `Invalid metric family ${JSON.stringify(family)}: ${reason}`, family);
  }
}

/** A family builder was given the same series (the same label values) twice. */
export class DuplicateSeriesError extends PromkitError {
  constructor(metric: string, labels: Readonly<Record<string, string>>) {
    super(`Metric family ${JSON.stringify(metric)} already has the series ${JSON.stringify(labels)}; each series is added once`, metric);
  }
}
