/**
 * Schema 1.0 rules, checked by introspecting the executable schema the server
 * runs: every object type with metadata is a KubeObject, to-many links are
 * paged unless bounded by their owner, closed value sets are enums, and
 * everything is described.
 */
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../src/schema.ts';

const schema = buildSchema();
const types = Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__'));
const objectTypes = types.filter(isObjectType);

/**
 * List fields that stay plain arrays because their owner bounds them: they
 * come from the object's own spec or status, never from a query of other
 * objects. The README lists the same fields.
 */
const BOUNDED_LISTS = new Set([
  'ObjectMeta.ownerReferences',
  'Node.roles',
  'Node.conditions',
  'Node.addresses',
  'Node.taints',
  'Pod.containers',
  'Container.ports',
  'Deployment.images',
  'Deployment.conditions',
  'ReplicaSet.images',
  'StatefulSet.images',
  'StatefulSet.conditions',
  'DaemonSet.images',
  'DaemonSet.conditions',
  'Job.images',
  'Job.conditions',
  'CronJob.images',
  'HorizontalPodAutoscaler.conditions',
  'Service.externalIPs',
  'Service.loadBalancerIngress',
  'Service.ports',
  'Ingress.rules',
  'Ingress.tls',
  'Ingress.loadBalancerIngress',
  'Ingress.services',
  'IngressRule.paths',
  'IngressTLS.hosts',
  'ConfigMap.keys',
  'Secret.keys',
  'Secret.data',
  'PersistentVolumeClaim.accessModes',
  'PersistentVolume.accessModes',
  'Workspace.clusterNames',
  'Workspace.clusters',
  'Role.rules',
  'Role.aggregationRoles',
  'PolicyRule.verbs',
  'PolicyRule.apiGroups',
  'PolicyRule.resources',
  'PolicyRule.resourceNames',
  'PolicyRule.nonResourceURLs',
  'Cluster.conditions',
  // A drain preview's pods are those of one node: its pod capacity bounds them.
  'DrainPreview.evictable',
  'DrainPreview.refused',
  // Bounded by the `names` asked for (at most 20), and each series by the range (at most 1440 points).
  'Cluster.metrics',
  'Node.metrics',
  'Namespace.metrics',
  'Workspace.metrics',
  'Deployment.metrics',
  'StatefulSet.metrics',
  'DaemonSet.metrics',
  'Pod.metrics',
  'Container.metrics',
  'PersistentVolumeClaim.metrics',
  'MetricSeries.points',
]);

const isPage = (type: GraphQLNamedType) => isObjectType(type) && type.name.endsWith('List') && 'items' in type.getFields() && 'totalItems' in type.getFields();

describe('schema 1.0', () => {
  it('every object type with `metadata: ObjectMeta!` implements KubeObject', () => {
    const withMetadata = objectTypes.filter((type) => String(type.getFields().metadata?.type) === 'ObjectMeta!');
    expect(withMetadata.length).toBeGreaterThanOrEqual(23);
    const missing = withMetadata.filter((type) => !type.getInterfaces().some((i) => i.name === 'KubeObject')).map((t) => t.name);
    expect(missing).toEqual([]);
  });

  it('KubeObject carries id, cluster, kind, apiVersion, metadata and raw, all non-null', () => {
    const kubeObject = schema.getType('KubeObject');
    expect(isInterfaceType(kubeObject)).toBe(true);
    const fields = (kubeObject as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields();
    expect(Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, String(field.type)]))).toEqual({
      id: 'ID!',
      cluster: 'String!',
      kind: 'String!',
      apiVersion: 'String!',
      metadata: 'ObjectMeta!',
      raw: 'JSON!',
    });
    expect(String(schema.getQueryType()!.getFields().object!.type)).toBe('KubeObject');
  });

  it('no list field on an object type goes unpaged, except the bounded ones', () => {
    const unpaged: string[] = [];
    for (const type of objectTypes) {
      if (type === schema.getQueryType() || isPage(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (isListType(getNullableType(field.type)) && !BOUNDED_LISTS.has(`${type.name}.${field.name}`)) unpaged.push(`${type.name}.${field.name}`);
      }
    }
    expect(unpaged).toEqual([]);
    // And every bounded entry still exists, so the list cannot hide a renamed field.
    for (const entry of BOUNDED_LISTS) {
      const [typeName, fieldName] = entry.split('.') as [string, string];
      expect(objectTypes.find((t) => t.name === typeName)?.getFields()[fieldName], entry).toBeDefined();
    }
  });

  it('every paged edge takes page and limit, and the same filter and sort as the top-level list of its kind', () => {
    const query = schema.getQueryType()!.getFields();
    const topLevel = new Map<string, GraphQLField<unknown, unknown>>();
    for (const field of Object.values(query))
      if (isPage(getNamedType(field.type)) && field.name !== 'resources') topLevel.set(getNamedType(field.type).name, field);
    const mismatches: string[] = [];
    for (const type of objectTypes) {
      if (type === schema.getQueryType()) continue;
      for (const field of Object.values(type.getFields())) {
        const page = getNamedType(field.type);
        if (!isPage(page)) continue;
        const args = new Map(field.args.map((a) => [a.name, String(a.type)]));
        if (args.get('page') !== 'Int' || args.get('limit') !== 'Int') mismatches.push(`${type.name}.${field.name}: page/limit`);
        const root = topLevel.get(page.name);
        for (const name of ['filter', 'sort']) {
          const rootArg = root?.args.find((a) => a.name === name);
          if (rootArg && args.get(name) !== String(rootArg.type))
            mismatches.push(`${type.name}.${field.name}: ${name} ${args.get(name)} vs ${String(rootArg.type)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('has at least 8 enums, and closed value sets are enums', () => {
    const enums = types.filter(isEnumType).map((t) => t.name);
    expect(enums.length).toBeGreaterThanOrEqual(8);
    expect(enums).toEqual(
      expect.arrayContaining(['PodPhase', 'PodStatus', 'NodeStatus', 'WorkloadStatus', 'ContainerState', 'SortField', 'UpdateSortField', 'JobStatus']),
    );
    const typeOf = (typeName: string, fieldName: string) => {
      const type = schema.getType(typeName);
      if (!isObjectType(type) && !isInputObjectType(type)) throw new Error(`${typeName} has no fields`);
      return getNamedType(type.getFields()[fieldName]!.type).name;
    };
    expect(typeOf('Pod', 'phase')).toBe('PodPhase');
    expect(typeOf('Pod', 'status')).toBe('PodStatus');
    expect(typeOf('Node', 'status')).toBe('NodeStatus');
    expect(typeOf('Container', 'state')).toBe('ContainerState');
    expect(typeOf('PodFilter', 'status')).toBe('PodStatus');
    expect(typeOf('WorkloadFilter', 'status')).toBe('WorkloadStatus');
    expect(typeOf('Sort', 'field')).toBe('SortField');
  });

  it('describes every type, field, argument, input field and enum value', () => {
    const undescribed: string[] = [];
    const check = (what: string, description: string | null | undefined) => {
      if (!description?.trim()) undescribed.push(what);
    };
    for (const type of types) {
      check(type.name, type.description);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          check(`${type.name}.${field.name}`, field.description);
          for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
      }
    }
    expect(undescribed).toEqual([]);
  });
});
