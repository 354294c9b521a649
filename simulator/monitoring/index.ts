/**
 * The monitoring APIs' single entry point, called by the dispatcher for
 * `/kapis/[clusters/{c}/]monitoring.kubesphere.io/{version}/…`: 3.4 serves
 * `v1alpha3` (in-tree, also on member clusters), 4.1 `v1beta1` (the
 * WhizardTelemetry extension, host only). Any other version is a router 404.
 */
import type { RequestContext } from '../context.ts';
import { routerNotFound } from '../errors.ts';
import type { Reply } from '../types.ts';
import { handleMonitoringV1alpha3 } from './v1alpha3.ts';
import { handleMonitoringV1beta1 } from './v1beta1.ts';

export { attachMonitoring, MonitoringControl, DEFAULT_METRIC_ERROR, type ExtensionState } from './control.ts';
export { expectedMetricValue, formatGoFloat, objectKey } from './values.ts';
export { NAMED_METRICS, type Level } from './catalog.ts';

export function handleMonitoring(ctx: RequestContext, version: string, tail: string[]): Reply {
  if (ctx.flavour === '3.4' && version === 'v1alpha3') return handleMonitoringV1alpha3(ctx, tail);
  if (ctx.flavour === '4.1' && version === 'v1beta1') return handleMonitoringV1beta1(ctx, tail);
  ctx.authorize({ verb: ctx.method === 'GET' ? 'get' : ctx.method.toLowerCase(), apiGroup: '' });
  return routerNotFound();
}
