/** SLO rules and dashboards generated from the decorators' metadata (what the `promkit` command prints). */
export * from './burn-rate-windows.js';
export * from './slo-rules.js';
export * from './rules-yaml.js';
export * from './grafana-dashboard.js';
export * from './module-loader.js';
export { runCommand, parseArguments, UsageError } from './command.js';
