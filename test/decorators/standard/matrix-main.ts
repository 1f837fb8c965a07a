// Runs the binding matrix and prints what it observed as JSON (see binding-matrix.ts).
import { runBindingMatrix } from './binding-matrix.js';

process.stdout.write(JSON.stringify(await runBindingMatrix()));
