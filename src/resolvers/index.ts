import { DateTimeResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.ts';
import { authMutation } from './auth.ts';
import { Deployment, deploymentQuery } from './deployment.ts';
import { ObjectMeta } from './meta.ts';
import { Namespace, namespaceQuery, Workspace } from './namespace.ts';
import { Node, nodeQuery } from './node.ts';
import { Container, Pod, podQuery } from './pod.ts';
import { Version, versionQuery } from './version.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,
  JSONObject: JSONObjectResolver,
  Query: { ...versionQuery, ...nodeQuery, ...namespaceQuery, ...podQuery, ...deploymentQuery },
  Mutation: { ...authMutation },
  ObjectMeta,
  Node,
  Namespace,
  Workspace,
  Pod,
  Container,
  Deployment,
  Version,
};
