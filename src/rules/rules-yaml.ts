import type { RuleGroup } from './slo-rules.js';

/**
 * A YAML document for the value: mappings and sequences in block style, every string
 * double-quoted (a JSON string is a YAML double-quoted scalar; the few characters YAML
 * reads differently from JSON are escaped too), numbers and booleans plain. Enough for a
 * Prometheus rules file without a YAML library.
 */
export function toYaml(value: YamlValue): string {
  return `${render(value, 0).replace(/^\n/, '')}\n`;
}

/** What {@link toYaml} writes. */
export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** A Prometheus rules file (`groups:`) for the groups, with a comment on top. */
export function rulesFileYaml(groups: readonly RuleGroup[], comment: string): string {
  const header = comment
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  return `${header}\n${toYaml({ groups: groups as unknown as YamlValue })}`;
}

/** A YAML double-quoted scalar. */
export function yamlString(text: string): string {
  // C1 controls, DEL, BOM and the Unicode line separators are printable or line breaks to
  // JSON but not to YAML.
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(key) ? key : yamlString(key);
}

function scalar(value: string | number | boolean): string {
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  return value ? 'true' : 'false';
}

function render(value: YamlValue, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value
      .map((item: YamlValue) => {
        const inner = render(item, indent + 2);
        // A mapping item starts on the dash's line: "- key: value".
        return `\n${pad}-${inner.startsWith('\n') ? ` ${inner.trimStart()}` : inner}`;
      })
      .join('');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as { readonly [key: string]: YamlValue });
    if (entries.length === 0) return ' {}';
    return entries.map(([key, item]) => `\n${pad}${yamlKey(key)}:${render(item, indent + 2)}`).join('');
  }
  return ` ${scalar(value as string | number | boolean)}`;
}
