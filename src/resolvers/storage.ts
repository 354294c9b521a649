import type { PersistentVolumeClaimResolvers, PersistentVolumeResolvers, QueryResolvers, StorageClassResolvers } from '../generated/graphql.ts';
import {
  clusterOf,
  type PersistentVolumeClaimResource,
  type PersistentVolumeResource,
  type PodResource,
  type StorageClassResource,
} from '../kubesphere/types.ts';
import { enumValue } from '../model/enums.ts';
import { inNamespace, pageEdge, rootFields } from './list.ts';
import { kubeObjectFields } from './object.ts';
import { metricsField, objectKey } from './metrics.ts';

const persistentVolumeClaimFields = rootFields<PersistentVolumeClaimResource>('persistentvolumeclaims');
const persistentVolumeFields = rootFields<PersistentVolumeResource>('persistentvolumes');
const storageClassFields = rootFields<StorageClassResource>('storageclasses');
export const storageQuery = {
  persistentVolumeClaims: persistentVolumeClaimFields.list,
  persistentVolumeClaim: persistentVolumeClaimFields.get,
  persistentVolumes: persistentVolumeFields.list,
  persistentVolume: persistentVolumeFields.get,
  storageClasses: storageClassFields.list,
  storageClass: storageClassFields.get,
} satisfies QueryResolvers;

export const PersistentVolumeClaim: PersistentVolumeClaimResolvers = {
  ...kubeObjectFields<PersistentVolumeClaimResource>('PersistentVolumeClaim'),
  metrics: metricsField('pvc', objectKey),
  phase: (c) => enumValue('PersistentVolumeClaimPhase', c.status?.phase),
  storageClassName: (c) => c.spec?.storageClassName ?? null,
  requestedStorage: (c) => c.spec?.resources?.requests?.storage ?? null,
  capacity: (c) => c.status?.capacity?.storage ?? null,
  accessModes: (c) => c.spec?.accessModes ?? [],
  volumeMode: (c) => c.spec?.volumeMode ?? null,
  volumeName: (c) => c.spec?.volumeName ?? null,
  volume: (c, _args, { loaders }) =>
    c.spec?.volumeName
      ? (loaders.objectByName.load({ cluster: clusterOf(c), resource: 'persistentvolumes', name: c.spec.volumeName }) as Promise<PersistentVolumeResource>)
      : null,
  pods: (c, args, ctx) =>
    pageEdge('pods', c, args, ctx, async () =>
      (await inNamespace<PodResource>(c, 'pods', ctx)).filter((pod) => pod.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === c.metadata?.name)),
    ),
};

export const PersistentVolume: PersistentVolumeResolvers = {
  ...kubeObjectFields<PersistentVolumeResource>('PersistentVolume'),
  phase: (v) => enumValue('PersistentVolumePhase', v.status?.phase),
  capacity: (v) => v.spec?.capacity?.storage ?? null,
  accessModes: (v) => v.spec?.accessModes ?? [],
  reclaimPolicy: (v) => v.spec?.persistentVolumeReclaimPolicy ?? null,
  storageClassName: (v) => v.spec?.storageClassName ?? null,
  volumeMode: (v) => v.spec?.volumeMode ?? null,
  claimNamespace: (v) => v.spec?.claimRef?.namespace ?? null,
  claimName: (v) => v.spec?.claimRef?.name ?? null,
  claim: (v, _args, { loaders }) => {
    const ref = v.spec?.claimRef;
    if (!ref?.name || !ref.namespace) return null;
    return loaders.objectByName.load({
      cluster: clusterOf(v),
      resource: 'persistentvolumeclaims',
      namespace: ref.namespace,
      name: ref.name,
    }) as Promise<PersistentVolumeClaimResource>;
  },
};

export const StorageClass: StorageClassResolvers = {
  ...kubeObjectFields<StorageClassResource>('StorageClass'),
  provisioner: (s) => s.provisioner ?? '',
  reclaimPolicy: (s) => s.reclaimPolicy ?? null,
  volumeBindingMode: (s) => s.volumeBindingMode ?? null,
  allowVolumeExpansion: (s) => s.allowVolumeExpansion ?? false,
  isDefault: (s) => s.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
  parameters: (s) => s.parameters ?? {},
};
