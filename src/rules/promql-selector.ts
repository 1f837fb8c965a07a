/** A PromQL string literal: double-quoted, escaped as Go's `strconv.Unquote` reads it. */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}

/** `name{label="value",...}`, or `name` when there are no matchers. */
export function selector(name: string, matchers: Readonly<Record<string, string>>, negated: Readonly<Record<string, string>> = {}): string {
  const parts = [
    ...Object.entries(matchers).map(([label, value]) => `${label}=${promqlString(value)}`),
    ...Object.entries(negated).map(([label, value]) => `${label}!=${promqlString(value)}`),
  ];
  return parts.length === 0 ? name : `${name}{${parts.join(',')}}`;
}
