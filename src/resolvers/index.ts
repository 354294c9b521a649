import { DateTimeResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.ts';
import { authMutation } from './auth.ts';
import { ConfigMap, configQuery, Secret } from './config.ts';
import { Deployment, deploymentQuery } from './deployment.ts';
import { Event, eventQuery } from './event.ts';
import { genericQuery, Resource } from './generic.ts';
import { iamQuery, Role, User } from './iam.ts';
import { ObjectMeta } from './meta.ts';
import { Cluster, clusterQuery } from './multicluster.ts';
import { Namespace, namespaceQuery } from './namespace.ts';
import { Ingress, networkQuery, Service } from './network.ts';
import { Node, nodeQuery } from './node.ts';
import { Container, Pod, podQuery } from './pod.ts';
import { PersistentVolume, PersistentVolumeClaim, StorageClass, storageQuery } from './storage.ts';
import { tenantQuery, Workspace, WorkspaceMember } from './tenant.ts';
import { Version, versionQuery } from './version.ts';
import { CronJob, DaemonSet, HorizontalPodAutoscaler, Job, ReplicaSet, StatefulSet, workloadQuery } from './workload.ts';
import { KubeObjectInterface, objectQuery, WorkloadInterface } from './object.ts';
import { writeMutation } from './mutations.ts';
import { MetricPoint, MetricSeries, metricsRankingQuery, NodeMetricValue, PodMetricValue } from './metrics.ts';
import { ENUMS } from '../model/enums.ts';
import { podLogs, subscriptionRoot } from './subscriptions.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,
  JSONObject: JSONObjectResolver,
  Query: {
    ...versionQuery,
    ...nodeQuery,
    ...namespaceQuery,
    ...podQuery,
    ...deploymentQuery,
    ...workloadQuery,
    ...networkQuery,
    ...configQuery,
    ...storageQuery,
    ...eventQuery,
    ...tenantQuery,
    ...iamQuery,
    ...clusterQuery,
    ...genericQuery,
    ...objectQuery,
    ...metricsRankingQuery,
  },
  Mutation: { ...authMutation, ...writeMutation },
  Subscription: subscriptionRoot,
  ObjectMeta,
  Node,
  Namespace,
  Workspace,
  WorkspaceMember,
  Pod: { ...Pod, ...podLogs },
  Container,
  Deployment,
  ReplicaSet,
  StatefulSet,
  DaemonSet,
  Job,
  CronJob,
  HorizontalPodAutoscaler,
  Workload: WorkloadInterface,
  KubeObject: KubeObjectInterface,
  Service,
  Ingress,
  ConfigMap,
  Secret,
  PersistentVolumeClaim,
  PersistentVolume,
  StorageClass,
  Event,
  User,
  Role,
  Cluster,
  Resource,
  Version,
  MetricSeries,
  MetricPoint,
  NodeMetricValue,
  PodMetricValue,
  // GraphQL enum values (RUNNING) to the Kubernetes values resolvers use (Running).
  ...ENUMS,
};
