import type { ConfigMapResolvers, QueryResolvers, SecretResolvers } from '../generated/graphql.ts';
import type { ConfigMapResource, SecretResource } from '../kubesphere/types.ts';
import { secretEntries, secretKeys } from '../model/secret.ts';
import { rootFields } from './list.ts';
import { kubeObjectFields } from './object.ts';

const configMapFields = rootFields<ConfigMapResource>('configmaps');
const secretFields = rootFields<SecretResource>('secrets');
export const configQuery = {
  configMaps: configMapFields.list,
  configMap: configMapFields.get,
  secrets: secretFields.list,
  secret: secretFields.get,
} satisfies QueryResolvers;

export const ConfigMap: ConfigMapResolvers = {
  ...kubeObjectFields<ConfigMapResource>('ConfigMap'),
  keys: (c) => [...Object.keys(c.data ?? {}), ...Object.keys(c.binaryData ?? {})].sort(),
  data: (c) => c.data ?? {},
};

export const Secret: SecretResolvers = {
  ...kubeObjectFields<SecretResource>('Secret'),
  type: (s) => s.type ?? 'Opaque',
  keys: (s) => secretKeys(s),
  data: (s, { keys }) => secretEntries(s, keys),
};
