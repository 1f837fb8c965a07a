import { afterAll } from '@jest/globals';
import { stopAllDaemons } from './daemon.js';

// After every test file: no daemon outlives the file that started it, even when a hook
// timed out in the middle of starting one.
afterAll(stopAllDaemons);
