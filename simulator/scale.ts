/**
 * The `pods` size knob: grows the host cluster with generated nodes,
 * projects and deployments until it holds the requested number of pods.
 * Driven by a seeded PRNG, so the same target always yields the same data.
 */
import { addDeployment, addNamespace, addNode, addProjectRoles, addService, type ClusterBuilder, type PodState } from './builders/index.ts';
import { T } from './resources.ts';
import { prng } from './det.ts';

const DAY = 86400;
const PODS_PER_NODE = 30;
const WORKSPACES: [string, string][] = [
  ['demo-workspace', 'admin'],
  ['team-alpha', 'alice'],
  ['team-beta', 'bob'],
];
const IMAGES = [
  'nginx:1.25.3',
  'kubesphere/demo-backend:1.4.2',
  'redis:7.2.4-alpine',
  'httpd:2.4.58',
  'kubesphere/demo-catalog:2.1.0',
  'envoyproxy/envoy:v1.29.1',
];

export function growHost(b: ClusterBuilder, target: number, workspaceUids: Map<string, string>): void {
  let remaining = target - b.store.count(T.pod);
  if (remaining <= 0) return;
  const random = prng(target);
  const nodeCount = Math.ceil(remaining / PODS_PER_NODE);
  // Generated pods go only on generated nodes, in generated projects: the demo's nodes and projects look the
  // same at every size, so the work of a page of them can be compared across sizes.
  const grown: string[] = [];
  let next = 0;
  for (let i = 1; i <= nodeCount; i++) {
    const n = i + 10;
    grown.push(`node-${String(i).padStart(4, '0')}`);
    addNode(b, {
      name: grown.at(-1)!,
      role: 'worker',
      ip: `172.20.${Math.floor(n / 250)}.${(n % 250) + 1}`,
      cpu: 16,
      memoryGi: 64,
      created: 10 * DAY + i * 60,
      zone: `zone-${'abc'[i % 3]}`,
    });
  }
  for (let n = 1; remaining > 0; n++) {
    const [workspace, creator] = WORKSPACES[(n - 1) % WORKSPACES.length]!;
    const ns = `load-${String(n).padStart(4, '0')}`;
    const created = 12 * DAY + n * 600;
    const nsObj = addNamespace(b, ns, created, { workspace, workspaceUid: workspaceUids.get(workspace), creator, alias: `Load Test ${n}` });
    addProjectRoles(b, nsObj, creator);
    const deployments = 3 + Math.floor(random() * 8);
    for (let d = 1; d <= deployments && remaining > 0; d++) {
      const name = `svc-${String(d).padStart(2, '0')}`;
      const replicas = Math.min(remaining, 1 + Math.floor(random() * 10));
      const states: PodState[] = Array.from({ length: replicas }, () => {
        const r = random();
        return r < 0.015 ? 'CrashLoopBackOff' : r < 0.02 ? 'Pending' : 'Running';
      });
      const image = IMAGES[Math.floor(random() * IMAGES.length)]!;
      addDeployment(b, {
        namespace: ns,
        name,
        replicas,
        created: created + d * 60,
        creator,
        states,
        nodes: states.map(() => grown[next++ % grown.length]),
        restarts: states.map((s) => (s === 'CrashLoopBackOff' ? 5 + Math.floor(random() * 40) : 0)),
        template: {
          labels: { app: name },
          containers: [
            {
              name: 'app',
              image,
              ports: [{ containerPort: 8080, name: 'http' }],
              requests: { cpu: '50m', memory: '64Mi' },
              limits: { cpu: '250m', memory: '256Mi' },
            },
          ],
        },
      });
      addService(b, { namespace: ns, name, selector: { app: name }, ports: [{ name: 'http', port: 8080 }], created: created + d * 60, creator });
      remaining -= replicas;
    }
  }
}
