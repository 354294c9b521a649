/** The object builders: a shared core and one file per group of kinds. */
export { ClusterBuilder, templateJson, type ContainerDef, type NodeDef, type PodState, type PodTemplateDef } from './core.ts';
export { addNamespace, addNode } from './cluster.ts';
export { addConfigMap, addSecret } from './config.ts';
export { addEvent } from './events.ts';
export { addIngress, addService } from './network.ts';
export { addPod } from './pods.ts';
export { addProjectRoles } from './rbac.ts';
export { addPvc, addStorageClass } from './storage.ts';
export { addCronJob, addDaemonSet, addDeployment, addHpa, addJob, addStatefulSet } from './workloads.ts';
