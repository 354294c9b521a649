import type { BuildVersion, QueryResolvers, VersionResolvers } from '../generated/graphql.ts';
import type { BuildInfo } from '../kubesphere/types.ts';

const build = (info: BuildInfo): BuildVersion => ({
  gitVersion: info.gitVersion,
  major: info.gitMajor ?? info.major ?? null,
  minor: info.gitMinor ?? info.minor ?? null,
  gitCommit: info.gitCommit ?? null,
  buildDate: info.buildDate ?? null,
  goVersion: info.goVersion ?? null,
  platform: info.platform ?? null,
});

export const versionQuery = {
  // The upstream's version is public there, but it tells an anonymous caller which exploits to try: production asks for a token.
  version: (_parent, _args, { kubesphere, production }) => {
    if (production) kubesphere.requireToken();
    return kubesphere.version();
  },
} satisfies QueryResolvers;

export const Version: VersionResolvers = {
  kubesphere: (info) => build(info),
  kubernetes: (info) => (info.kubernetes ? build(info.kubernetes) : null),
};
