import { describe, expect, it } from 'vitest';
import { podStatusType } from '../../simulator/kinds.ts';
import type { KObject } from '../../simulator/types.ts';

// KubeSphere's getPodStatus statusType (release-3.4 and release-4.1:pkg/models/resources/v1alpha3/pod/pods.go).
const pod = (status: Record<string, unknown>, more: { initContainers?: number; deletionTimestamp?: string } = {}): KObject => ({
  metadata: { name: 'p', ...(more.deletionTimestamp ? { deletionTimestamp: more.deletionTimestamp } : {}) },
  spec: {
    containers: [{ name: 'a' }],
    ...(more.initContainers ? { initContainers: Array.from({ length: more.initContainers }, (_, i) => ({ name: `i${i}` })) } : {}),
  },
  status,
});
const running = { state: { running: {} }, ready: true };
const ready = (s: 'True' | 'False', reason?: string) => ({ type: 'Ready', status: s, ...(reason ? { reason } : {}) });

describe('pod statusType', () => {
  it.each([
    ['Running', { phase: 'Running', containerStatuses: [running] }],
    ['Waiting', { phase: 'Running', containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }] }],
    ['Waiting', { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff' } } }] }],
    ['Waiting', { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } } }] }],
    ['Waiting', { phase: 'Pending' }],
    ['Waiting', { phase: 'Running', containerStatuses: [{ state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] }],
    ['Error', { phase: 'Failed', containerStatuses: [{ state: { terminated: { reason: 'Error', exitCode: 1 } } }] }],
    ['Error', { phase: 'Failed' }],
    ['Error', { phase: 'Failed', reason: 'OutOfcpu' }],
    ['Completed', { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }],
    ['Completed', { phase: 'Succeeded', conditions: [ready('False', 'PodCompleted')] }],
    ['Waiting', { phase: 'Succeeded', conditions: [ready('False', 'ContainersNotReady')] }],
    ['Waiting', { phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 2 } } }] }],
    // Completed with a container still running: Running if the pod is Ready, else NotReady (Waiting).
    [
      'Running',
      { phase: 'Running', conditions: [ready('True')], containerStatuses: [running, { state: { terminated: { reason: 'Completed', exitCode: 0 } } }] },
    ],
    [
      'Waiting',
      { phase: 'Running', conditions: [ready('False')], containerStatuses: [running, { state: { terminated: { reason: 'Completed', exitCode: 0 } } }] },
    ],
  ] as const)('%s for %j', (expected, status) => {
    expect(podStatusType(pod(status))).toBe(expected);
  });

  it('init containers decide while they run or fail', () => {
    const done = { state: { terminated: { exitCode: 0 } } };
    expect(podStatusType(pod({ phase: 'Pending', initContainerStatuses: [done, { state: { running: {} } }] }, { initContainers: 2 }))).toBe('Waiting');
    expect(
      podStatusType(pod({ phase: 'Running', initContainerStatuses: [{ state: { terminated: { reason: 'Error', exitCode: 1 } } }] }, { initContainers: 1 })),
    ).toBe('Waiting');
    expect(podStatusType(pod({ phase: 'Running', initContainerStatuses: [done], containerStatuses: [running] }, { initContainers: 1 }))).toBe('Running');
  });

  it('a pod being deleted is Terminating (or Unknown when its node is lost): Waiting', () => {
    const at = '2024-05-06T08:00:00Z';
    expect(podStatusType(pod({ phase: 'Running', containerStatuses: [running] }, { deletionTimestamp: at }))).toBe('Waiting');
    expect(podStatusType(pod({ phase: 'Running', reason: 'NodeLost', containerStatuses: [running] }, { deletionTimestamp: at }))).toBe('Waiting');
  });
});
