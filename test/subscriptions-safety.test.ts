/**
 * Subscriptions' resource safety and the rest of the watch contract, end to
 * end with the real graphql-ws and graphql-sse clients: the caps, a slow
 * consumer, SIGTERM, the production profile's CSRF and origin rules,
 * resuming from a bookmark, and the other watched kinds on a member cluster.
 */
import { readFileSync } from 'node:fs';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CSRF_HEADER } from '../src/protections.ts';
import { RESOURCES, startSimulator, type Simulator } from '../simulator/index.ts';
import { changesOf, eventually, liveClient, sleep, TRANSPORTS, type LiveClient, type Received, type Subscription } from './helpers/live.ts';
import { startFacadeProcess, type FacadeProcess } from './helpers/process.ts';
import { ADMIN, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

const POD_CHANGES = `subscription ($cluster: String, $ns: String, $initial: Boolean) {
  podChanges(cluster: $cluster, namespace: $ns, initial: $initial) { type resourceVersion object { metadata { name labels } } }
}`;

const labelled = (value: string) => (p: any) => ({ ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, seq: value } } });

const errorCodes = (events: Received[]) => events.flatMap((e) => e.errors ?? []).map((e) => e.extensions?.code);

/** Resolves once the subscription has its first event (data or error). */
const first = (sub: Subscription) => sub.until((e) => e.length > 0);

describe('subscription caps', () => {
  let stack: Stack;
  let token: string;
  const clients: LiveClient[] = [];
  const client = (transport: 'ws' | 'sse') => {
    const c = liveClient(transport, stack.url, token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    stack = await startStack({ env: { SUBSCRIPTIONS_MAX: '3', SUBSCRIPTIONS_MAX_PER_CONNECTION: '2' } });
    token = await stack.login(ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await stack.close();
  });

  const open = () => stack.facade.live.openSubscriptions;

  it('ws: the per-connection cap, then the per-process cap; freed places are reusable', async () => {
    const a = client('ws');
    const a1 = a.subscribe(POD_CHANGES, { ns: 'alpha-web' });
    const a2 = a.subscribe(POD_CHANGES, { ns: 'alpha-api' });
    await Promise.all([first(a1), first(a2)]);
    expect(errorCodes([...a1.events, ...a2.events])).toEqual([]);

    // A third on the same socket is refused, though the process has room for one more.
    const a3 = a.subscribe(POD_CHANGES, { ns: 'demo-app' });
    await a3.until(() => a3.done);
    expect(errorCodes(a3.events)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(a3.events[0]!.errors![0]!.message).toMatch(/connection/);
    expect(open()).toBe(2);

    // Another socket takes the process's last place; the next is refused by the process cap.
    const b = client('ws');
    const b1 = b.subscribe(POD_CHANGES, { ns: 'demo-app' });
    await first(b1);
    expect(errorCodes(b1.events)).toEqual([]);
    const b2 = b.subscribe(POD_CHANGES, { ns: 'demo-db' });
    await b2.until(() => b2.done);
    expect(errorCodes(b2.events)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(b2.events[0]!.errors![0]!.message).toMatch(/server/);
    expect(open()).toBe(3);

    // Unsubscribing gives the place back, to the connection and to the process.
    a1.dispose();
    await eventually(() => open() === 2, 1_000, 'the place to be freed');
    const a4 = a.subscribe(POD_CHANGES, { ns: 'alpha-web' });
    await first(a4);
    expect(errorCodes(a4.events)).toEqual([]);
    expect(changesOf(a4.events, 'podChanges').length).toBeGreaterThan(0);

    // A closed socket gives back all of its places.
    a.drop();
    await eventually(() => open() === 1, 1_000, 'the dropped socket to free its places');
    const b3 = b.subscribe(POD_CHANGES, { ns: 'demo-db' });
    await first(b3);
    expect(errorCodes(b3.events)).toEqual([]);
    b1.dispose();
    b3.dispose();
    await eventually(() => open() === 0, 1_000, 'every place to be freed');
  });

  it('sse: the per-process cap; each SSE subscription is a connection of its own; freed places are reusable', async () => {
    const sse = client('sse');
    // Yoga serves graphql-sse in distinct-connections mode: one HTTP request (and so one connection) per subscription,
    // so with at most 2 per connection, 3 run side by side; the process cap refuses the 4th.
    const subs = ['alpha-web', 'alpha-api', 'demo-app'].map((ns) => sse.subscribe(POD_CHANGES, { ns }));
    await Promise.all(subs.map(first));
    expect(errorCodes(subs.flatMap((s) => s.events))).toEqual([]);
    expect(open()).toBe(3);
    const refused = sse.subscribe(POD_CHANGES, { ns: 'demo-db' });
    await refused.until(() => refused.done);
    expect(errorCodes(refused.events)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);

    subs[0]!.dispose();
    await eventually(() => open() === 2, 1_000, 'the place to be freed');
    const again = sse.subscribe(POD_CHANGES, { ns: 'demo-db' });
    await first(again);
    expect(errorCodes(again.events)).toEqual([]);
    expect(changesOf(again.events, 'podChanges').length).toBeGreaterThan(0);

    // A WebSocket counts against the same process cap.
    const ws = client('ws');
    const over = ws.subscribe(POD_CHANGES, { ns: 'alpha-web' });
    await over.until(() => over.done);
    expect(errorCodes(over.events)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);

    for (const s of [...subs, again]) s.dispose();
    await eventually(() => open() === 0, 1_000, 'every place to be freed');
    const after = ws.subscribe(POD_CHANGES, { ns: 'alpha-web' });
    await first(after);
    expect(errorCodes(after.events)).toEqual([]);
    after.dispose();
  });
});

describe('production profile: CSRF and origin rules on both transports', () => {
  let stack: Stack;
  let token: string;
  const clients: LiveClient[] = [];
  const client = (transport: 'ws' | 'sse', headers: Record<string, string>) => {
    const c = liveClient(transport, stack.url, token, headers);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
    token = stack.sim.issueToken('admin');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await stack.close();
  });

  it('ws: an upgrade with a foreign Origin is refused; this server’s Origin and no Origin work', async () => {
    const foreign = client('ws', { origin: 'https://evil.example' }).subscribe(POD_CHANGES, { ns: 'alpha-web' });
    await foreign.until(() => foreign.done);
    expect(foreign.events).toEqual([]);
    expect(foreign.error).toBeDefined();
    expect(stack.facade.live.openSubscriptions).toBe(0);

    // The refusal is an HTTP 403 before any WebSocket exists.
    const refused = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${stack.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers: { origin: 'https://evil.example' } });
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('open', () => reject(new Error('the upgrade was accepted')));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(403);

    for (const headers of [{ origin: stack.url }, {}] as Record<string, string>[]) {
      const sub = client('ws', headers).subscribe(POD_CHANGES, { ns: 'alpha-web' });
      await sub.until((e) => changesOf(e, 'podChanges').length > 0);
      expect(errorCodes(sub.events)).toEqual([]);
      sub.dispose();
    }
  });

  it('sse: a subscription without the CSRF header is refused; with it, it works', async () => {
    const bare = client('sse', {}).subscribe(POD_CHANGES, { ns: 'alpha-web' });
    await bare.until(() => bare.done);
    expect(changesOf(bare.events, 'podChanges')).toEqual([]);
    expect(String((bare.error as Error | undefined)?.message ?? JSON.stringify(bare.events))).toMatch(/403|CSRF|csrf/);
    expect(stack.facade.live.openSubscriptions).toBe(0);

    // The same request by hand: 403 and no stream.
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: POD_CHANGES, variables: { ns: 'alpha-web' } }),
    });
    expect(response.status).toBe(403);
    await response.text();

    const sub = client('sse', { [CSRF_HEADER]: '1' }).subscribe(POD_CHANGES, { ns: 'alpha-web' });
    await sub.until((e) => changesOf(e, 'podChanges').length > 0);
    expect(errorCodes(sub.events)).toEqual([]);
    sub.dispose();
  });
});

for (const flavour of FLAVOURS) {
  describe(`watch contract on KubeSphere ${flavour}`, () => {
    let stack: Stack;
    let admin: string;
    const clients: LiveClient[] = [];
    const open = (transport: 'ws' | 'sse') => {
      const c = liveClient(transport, stack.url, admin);
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      stack = await startStack({ flavour });
      admin = await stack.login(ADMIN.username, ADMIN.password);
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await stack.close();
    });

    for (const transport of TRANSPORTS) {
      it(`${transport}: a stream that ends after a bookmark resumes from the bookmark, nothing lost or repeated`, async () => {
        const ns = 'alpha-api';
        const watchesOfPods = () =>
          stack.sim.requests.filter((r) => r.query.watch !== undefined && r.path.endsWith(`/namespaces/${ns}/pods`) && r.status === 200);
        stack.sim.watches.bookmarkIntervalMs = 50;
        try {
          const before = watchesOfPods().length;
          const sub = open(transport).subscribe(POD_CHANGES, { ns, initial: true });
          await eventually(() => watchesOfPods().length === before + 1, 3_000, 'the upstream watch');
          const names = changesOf(await sub.until((e) => changesOf(e, 'podChanges').length > 0), 'podChanges').map((c) => c.object!.metadata.name);
          const pod = names[0]!;
          const initial = changesOf(sub.events, 'podChanges').length;
          const tag = `bm-${transport}-`;
          for (let i = 0; i < 5; i++) stack.sim.mutate('host', RESOURCES.pod, ns, pod, labelled(`${tag}${i}`));
          await sub.until((e) => changesOf(e, 'podChanges').some((c) => c.object?.metadata.labels.seq === `${tag}4`));
          const lastPodRv = Number(changesOf(sub.events, 'podChanges').at(-1)!.resourceVersion);

          // Writes elsewhere move the cluster's resourceVersion on; only a bookmark tells the pod watch about it.
          for (let i = 0; i < 3; i++) stack.sim.mutate('host', RESOURCES.configmap, 'alpha-web', 'web-config', labelled(`${tag}cm${i}`));
          const bookmarkRv = Number(stack.sim.changes('host').at(-1)!.resourceVersion);
          expect(bookmarkRv).toBeGreaterThan(lastPodRv);
          // Bookmarks come every 50 ms; give a loaded machine ample time to deliver one.
          await sleep(600);
          expect(stack.sim.watches.end({ resource: RESOURCES.pod })).toBeGreaterThan(0);
          await eventually(() => watchesOfPods().length === before + 2, 3_000, 'the resumed watch');
          const resumed = watchesOfPods().at(-1)!;
          expect(Number(resumed.query.resourceVersion)).toBe(bookmarkRv);

          for (let i = 5; i < 10; i++) stack.sim.mutate('host', RESOURCES.pod, ns, pod, labelled(`${tag}${i}`));
          await sub.until((e) => changesOf(e, 'podChanges').some((c) => c.object?.metadata.labels.seq === `${tag}9`));
          await sleep(200);
          const changes = changesOf(sub.events, 'podChanges').slice(initial);
          expect(changes.map((c) => `${c.type} ${c.object!.metadata.labels.seq}`)).toEqual(Array.from({ length: 10 }, (_, i) => `MODIFIED ${tag}${i}`));
          // No RESYNC, no re-list: the resume was a plain watch.
          expect(changesOf(sub.events, 'podChanges').filter((c) => c.type === 'RESYNC')).toEqual([]);
          sub.dispose();
        } finally {
          stack.sim.watches.bookmarkIntervalMs = 60_000;
        }
      });
    }

    const KINDS = [
      {
        field: 'deploymentChanges',
        kind: 'Deployment',
        resource: RESOURCES.deployment,
        args: '(cluster: "member-1", namespace: "beta-edge")',
        transport: 'ws',
        create: (name: string) => ({
          path: '/apis/apps/v1/namespaces/beta-edge/deployments',
          body: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name },
            spec: {
              replicas: 0,
              selector: { matchLabels: { app: name } },
              template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx' }] } },
            },
          },
        }),
      },
      {
        field: 'nodeChanges',
        kind: 'Node',
        resource: RESOURCES.node,
        args: '(cluster: "member-1")',
        transport: 'sse',
        create: (name: string) => ({ path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name } } }),
      },
      {
        field: 'namespaceChanges',
        kind: 'Namespace',
        resource: RESOURCES.namespace,
        args: '(cluster: "member-1")',
        transport: 'ws',
        create: (name: string) => ({ path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } }),
      },
      {
        field: 'eventChanges',
        kind: 'Event',
        resource: RESOURCES.event,
        args: '(cluster: "member-1", namespace: "beta-edge")',
        transport: 'sse',
        create: (name: string) => ({
          path: '/api/v1/namespaces/beta-edge/events',
          body: {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name, namespace: 'beta-edge' },
            involvedObject: { kind: 'Namespace', name: 'beta-edge', apiVersion: 'v1' },
            reason: 'Testing',
            message: 'created by a test',
            type: 'Normal',
            count: 1,
          },
        }),
      },
    ] as const;
    for (const kind of KINDS) {
      it(`${kind.transport}, member-1: ${kind.field} gives the current objects as ADDED, then live ADDED and MODIFIED`, async () => {
        const field = kind.field;
        const watching = () => stack.sim.watches.open({ kind: 'watch', cluster: 'member-1', resource: kind.resource });
        const sub = open(kind.transport).subscribe(
          `subscription { ${field}${kind.args} { type resourceVersion object { kind cluster metadata { name namespace labels } } } }`,
        );
        await eventually(() => watching() === 1, 3_000, 'the upstream watch');
        await sleep(200);
        expect(errorCodes(sub.events)).toEqual([]);
        const initial = changesOf(sub.events, field);
        expect(initial.every((c) => c.type === 'ADDED' && c.object!.cluster === 'member-1')).toBe(true);
        // The member cluster has no events to begin with: there, one is created, and arrives as ADDED.
        if (field === 'eventChanges') expect(initial).toEqual([]);
        else expect(initial.length).toBeGreaterThan(0);
        const name = `live-${field.toLowerCase()}`;
        await createOn(stack, admin, 'member-1', kind.create(name));
        await sub.until((e) => changesOf(e, field).some((c) => c.type === 'ADDED' && c.object!.metadata.name === name));

        const target = changesOf(sub.events, field)[0]!.object!;
        expect(target.kind).toBe(kind.kind);
        const count = changesOf(sub.events, field).length;
        stack.sim.mutate('member-1', kind.resource, target.metadata.namespace ?? undefined, target.metadata.name, labelled(`kinds-${field}`));
        await sub.until((e) => changesOf(e, field).some((c) => c.type === 'MODIFIED' && c.object!.metadata.labels?.seq === `kinds-${field}`));
        await sleep(100);
        const modified = changesOf(sub.events, field).slice(count);
        expect(modified.map((c) => [c.type, c.object!.metadata.name, c.object!.cluster])).toEqual([['MODIFIED', target.metadata.name, 'member-1']]);
        sub.dispose();
        await eventually(() => watching() === 0, 1_000, 'the watch to close');
      });
    }
  });
}

/** Creates an object on a member cluster through the simulator's native API (3.x and 4.x prefixes). */
async function createOn(stack: Stack, token: string, cluster: string, object: { path: string; body: unknown }): Promise<void> {
  const path = stack.sim.flavour === '4.1' ? `/clusters/${cluster}${object.path}` : object.path.replace(/^\/(api|apis)\//, `/$1/clusters/${cluster}/`);
  const response = await fetch(`${stack.sim.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(object.body),
  });
  if (response.status !== 201) throw new Error(`create ${path}: ${response.status} ${await response.text()}`);
}

/** The resident set of a process, from /proc (Linux, as CI). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error('no VmRSS');
  return Number(kb[1]) * 1024;
}

describe('the facade process', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it('disconnects a graphql-ws client that stops reading, with bounded memory, and closes its upstream watch within 1 s', async () => {
    // A heap of 64 MB at most: a facade that buffered the 77 MB pushed below for the slow client would run out of it.
    const facade = await startFacadeProcess({
      KUBESPHERE_URL: sim.url,
      LOG_LEVEL: 'info',
      SUBSCRIPTION_BUFFER_EVENTS: '50',
      NODE_OPTIONS: '--max-old-space-size=64',
    });
    const sockets: WebSocket[] = [];
    const client = createWsClient({
      url: `${facade.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols);
          sockets.push(this);
        }
      },
      connectionParams: { authorization: `Bearer ${sim.issueToken('admin')}` },
      retryAttempts: 0,
    });
    try {
      const ns = 'alpha-api';
      const events: any[] = [];
      let ended: unknown = 'open';
      client.subscribe(
        { query: `subscription { podChanges(namespace: "${ns}") { type object { metadata { name annotations } } } }` },
        { next: (e) => events.push(e), error: (e) => (ended = e), complete: () => (ended = 'complete') },
      );
      await eventually(() => events.length > 0, 5_000, 'the initial pods');
      const pod = events[0].data.podChanges.object.metadata.name as string;
      const watching = () => sim.watches.open({ kind: 'watch', resource: RESOURCES.pod });
      await eventually(() => watching() === 1, 3_000, 'the upstream watch');

      // Another user's subscription to the same pods keeps reading; its watch is its own (tokens never share one).
      const reader = liveClient('ws', facade.url, sim.issueToken('admin'));
      const fast = reader.subscribe(`subscription { podChanges(namespace: "${ns}", initial: false) { type resourceVersion } }`);
      await eventually(() => watching() === 2, 3_000, 'the second upstream watch');

      // Warm the facade's code paths while everyone reads, so that "before" is not a cold process.
      for (let i = 0; i < 50; i++) sim.mutate('host', RESOURCES.pod, ns, pod, labelled(`warm${i}`));
      await eventually(() => events.length >= 51, 5_000, 'the warm-up changes');
      await fast.until((e) => e.length >= 50);
      await sleep(200);
      const before = rssOf(facade.child.pid!);

      // The client stops reading: its socket is paused, so the kernel buffers fill and the facade's sends stall.
      (sockets[0] as unknown as { _socket: { pause(): void } })._socket.pause();
      const padding = 'x'.repeat(64_000);
      const TOTAL = 1_200;
      let closedAt: number | undefined;
      let peak = before;
      // 1,200 changes of ~64 KB (77 MB): far more than the socket buffers and the subscription's 50 events hold.
      for (let pushed = 0; pushed < TOTAL;) {
        for (let i = 0; i < 20; i++, pushed++) {
          sim.mutate('host', RESOURCES.pod, ns, pod, (p: any) => ({
            ...p,
            metadata: { ...p.metadata, annotations: { ...p.metadata.annotations, padding: `${pushed}:${padding}` } },
          }));
        }
        await sleep(10);
        peak = Math.max(peak, rssOf(facade.child.pid!));
        if (closedAt === undefined && watching() === 1) closedAt = Date.now();
      }
      expect(closedAt, 'the facade never dropped the slow client').toBeDefined();
      // The reader got every change, while the facade held none of them for the slow client.
      await fast.until((e) => e.length >= 50 + TOTAL, 30_000);
      peak = Math.max(peak, rssOf(facade.child.pid!));
      const pushedBytes = TOTAL * padding.length;
      // It is alive (within its 64 MB heap), and its resident set grew by far less than the 2 × 77 MB that went through it:
      // at most the old space's cap plus the young generation and socket buffers V8 and the kernel keep beside it.
      expect(facade.child.exitCode).toBeNull();
      expect(peak - before).toBeLessThan(100 * 2 ** 20);
      await reader.close();

      // The disconnection is logged; the upstream watch was already gone within 1 s of it.
      const warning = facade
        .output()
        .split('\n')
        .filter((l) => l.includes('subscription buffer full'))
        .map((l) => JSON.parse(l) as { time: number });
      expect(warning).toHaveLength(1);
      expect(closedAt! - warning[0]!.time).toBeLessThan(1_000);

      // The client, reading again, finds its socket closed by the server.
      (sockets[0] as unknown as { _socket: { resume(): void } })._socket.resume();
      await eventually(() => ended !== 'open', 5_000, 'the client to see the disconnection');
      expect(ended).not.toBe('complete');
      console.log(
        `slow consumer: ${TOTAL} changes pushed (${(pushedBytes / 2 ** 20).toFixed(0)} MiB); facade RSS ${(before / 2 ** 20).toFixed(0)} → peak ${(peak / 2 ** 20).toFixed(0)} MiB`,
      );
    } finally {
      await client.dispose();
      await facade.stop('SIGKILL');
    }
  }, 60_000);

  it('completes open WebSocket and SSE subscriptions on SIGTERM and exits 0', async () => {
    const facade: FacadeProcess = await startFacadeProcess({ KUBESPHERE_URL: sim.url, LOG_LEVEL: 'info' });
    const token = sim.issueToken('admin');
    const ws = liveClient('ws', facade.url, token);
    const sse = liveClient('sse', facade.url, token);
    try {
      const subs = [ws.subscribe(POD_CHANGES, { ns: 'alpha-web' }), sse.subscribe(POD_CHANGES, { ns: 'alpha-web' })];
      await Promise.all(subs.map((s) => s.until((e) => changesOf(e, 'podChanges').length > 0)));
      const code = await facade.stop('SIGTERM');
      await Promise.all(subs.map((s) => s.until(() => s.done, 5_000).catch(() => undefined)));
      expect(subs.map((s) => [s.done, s.error])).toEqual([
        [true, undefined],
        [true, undefined],
      ]);
      expect(code).toBe(0);
      expect(facade.output()).not.toMatch(/unhandledRejection|uncaughtException/i);
    } finally {
      await Promise.all([ws.close(), sse.close()].map((p) => p.catch(() => undefined)));
      await facade.stop('SIGKILL');
    }
  });
});
