import { setDefaultRegistrar } from '../metrics/registrar.js';
import { Registry } from './registry.js';

/**
 * The registry instruments join when they are constructed without a `registry` option,
 * and that `startHttpServer()` serves by default (client_python's `REGISTRY`).
 */
export const defaultRegistry: Registry = new Registry();
setDefaultRegistrar(defaultRegistry);
