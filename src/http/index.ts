export * from './content-encoding.js';
export * from './chunked-writing.js';
export * from './metrics-handler.js';
export * from './http-server.js';
