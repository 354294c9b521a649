/**
 * Subscriptions over Kubernetes watch, end to end: the real graphql-ws and
 * graphql-sse clients, the facade, and the simulator's watch, on both
 * flavours and on a member cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '../simulator/index.ts';
import { changesOf, eventually, liveClient, sleep, TRANSPORTS, type LiveClient } from './helpers/live.ts';
import { ADMIN, ALICE, FLAVOURS, startStack, type Stack } from './helpers/stack.ts';

const POD_CHANGES = `subscription ($cluster: String, $ns: String, $initial: Boolean) {
  podChanges(cluster: $cluster, namespace: $ns, initial: $initial) { type resourceVersion object { cluster metadata { name labels } status } }
}`;

const labelled = (value: string) => (p: any) => ({ ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, seq: value } } });

/** Upstream watch requests (of pods, or any) the simulator has seen and that are still streaming. */
/** Waits until the simulator streams a watch of the namespace's pods (the subscription's own, not a leftover). */
const podWatchOf = (stack: Stack, ns: string, since: number) =>
  eventually(
    () => stack.sim.requests.some((r) => r.receivedAt >= since && r.query.watch !== undefined && r.path.endsWith(`/namespaces/${ns}/pods`) && r.status === 200),
    3_000,
    `a watch of ${ns} pods`,
  );

const openWatches = (stack: Stack, filter: Parameters<Stack['sim']['watches']['open']>[0] = { kind: 'watch' }) => stack.sim.watches.open(filter);

for (const flavour of FLAVOURS) {
  describe(`subscriptions on KubeSphere ${flavour}`, () => {
    let stack: Stack;
    let admin: string;
    let alice: string;
    const clients: LiveClient[] = [];
    const open = (transport: (typeof TRANSPORTS)[number], token: string | undefined = admin) => {
      const client = liveClient(transport, stack.url, token);
      clients.push(client);
      return client;
    };

    beforeAll(async () => {
      stack = await startStack({ flavour });
      admin = await stack.login(ADMIN.username, ADMIN.password);
      alice = await stack.login(ALICE.username, ALICE.password);
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await stack.close();
    });

    for (const transport of TRANSPORTS) {
      for (const cluster of ['host', 'member-1']) {
        const ns = cluster === 'host' ? 'alpha-web' : 'beta-edge';
        it(`${transport}, ${cluster}: initial state, then ADDED/MODIFIED/DELETED within 1 s`, async () => {
          const store = cluster === 'host' ? undefined : cluster;
          const sub = open(transport).subscribe(POD_CHANGES, { cluster: store ?? null, ns });
          const expected = stack.sim.changes(cluster).length >= 0 ? await podNames(stack, admin, cluster, ns) : [];
          await sub.until((e) => changesOf(e, 'podChanges').length >= expected.length);
          const initial = changesOf(sub.events, 'podChanges');
          expect(initial.every((c) => c.type === 'ADDED')).toBe(true);
          expect(initial.map((c) => c.object!.metadata.name).sort()).toEqual([...expected].sort());
          expect(initial[0]!.object!.cluster).toBe(cluster);

          const name = expected[0]!;
          let at = Date.now();
          stack.sim.mutate(cluster, RESOURCES.pod, ns, name, labelled(`m-${transport}`));
          await sub.until((e) => changesOf(e, 'podChanges').some((c) => c.type === 'MODIFIED' && c.object!.metadata.labels.seq === `m-${transport}`), 1_000);
          expect(Date.now() - at).toBeLessThan(1_000);

          const copy = `${name}-copy-${transport}`;
          at = Date.now();
          await createPod(stack, admin, cluster, ns, copy);
          await sub.until((e) => changesOf(e, 'podChanges').some((c) => c.type === 'ADDED' && c.object!.metadata.name === copy), 1_000);
          expect(Date.now() - at).toBeLessThan(1_000);
          at = Date.now();
          stack.sim.mutate(cluster, RESOURCES.pod, ns, copy, () => undefined);
          await sub.until((e) => changesOf(e, 'podChanges').some((c) => c.type === 'DELETED' && c.object!.metadata.name === copy), 1_000);
          expect(Date.now() - at).toBeLessThan(1_000);
          sub.dispose();
        });
      }

      it(`${transport}: resume after EOF — 100 changes arrive exactly once, in order`, async () => {
        const since = Date.now();
        const sub = open(transport).subscribe(POD_CHANGES, { ns: 'alpha-api', initial: false });
        await podWatchOf(stack, 'alpha-api', since);
        const name = (await podNames(stack, admin, 'host', 'alpha-api'))[0]!;
        for (let i = 0; i < 100; i++) {
          stack.sim.mutate('host', RESOURCES.pod, 'alpha-api', name, labelled(`r${transport}${i}`));
          // End the upstream stream every 10 changes: the facade must resume from the last resourceVersion.
          if (i % 10 === 9) {
            stack.sim.watches.end({ resource: RESOURCES.pod });
            await sleep(20);
          }
        }
        await sub.until((e) => changesOf(e, 'podChanges').some((c) => c.object?.metadata.labels.seq === `r${transport}99`), 10_000);
        await sleep(100);
        const seqs = changesOf(sub.events, 'podChanges')
          .filter((c) => c.type === 'MODIFIED')
          .map((c) => c.object!.metadata.labels.seq as string);
        expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => `r${transport}${i}`));
        const rvs = changesOf(sub.events, 'podChanges').map((c) => Number(c.resourceVersion));
        expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
        sub.dispose();
      });

      it(`${transport}: RESYNC after a forced 410, then the current state again`, async () => {
        const since = Date.now();
        const sub = open(transport).subscribe(POD_CHANGES, { ns: 'alpha-web' });
        const names = await podNames(stack, admin, 'host', 'alpha-web');
        await sub.until((e) => changesOf(e, 'podChanges').length >= names.length);
        await podWatchOf(stack, 'alpha-web', since);
        stack.sim.watches.expire({ cluster: 'host' });
        await sub.until((e) => changesOf(e, 'podChanges').some((c) => c.type === 'RESYNC'));
        const after = changesOf(sub.events, 'podChanges');
        const resync = after.findIndex((c) => c.type === 'RESYNC');
        expect(after[resync]!.object).toBeNull();
        await sub.until((e) => changesOf(e, 'podChanges').length >= resync + 1 + names.length);
        expect(
          changesOf(sub.events, 'podChanges')
            .slice(resync + 1)
            .every((c) => c.type === 'ADDED'),
        ).toBe(true);
        // And the watch carries on after the re-list.
        stack.sim.mutate('host', RESOURCES.pod, 'alpha-web', names[0]!, labelled(`after-${transport}`));
        await sub.until((e) => changesOf(e, 'podChanges').some((c) => c.object?.metadata.labels.seq === `after-${transport}`));
        sub.dispose();
      });

      it(`${transport}: FORBIDDEN for alice outside her workspace, and no retry`, async () => {
        stack.sim.clearRequests();
        const sub = open(transport, alice).subscribe(POD_CHANGES, { ns: 'demo-app' });
        await sub.until((e) => e.some((x) => x.errors?.length));
        expect(sub.events.flatMap((e) => e.errors ?? []).map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
        await sub.until(() => sub.done);
        await sleep(300);
        expect(stack.upstreamCalls().filter((r) => r.path.endsWith('/demo-app/pods')).length).toBe(1);
        // Her own namespace works.
        const own = open(transport, alice).subscribe(POD_CHANGES, { ns: 'alpha-web' });
        await own.until((e) => changesOf(e, 'podChanges').length > 0);
        own.dispose();
      });

      it(`${transport}: the upstream watch closes within 1 s of unsubscribe and of a dropped connection`, async () => {
        // Deployments are watched by no other test here, so the count is this test's own.
        const DEPLOYMENTS = `subscription { deploymentChanges(namespace: "demo-db") { type } }`;
        const watching = () => openWatches(stack, { kind: 'watch', resource: RESOURCES.deployment });
        const sub = open(transport).subscribe(DEPLOYMENTS);
        await eventually(() => watching() === 1, 3_000, 'the upstream watch');
        sub.dispose();
        const took = await eventually(() => watching() === 0, 1_000, 'the watch to close after unsubscribe');
        expect(took).toBeLessThan(1_000);

        const other = open(transport);
        other.subscribe(DEPLOYMENTS);
        await eventually(() => watching() === 1, 3_000, 'the upstream watch');
        other.drop();
        await eventually(() => watching() === 0, 1_000, 'the watch to close after the connection dropped');
      });
    }

    it('logs: one-shot (Pod.logs) and followed (podLogs), on both transports', async () => {
      const name = (await podNames(stack, admin, 'host', 'alpha-web'))[0]!;
      const oneShot = await stack.gql(`query ($ns: String!, $name: String!) { pod(namespace: $ns, name: $name) { logs(tailLines: 3, timestamps: true) } }`, {
        token: admin,
        variables: { ns: 'alpha-web', name },
      });
      expect(oneShot.errors).toBeUndefined();
      const lines = (oneShot.data!.pod.logs as string).trim().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\dT.*seq=39/);

      stack.sim.watches.logFollowIntervalMs = 50;
      for (const transport of TRANSPORTS) {
        const sub = open(transport).subscribe(
          `subscription ($ns: String!, $name: String!) { podLogs(namespace: $ns, name: $name, tailLines: 2) { text truncated } }`,
          { ns: 'alpha-web', name },
        );
        await sub.until((e) => e.filter((x) => x.data?.podLogs).length >= 5);
        const texts = sub.events.map((e) => e.data!.podLogs.text as string);
        expect(texts.slice(0, 4).map((t) => /seq=(\d+)/.exec(t)?.[1])).toEqual(['38', '39', '40', '41']);
        sub.dispose();
        await eventually(() => stack.sim.watches.open({ kind: 'log' }) === 0, 1_000, 'the log stream to close');
      }
    });
  });
}

async function podNames(stack: Stack, token: string, cluster: string, ns: string): Promise<string[]> {
  const prefix = cluster === 'host' ? '' : stack.sim.flavour === '4.1' ? `/clusters/${cluster}` : '';
  const path =
    cluster === 'host' || stack.sim.flavour === '4.1' ? `${prefix}/api/v1/namespaces/${ns}/pods` : `/api/clusters/${cluster}/v1/namespaces/${ns}/pods`;
  const list = (await (await fetch(`${stack.sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    items: { metadata: { name: string } }[];
  };
  return list.items.map((p) => p.metadata.name);
}

async function createPod(stack: Stack, token: string, cluster: string, ns: string, name: string): Promise<void> {
  const path = cluster === 'host' ? `/api/v1/namespaces/${ns}/pods` : `/api/clusters/${cluster}/v1/namespaces/${ns}/pods`;
  const response = await fetch(`${stack.sim.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'main', image: 'nginx' }] } }),
  });
  if (response.status !== 201) throw new Error(`create pod: ${response.status} ${await response.text()}`);
}
