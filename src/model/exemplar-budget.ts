/** OpenMetrics' limit on an exemplar's label names and values together, in code points. */
export const EXEMPLAR_MAX_CHARACTERS = 128;

/** Unicode code points in `text` (a surrogate pair counts once). */
export function codePointCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}
