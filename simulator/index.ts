/**
 * The built-in KubeSphere simulator: a standalone HTTP server that behaves
 * like ks-apiserver 3.4 or 4.1 over a seeded, deterministic demo world.
 */
export type { Flavour } from './types.ts';
export { startSimulator, type RecordedRequest, type Simulator, type SimulatorOptions, type Watches } from './server.ts';
export type { StreamFilter } from './watch.ts';
export { DEMO } from './demo.ts';
export type { Fault, FaultRule } from './faults.ts';
export type { Change, ChangeType } from './store.ts';
export type { KObject } from './types.ts';
export { T as RESOURCES } from './resources.ts';
export { expectedMetricValue, objectKey, NAMED_METRICS, type Level, type ExtensionState, type MonitoringControl } from './monitoring/index.ts';
