export * from './errors.js';
export * from './metric-type.js';
export * from './sample.js';
export * from './metric-family.js';
export * from './names.js';
export * from './sample-names.js';
export * from './number-format.js';
export * from './restrict-families.js';
