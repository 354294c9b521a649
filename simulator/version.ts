/** `GET /kapis/version` and `/version`: ks-apiserver's version info with the cluster's Kubernetes version. */
import { jsonReply } from './errors.ts';
import { FLAVOURS } from './seed.ts';
import type { Flavour, Reply } from './types.ts';

const BUILD: Record<Flavour, { commit: string; date: string; go: string }> = {
  '3.4': { commit: '3e0493a1c5e1c4413a7b77e8b408d428220ed929', date: '2023-11-14T08:23:41Z', go: 'go1.19.13' },
  '4.1': { commit: '11988f71e6e0254ebcba4ead0623f885676ef0b6', date: '2024-12-19T03:15:27Z', go: 'go1.22.10' },
};

const K8S_BUILD: Record<string, { commit: string; date: string; go: string }> = {
  'v1.26.5': { commit: '890a139214b4de1f01543d15003b5bda71aae9c7', date: '2023-05-17T14:08:49Z', go: 'go1.19.9' },
  'v1.25.16': { commit: 'c5f43560a4f98f2af3743a59299fb79f07924373', date: '2023-11-15T22:28:05Z', go: 'go1.20.10' },
  'v1.28.8': { commit: 'fc11ff34c34bc1e6ae6981dc1c7b3faa20b1ac2d', date: '2024-03-15T00:00:56Z', go: 'go1.21.8' },
  'v1.27.12': { commit: '12031002905c0410706974560cbdf2dad9278919', date: '2024-03-15T02:15:32Z', go: 'go1.21.8' },
};

export function versionReply(flavour: Flavour, kubernetes: string): Reply {
  const b = BUILD[flavour];
  const k = K8S_BUILD[kubernetes]!;
  const [major, minor] = FLAVOURS[flavour].kubeSphereVersion.slice(1).split('.');
  const [kMajor, kMinor] = kubernetes.slice(1).split('.');
  return jsonReply(200, {
    gitVersion: FLAVOURS[flavour].kubeSphereVersion,
    gitMajor: major,
    gitMinor: minor,
    gitCommit: b.commit,
    gitTreeState: 'clean',
    buildDate: b.date,
    goVersion: b.go,
    compiler: 'gc',
    platform: 'linux/amd64',
    kubernetes: {
      major: kMajor,
      minor: kMinor,
      gitVersion: kubernetes,
      gitCommit: k.commit,
      gitTreeState: 'clean',
      buildDate: k.date,
      goVersion: k.go,
      compiler: 'gc',
      platform: 'linux/amd64',
    },
  });
}
