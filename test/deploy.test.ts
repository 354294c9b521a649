/**
 * The Kubernetes manifests in deploy/, rendered by the real `kubectl
 * kustomize` on the PATH (kubectl 1.20's built-in kustomize v2.0.3 and newer),
 * checked property by property; and the Helm chart's values against the
 * configuration schema (Helm itself renders the chart only where it is installed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { configVariables, loadConfig } from '../src/config.ts';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** Kubernetes label-selector semantics, enough to ask "would this select that pod?". */
function selects(selector: Selector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return key in labels && values.includes(labels[key]!);
    if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]!);
    if (operator === 'Exists') return key in labels;
    return !(key in labels);
  });
  return byLabel && byExpression;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
// stderr is kept: kustomize v5 warns there that commonLabels is deprecated (kept for kubectl 1.20).
const rendered = execFileSync('kubectl', ['kustomize', 'deploy/'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const objects = parseAllDocuments(rendered)
  .map((doc) => doc.toJS())
  .filter(Boolean) as any[];
const byKind = (kind: string) => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};

const deployment = byKind('Deployment');
const pod = deployment.spec.template;
const container = pod.spec.containers[0];
const configMap = byKind('ConfigMap');
const podLabels: Record<string, string> = pod.metadata.labels;

describe('kubectl kustomize deploy/', () => {
  it('renders the seven objects, all in kubesphere-system with the common labels', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount'].sort(),
    );
    for (const o of objects) {
      expect(o.metadata.namespace, o.kind).toBe('kubesphere-system');
      expect(o.metadata.name, o.kind).toBe('kubesphere-graphql');
      expect(o.metadata.labels, o.kind).toMatchObject({ 'app.kubernetes.io/name': 'kubesphere-graphql', 'app.kubernetes.io/part-of': 'kubesphere' });
    }
  });

  it('runs two locked-down replicas of the versioned image', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(selects(deployment.spec.selector, podLabels)).toBe(true);
    expect(container.image).toBe(`kubesphere-graphql:${pkg.version}`);
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.securityContext.capabilities.add).toBeUndefined();
    // A read-only root still needs a scratch /tmp.
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.spec.volumes.find((v: any) => v.name === 'tmp').emptyDir).toBeDefined();
  });

  it('mounts no service account token', () => {
    const account = byKind('ServiceAccount');
    expect(account.automountServiceAccountToken).toBe(false);
    expect(pod.spec.serviceAccountName).toBe(account.metadata.name);
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });

  it('sets requests and limits', () => {
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
  });

  it('probes /healthz for liveness and /readyz for readiness on the listening port', () => {
    const port = container.ports.find((p: any) => p.name === 'http');
    expect(port.containerPort).toBe(Number(configMap.data.PORT));
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  it('gives SIGTERM more time than the preStop pause plus SHUTDOWN_GRACE_MS', () => {
    const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
    const pauseMs = preStop[0] === 'sleep' ? Number(preStop[1]) * 1000 : 0;
    const graceMs = Number(configMap.data.SHUTDOWN_GRACE_MS);
    expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(pauseMs + graceMs);
  });

  it('takes its environment from a ConfigMap that is a valid production configuration', () => {
    expect(container.envFrom[0]).toEqual({ configMapRef: { name: configMap.metadata.name } });
    const env = { ...configMap.data, ...Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value])) };
    expect(env).toMatchObject({ KUBESPHERE_URL: 'http://ks-apiserver.kubesphere-system.svc', NODE_ENV: 'production' });
    const config = loadConfig(env);
    expect(config.production).toBe(true);
    expect(config.upstream.url).toBe('http://ks-apiserver.kubesphere-system.svc');
    // Every documented variable is there to edit, except the simulator's (not in the image)
    // and the OAuth client secret (the optional Secret holds it).
    const expected = configVariables()
      .map((v) => v.name)
      .filter((name) => !name.startsWith('SIMULATOR_') && name !== 'KUBESPHERE_CLIENT_SECRET');
    expect(Object.keys(configMap.data).sort()).toEqual(expected.sort());
    for (const v of configVariables()) {
      if (v.name in configMap.data && v.name !== 'KUBESPHERE_URL' && v.name !== 'NODE_ENV') expect(configMap.data[v.name], v.name).toBe(v.defaultValue);
    }
  });

  it('exposes port 80 to the pods on 4000', () => {
    const service = byKind('Service');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]);
    expect(selects({ matchLabels: service.spec.selector }, podLabels)).toBe(true);
  });

  it('scales on CPU with autoscaling/v2, never below two replicas', () => {
    const hpa = byKind('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } },
    ]);
  });

  it('keeps one pod through voluntary disruptions', () => {
    const pdb = byKind('PodDisruptionBudget');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec.minAvailable).toBe(1);
    expect(selects(pdb.spec.selector, podLabels)).toBe(true);
  });

  describe('NetworkPolicy', () => {
    const policy = byKind('NetworkPolicy');
    const ingressPeers = policy.spec.ingress.flatMap((rule: any) => rule.from);
    /** Does a rule's peer list admit a pod with these labels in this namespace? */
    const admits = (peers: any[], namespace: string, labels: Record<string, string>) =>
      peers.some(
        (peer) =>
          (peer.podSelector === undefined || selects(peer.podSelector, labels)) &&
          (peer.namespaceSelector === undefined
            ? namespace === 'kubesphere-system'
            : selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': namespace })) &&
          peer.ipBlock === undefined,
      );

    it('applies to the facade pods, both directions', () => {
      expect(selects(policy.spec.podSelector, podLabels)).toBe(true);
      expect(policy.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    });

    it('admits the console and the gateway, on the facade port only', () => {
      expect(admits(ingressPeers, 'kubesphere-system', { app: 'ks-console', tier: 'frontend', version: 'v4.1.3' })).toBe(true);
      const gateway4 = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
      expect(admits(ingressPeers, 'kubesphere-controls-system', gateway4)).toBe(true);
      expect(admits(ingressPeers, 'kubesphere-controls-system', { app: 'kubesphere', component: 'ks-router', tier: 'backend' })).toBe(true);
      // Not: other pods of kubesphere-system, an ingress-nginx elsewhere, anything without labels.
      expect(admits(ingressPeers, 'kubesphere-system', { app: 'ks-controller-manager', tier: 'backend' })).toBe(false);
      expect(admits(ingressPeers, 'default', gateway4)).toBe(false);
      expect(admits(ingressPeers, 'kubesphere-system', {})).toBe(false);
      // kustomize's commonLabels must not have leaked our own labels into the peers.
      expect(JSON.stringify(ingressPeers)).not.toContain('kubesphere-graphql');
      for (const rule of policy.spec.ingress) expect(rule.ports).toEqual([{ protocol: 'TCP', port: 4000 }]);
    });

    it('lets the facade reach only ks-apiserver (port 9090) and DNS', () => {
      const [apiserver, dns, ...rest] = policy.spec.egress;
      expect(rest).toEqual([]);
      expect(apiserver.ports).toEqual([{ protocol: 'TCP', port: 9090 }]);
      expect(admits(apiserver.to, 'kubesphere-system', { app: 'ks-apiserver', tier: 'backend' })).toBe(true);
      expect(admits(apiserver.to, 'kubesphere-system', { app: 'ks-console', tier: 'frontend' })).toBe(false);
      expect(admits(apiserver.to, 'kube-system', { app: 'ks-apiserver', tier: 'backend' })).toBe(false);
      expect(JSON.stringify(apiserver.to)).not.toContain('kubesphere-graphql');
      expect(dns.to).toBeUndefined();
      expect(dns.ports).toEqual([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]);
    });
  });
});

describe('Helm chart deploy/helm/kubesphere-graphql', () => {
  const chart = 'deploy/helm/kubesphere-graphql';
  const values = parse(readFileSync(`${chart}/values.yaml`, 'utf8'));

  it('has a value for every configuration variable, with the same default', () => {
    const expected = Object.fromEntries(configVariables().map((v) => [v.name, v.defaultValue]));
    // The chart targets a cluster: the upstream is ks-apiserver and the profile is production.
    expected.KUBESPHERE_URL = 'http://ks-apiserver.kubesphere-system.svc';
    expected.NODE_ENV = 'production';
    expect(Object.fromEntries(Object.entries(values.env).map(([k, v]) => [k, String(v)]))).toEqual(expected);
  });

  it('versions the chart and its image with the package', () => {
    const meta = parse(readFileSync(`${chart}/Chart.yaml`, 'utf8'));
    expect(meta.appVersion).toBe(pkg.version);
    expect(values.image.tag).toBe('');
  });

  const helm = spawnSync('helm', ['version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!helm)('renders the same objects as the kustomize base', () => {
    const out = execFileSync('helm', ['template', 'kubesphere-graphql', chart, '--namespace', 'kubesphere-system'], { encoding: 'utf8' });
    const kinds = parseAllDocuments(out)
      .map((doc) => doc.toJS()?.kind)
      .filter(Boolean);
    // The chart also keeps KUBESPHERE_CLIENT_SECRET in a Secret of its own.
    expect(kinds.sort()).toEqual([...objects.map((o) => o.kind), 'Secret'].sort());
  });
});
