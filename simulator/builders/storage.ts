/** StorageClasses, and claims with the PersistentVolumes bound to them. */
import { isoAt } from '../det.ts';
import { T } from '../resources.ts';
import type { KObject } from '../types.ts';
import type { ClusterBuilder } from './core.ts';

export function addStorageClass(b: ClusterBuilder, name: string, provisioner: string, created: number, isDefault: boolean): KObject {
  return b.add(T.storageclass, {
    metadata: b.meta(T.storageclass, undefined, name, created, {
      annotations: {
        ...(isDefault
          ? {
              'storageclass.kubernetes.io/is-default-class': 'true',
              'storageclass.kubesphere.io/allow-clone': 'true',
              'storageclass.kubesphere.io/allow-snapshot': 'true',
            }
          : {}),
        'cas.openebs.io/config': '- name: StorageType\n  value: "hostpath"\n- name: BasePath\n  value: "/var/openebs/local/"\n',
      },
    }),
    provisioner,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
}

/** A claim; bound ones get a matching PersistentVolume. */
export function addPvc(
  b: ClusterBuilder,
  def: {
    namespace: string;
    name: string;
    size: string;
    storageClass: string;
    created: number;
    pending?: boolean;
    labels?: Record<string, string>;
  },
): KObject {
  const uid = b.uid(T.pvc, def.namespace, def.name);
  const volumeName = `pvc-${uid}`;
  const claim = b.add(T.pvc, {
    metadata: b.meta(T.pvc, def.namespace, def.name, def.created, {
      labels: def.labels,
      annotations: def.pending
        ? { 'volume.beta.kubernetes.io/storage-provisioner': 'openebs.io/local', 'volume.kubernetes.io/storage-provisioner': 'openebs.io/local' }
        : {
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
            'volume.beta.kubernetes.io/storage-provisioner': 'openebs.io/local',
            'volume.kubernetes.io/selected-node': b.nodeNames()[1] ?? b.nodeNames()[0] ?? '',
            'volume.kubernetes.io/storage-provisioner': 'openebs.io/local',
          },
      finalizers: ['kubernetes.io/pvc-protection'],
    }),
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: def.size } },
      storageClassName: def.storageClass,
      volumeMode: 'Filesystem',
      ...(def.pending ? {} : { volumeName }),
    },
    status: def.pending ? { phase: 'Pending' } : { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: def.size } },
  });
  if (!def.pending) {
    b.add(T.pv, {
      metadata: b.meta(T.pv, undefined, volumeName, def.created + 3, {
        labels: { 'openebs.io/cas-type': 'local-hostpath' },
        annotations: { 'pv.kubernetes.io/provisioned-by': 'openebs.io/local' },
        finalizers: ['kubernetes.io/pv-protection'],
      }),
      spec: {
        capacity: { storage: def.size },
        local: { path: `/var/openebs/local/${volumeName}`, fsType: '' },
        accessModes: ['ReadWriteOnce'],
        claimRef: {
          kind: 'PersistentVolumeClaim',
          namespace: def.namespace,
          name: def.name,
          uid,
          apiVersion: 'v1',
          resourceVersion: claim.metadata.resourceVersion,
        },
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: def.storageClass,
        volumeMode: 'Filesystem',
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [b.nodeNames()[1] ?? b.nodeNames()[0] ?? ''] }] },
            ],
          },
        },
      },
      status: { phase: 'Bound', lastPhaseTransitionTime: isoAt(def.created + 3) },
    });
  }
  return claim;
}
