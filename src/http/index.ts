export * from './content-encoding.js';
export * from './chunked-writing.js';
export * from './metrics-handler.js';
export * from './http-server.js';
export * from './http-errors.js';
export * from './web-config.js';
export type { ServerLimitOptions } from './server-limits.js';
