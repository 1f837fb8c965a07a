/** The native check (ES2024, in every Node promkit supports); typed here because the build targets ES2023. */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * True when `text` is well-formed UTF-16: no lone surrogate. A lone surrogate has no UTF-8
 * encoding, so `'\uD800'`, `'\uDBFF'` and `'\uFFFD'` would all be sent as the same bytes
 * (U+FFFD) and three distinct series would reach the scraper as one.
 */
export function isWellFormedText(text: string): boolean {
  return (text as WellFormedString).isWellFormed();
}

/** `text` with each lone surrogate replaced by U+FFFD: for names promkit writes itself (a collector's label). */
export function toWellFormedText(text: string): string {
  return (text as WellFormedString).toWellFormed();
}
