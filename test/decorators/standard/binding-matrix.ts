/**
 * The binding matrix: every way inversify can create a decorated instance (binding shape ×
 * scope × call site), each in a fresh container with MetricsPlugin and MetricsModule, and
 * what each container's registry counted. Compiled with standard decorators by
 * ../standard-decorators.test.ts, and run with legacy ones by test/di/binding-matrix.test.ts;
 * nothing here decides what is right.
 */
import 'reflect-metadata';
import { Container, type ServiceIdentifier } from 'inversify';
import { Counted } from '../../../src/decorators/index.js';
import { METRICS_REGISTRY, MetricsModule, MetricsPlugin } from '../../../src/di/index.js';
import { defaultRegistry, Registry } from '../../../src/registry/index.js';

export const SHAPES = ['toSelf', 'symbol', 'string', 'abstract', 'dynamic', 'resolved'] as const;
export const SCOPES = ['singleton', 'transient', 'request'] as const;
export const SITES = ['direct', 'getAsync', 'getAll', 'injected', 'constructor', 'child', 'child-of-parent-binding'] as const;

/** One cell of the matrix: how many calls were made, and what the container's registry counted. */
export interface MatrixCell {
  readonly shape: (typeof SHAPES)[number];
  readonly scope: (typeof SCOPES)[number];
  readonly site: (typeof SITES)[number];
  readonly calls: number;
  readonly counted: number | undefined;
}

/** What the matrix observed. */
export interface MatrixResult {
  readonly cells: MatrixCell[];
  /** Samples of the matrix's metric in the default registry after every cell ran. */
  readonly inDefault: number;
  /** Two containers in one process, 1 and 2 calls. */
  readonly isolated: readonly [number | undefined, number | undefined];
}

const METRIC = 'matrix_calls_total';

interface Work {
  work(): string;
}
type WorkClass = new () => Work;

/** Fresh classes per cell, so that no cell sees what an earlier one did to a class. */
function services(): { Work: abstract new () => Work; Worker: WorkClass; EagerWorker: WorkClass } {
  abstract class AbstractWork implements Work {
    abstract work(): string;
  }
  class Worker extends AbstractWork {
    @Counted({ name: METRIC })
    work(): string {
      return 'worked';
    }
  }
  class EagerWorker extends AbstractWork {
    constructor() {
      super();
      this.work();
    }

    @Counted({ name: METRIC })
    work(): string {
      return 'worked';
    }
  }
  return { Work: AbstractWork, Worker, EagerWorker };
}

class Consumer {
  constructor(private readonly worker: Work) {}

  // Typed per-call labels in both decorator modes (this file is type-checked as standard).
  @Counted({ name: 'matrix_uses_total', labelNames: ['times'], labelsFrom: ([times]: Parameters<Consumer['use']>) => ({ times: times ?? 1 }) })
  use(times = 1): string {
    return this.worker.work().repeat(times);
  }
}

function bindWork(container: Container, shape: MatrixCell['shape'], scope: MatrixCell['scope'], Work: abstract new () => Work, Impl: WorkClass): ServiceIdentifier<Work> {
  const token = Symbol('matrix.Work');
  let id: ServiceIdentifier<Work>;
  let bound;
  switch (shape) {
    case 'toSelf':
      id = Impl;
      bound = container.bind(Impl).toSelf();
      break;
    case 'symbol':
      id = token;
      bound = container.bind<Work>(token).to(Impl);
      break;
    case 'string':
      id = 'matrix.Work';
      bound = container.bind<Work>('matrix.Work').to(Impl);
      break;
    case 'abstract':
      id = Work;
      bound = container.bind(Work).to(Impl);
      break;
    case 'dynamic':
      id = token;
      bound = container.bind<Work>(token).toDynamicValue(() => new Impl());
      break;
    case 'resolved':
      id = token;
      bound = container.bind<Work>(token).toResolvedValue(() => new Impl());
      break;
  }
  if (scope === 'singleton') bound.inSingletonScope();
  else if (scope === 'transient') bound.inTransientScope();
  else bound.inRequestScope();
  return id;
}

async function runCell(shape: MatrixCell['shape'], scope: MatrixCell['scope'], site: MatrixCell['site']): Promise<MatrixCell> {
  const { Work, Worker, EagerWorker } = services();
  const registry = new Registry();
  const container = new Container();
  container.register(MetricsPlugin);
  container.load(new MetricsModule({ registry }));
  const Impl = site === 'constructor' ? EagerWorker : Worker;
  let resolver = container;
  let bindIn = container;
  if (site === 'child' || site === 'child-of-parent-binding') {
    resolver = new Container({ parent: container });
    resolver.register(MetricsPlugin);
    if (site === 'child') bindIn = resolver;
  }
  const id = bindWork(bindIn, shape, scope, Work, Impl);
  let calls = 0;
  for (let round = 0; round < 2; round++) {
    switch (site) {
      case 'getAsync':
        (await resolver.getAsync(id)).work();
        calls++;
        break;
      case 'getAll':
        for (const worker of resolver.getAll(id)) {
          worker.work();
          calls++;
        }
        break;
      case 'injected': {
        const CONSUMER = Symbol.for('matrix.Consumer');
        if (round === 0) container.bind(CONSUMER).toResolvedValue((worker: Work) => new Consumer(worker), [id]);
        resolver.get<Consumer>(CONSUMER).use();
        calls++;
        break;
      }
      default:
        resolver.get(id).work();
        calls++;
    }
  }
  // A constructor's call, once per instance the scope makes.
  if (site === 'constructor') calls += scope === 'singleton' ? 1 : 2;
  const counted = await valueIn(container.get(METRICS_REGISTRY), Impl.name);
  return { shape, scope, site, calls, counted };
}

async function valueIn(registry: Registry, className: string): Promise<number | undefined> {
  const { families } = await registry.collect();
  const samples = families.flatMap((f) => f.samples).filter((s) => s.name === METRIC && s.labels.class === className && s.labels.result === 'success');
  if (samples.length > 1) throw new Error(`${samples.length} samples for ${className}`);
  return samples[0]?.value;
}

async function isolatedPair(): Promise<[number | undefined, number | undefined]> {
  const { Worker } = services();
  const counts: (number | undefined)[] = [];
  for (const calls of [1, 2]) {
    const container = new Container();
    container.register(MetricsPlugin);
    container.load(new MetricsModule({ registry: new Registry() }));
    const TOKEN = Symbol('matrix.Isolated');
    container.bind<Work>(TOKEN).to(Worker).inSingletonScope();
    for (let i = 0; i < calls; i++) container.get<Work>(TOKEN).work();
    counts.push(await valueIn(container.get(METRICS_REGISTRY), 'Worker'));
  }
  return [counts[0], counts[1]];
}

/** Runs every cell, then looks at the default registry once the event loop's turn ended. */
export async function runBindingMatrix(): Promise<MatrixResult> {
  const cells: MatrixCell[] = [];
  for (const shape of SHAPES) for (const scope of SCOPES) for (const site of SITES) cells.push(await runCell(shape, scope, site));
  const isolated = await isolatedPair();
  await new Promise((resolve) => setImmediate(resolve));
  const { families } = await defaultRegistry.collect();
  const inDefault = families.flatMap((f) => f.samples).filter((s) => s.name === METRIC).length;
  return { cells, inDefault, isolated };
}
