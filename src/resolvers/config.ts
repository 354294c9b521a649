import type { ConfigMapResolvers, QueryResolvers, SecretResolvers } from '../generated/graphql.ts';
import type { ConfigMapResource, SecretResource } from '../kubesphere/types.ts';
import { redactedMeta, redactSecret, secretEntries, secretKeys } from '../model/secret.ts';
import { getResource, listResources } from './list.ts';

export const configQuery = {
  configMaps: (_parent, args, ctx) => listResources<ConfigMapResource>('configmaps', args, ctx),
  configMap: (_parent, args, ctx) => getResource<ConfigMapResource>('configmaps', args, ctx),
  secrets: (_parent, args, ctx) => listResources<SecretResource>('secrets', args, ctx),
  secret: (_parent, args, ctx) => getResource<SecretResource>('secrets', args, ctx),
} satisfies QueryResolvers;

export const ConfigMap: ConfigMapResolvers = {
  metadata: (c) => c.metadata ?? {},
  keys: (c) => [...Object.keys(c.data ?? {}), ...Object.keys(c.binaryData ?? {})].sort(),
  data: (c) => c.data ?? {},
  raw: (c) => c,
};

export const Secret: SecretResolvers = {
  metadata: (s) => redactedMeta(s.metadata),
  type: (s) => s.type ?? 'Opaque',
  keys: (s) => secretKeys(s),
  data: (s, { keys }) => secretEntries(s, keys),
  raw: (s) => redactSecret(s),
};
