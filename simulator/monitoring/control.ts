/**
 * Test hooks of the monitoring APIs: metrics that fail inside a 200 answer
 * (the `{"metric_name", "error"}` entries of a partial failure), and the
 * state of the 4.x WhizardTelemetry extension.
 */

/**
 * `installed`: 4.x `v1beta1` routes answer. `absent`: no APIService, the
 * request falls through to the router (404). `unavailable`: the APIService
 * exists but is not Available, so ks-apiserver answers 503 with a raw
 * `{"ErrStatus": …}` body (`release-4.1:pkg/apiserver/filters/apiservice.go`).
 */
export type ExtensionState = 'installed' | 'absent' | 'unavailable';

/** The error text Prometheus's client gives for a failed query (the 3.4 fixture's text). */
export const DEFAULT_METRIC_ERROR = 'internal: inconsistent body for response code';

export class MonitoringControl {
  private readonly failing = new Map<string, string>();
  extension: ExtensionState;

  constructor(extension: ExtensionState = 'installed') {
    this.extension = extension;
  }

  /** Every query of this metric (any level, cluster and route) now answers `{"metric_name", "error"}`. */
  failMetric(name: string, error = DEFAULT_METRIC_ERROR): void {
    this.failing.set(name, error);
  }

  restoreMetric(name: string): void {
    this.failing.delete(name);
  }

  restoreAll(): void {
    this.failing.clear();
  }

  get failures(): ReadonlyMap<string, string> {
    return this.failing;
  }

  setExtension(state: ExtensionState): void {
    this.extension = state;
  }
}

/** Attached to the simulation object, so the shared server state needs no new field. */
const controls = new WeakMap<object, MonitoringControl>();

export function attachMonitoring(sim: object, extension?: ExtensionState): MonitoringControl {
  const control = new MonitoringControl(extension);
  controls.set(sim, control);
  return control;
}

export function monitoringOf(sim: object): MonitoringControl {
  let control = controls.get(sim);
  if (!control) {
    control = new MonitoringControl();
    controls.set(sim, control);
  }
  return control;
}
