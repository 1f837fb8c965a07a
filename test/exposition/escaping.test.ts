import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { escapeLabelValue, escapeOpenMetricsHelp, escapeTextHelp, renderLabels } from '../../src/exposition/index.js';

/** The OpenMetrics ABNF's escaped-string, read back: `\\`, `\"`, `\n`. */
function unescapeLabelValue(s: string): string {
  return s.replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** True when `s` is a valid escaped-string: no raw `"` or line feed, every `\` starts a known escape. */
function isEscapedString(s: string, escapes: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\n') return false;
    if (c === '"' && escapes.includes('"')) return false;
    if (c === '\\') {
      if (!escapes.includes(s[i + 1] ?? '')) return false;
      i++;
    }
  }
  return true;
}

describe('escaping', () => {
  it('escapes label values: backslash, double quote, line feed', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue('\\n')).toBe('\\\\n');
    expect(escapeLabelValue('')).toBe('');
    expect(escapeLabelValue('tab\tcr\r ✓')).toBe('tab\tcr\r ✓');
  });

  it('escapes 0.0.4 HELP: backslash and line feed only', () => {
    expect(escapeTextHelp('a\\b"c\nd')).toBe('a\\\\b"c\\nd');
  });

  it('escapes OpenMetrics HELP like label values', () => {
    expect(escapeOpenMetricsHelp('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('label value escaping is valid and reversible for any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const escaped = escapeLabelValue(value);
        expect(isEscapedString(escaped, '\\"n')).toBe(true);
        expect(unescapeLabelValue(escaped)).toBe(value);
      }),
    );
  });

  it('0.0.4 HELP escaping is reversible for any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (help) => {
        const escaped = escapeTextHelp(help);
        expect(isEscapedString(escaped, '\\n')).toBe(true);
        expect(unescapeLabelValue(escaped)).toBe(help);
      }),
    );
  });

  it('renders label sets in their own order, empty as nothing', () => {
    expect(renderLabels({})).toBe('');
    expect(renderLabels({ z: '1', a: 'x"y' })).toBe('{z="1",a="x\\"y"}');
  });
});
