/**
 * `GET …/pods/{name}/log`: deterministic container log lines, with
 * kube-apiserver's options (container, tailLines, sinceSeconds, limitBytes,
 * previous, timestamps) and `follow=true`, which keeps streaming a new line
 * every `logFollowIntervalMs` until the client leaves, the pod is deleted or
 * a test ends the stream.
 */
import type { ServerResponse } from 'node:http';
import type { RequestContext } from './context.ts';
import { badRequest } from './errors.ts';
import { T } from './resources.ts';
import type { KObject, Reply } from './types.ts';
import { nonNegativeInt, streamsOf } from './watch.ts';

type Any = Record<string, any>;

/** Historical lines per container instance; the first one is at the container's start, then one every 15 s. */
const HISTORY_LINES = 40;
const LINE_INTERVAL_MS = 15_000;

/** RFC 3339 with nanoseconds, as the kubelet timestamps lines. */
const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '000000Z');

function lineText(pod: KObject, container: string, seq: number, previous: boolean): string {
  if (seq === 0) return `starting ${container} in ${pod.metadata.namespace}/${pod.metadata.name}${previous ? ' (previous instance)' : ''}`;
  return previous ? `level=error msg="exiting" seq=${seq} container=${container}` : `level=info msg="handled request" seq=${seq} container=${container}`;
}

export function podLog(ctx: RequestContext, pod: KObject): Reply {
  const containers = ((pod.spec as Any).containers as Any[]).map((c) => c.name as string);
  const container = ctx.query.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
  if (!container) {
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`);
  }
  if (!containers.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  const previous = ctx.query.get('previous') === 'true';
  const status = (((pod.status as Any | undefined)?.containerStatuses as Any[] | undefined) ?? []).find((s) => s.name === container);
  if (previous && !(status?.restartCount > 0)) {
    throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
  }
  const timestamps = ctx.query.get('timestamps') === 'true';
  const tailLines = nonNegativeInt(ctx, 'tailLines');
  const sinceSeconds = nonNegativeInt(ctx, 'sinceSeconds');
  const limitBytes = nonNegativeInt(ctx, 'limitBytes');
  const follow = ctx.query.get('follow') === 'true' && !previous;

  const started = Date.parse(((pod.status as Any | undefined)?.startTime as string | undefined) ?? pod.metadata.creationTimestamp!);
  const render = (at: number, seq: number) => {
    const text = lineText(pod, container, seq, previous);
    return `${timestamps ? `${stamp(at)} ` : ''}${text}\n`;
  };
  let lines = Array.from({ length: HISTORY_LINES }, (_, seq) => ({ at: started + seq * LINE_INTERVAL_MS, seq }));
  if (sinceSeconds !== undefined) lines = lines.filter((l) => l.at >= Date.now() - sinceSeconds * 1000);
  if (tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - tailLines));
  let text = lines.map((l) => render(l.at, l.seq)).join('');
  // limitBytes cuts the answer at that many bytes, mid-line if need be.
  const cut = (s: string, budget: number) => Buffer.from(s).subarray(0, Math.max(0, budget)).toString('utf8');
  if (limitBytes !== undefined) text = cut(text, limitBytes);
  const headers = { 'content-type': 'text/plain' };
  if (!follow) return { status: 200, headers, body: text };

  const registry = streamsOf(ctx.sim);
  const store = ctx.store;
  return {
    status: 200,
    headers,
    body: '',
    stream(res: ServerResponse) {
      let sent = Buffer.byteLength(text);
      res.write(text);
      let seq = HISTORY_LINES;
      const end = () => {
        clearInterval(timer);
        remove();
        if (!res.writableEnded) res.end();
      };
      const timer = setInterval(() => {
        if (!store.get(T.pod, pod.metadata.namespace, pod.metadata.name)) return end();
        let line = render(Date.now(), seq++);
        if (limitBytes !== undefined) line = cut(line, limitBytes - sent);
        sent += Buffer.byteLength(line);
        if (line) res.write(line);
        if (limitBytes !== undefined && sent >= limitBytes) end();
      }, registry.logFollowIntervalMs);
      const remove = registry.add({ kind: 'log', cluster: store.name, resource: T.pod, user: ctx.user, end, expire: end });
      res.on('close', () => {
        clearInterval(timer);
        remove();
      });
      if (limitBytes !== undefined && sent >= limitBytes) end();
    },
  };
}
