/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      expiresIn\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query ClusterOverview {\n    version {\n      kubesphere {\n        gitVersion\n      }\n      kubernetes {\n        gitVersion\n      }\n    }\n    clusters {\n      totalItems\n      items {\n        name\n        role\n        ready\n        nodeCount\n        kubernetesVersion\n      }\n    }\n    nodes(limit: 1) {\n      totalItems\n    }\n    namespaces(limit: 1) {\n      totalItems\n    }\n    pods(limit: 1) {\n      totalItems\n    }\n  }\n": typeof types.ClusterOverviewDocument,
    "\n  query Nodes($page: Int = 1, $limit: Int = 10) {\n    nodes(page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n        }\n        roles\n        status\n        internalIP\n        kubeletVersion\n        allocatable {\n          cpu\n          memory\n        }\n        requests {\n          cpu\n          memory\n        }\n        pods(limit: 1) {\n          totalItems\n        }\n      }\n    }\n  }\n": typeof types.NodesDocument,
    "\n  query Projects($page: Int = 1, $limit: Int = 10) {\n    namespaces(page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n          creationTimestamp\n        }\n        aliasName\n        phase\n        workspace {\n          metadata {\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.ProjectsDocument,
    "\n  query Workloads($namespace: String!, $page: Int = 1, $limit: Int = 10) {\n    deployments(namespace: $namespace, page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n          creationTimestamp\n        }\n        replicas\n        readyReplicas\n        status\n        images\n      }\n    }\n  }\n": typeof types.WorkloadsDocument,
    "\n  query PodDetail($namespace: String!, $name: String!) {\n    pod(namespace: $namespace, name: $name) {\n      metadata {\n        name\n        namespace\n        labels\n      }\n      status\n      statusReason\n      restarts\n      podIP\n      node {\n        metadata {\n          name\n        }\n        internalIP\n      }\n      owner {\n        kind\n        metadata {\n          name\n        }\n      }\n      containers {\n        name\n        image\n        ready\n        restartCount\n        state\n      }\n      events(limit: 10) {\n        totalItems\n        items {\n          type\n          reason\n          message\n          lastTimestamp\n        }\n      }\n    }\n  }\n": typeof types.PodDetailDocument,
    "\n  query WorkspaceMembers($workspace: String!, $page: Int = 1, $limit: Int = 10) {\n    workspace(name: $workspace) {\n      metadata {\n        name\n      }\n      members(page: $page, limit: $limit) {\n        totalItems\n        items {\n          roleName\n          user {\n            username\n            email\n            state\n            lastLoginTime\n          }\n        }\n      }\n    }\n  }\n": typeof types.WorkspaceMembersDocument,
};
const documents: Documents = {
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      expiresIn\n    }\n  }\n": types.LoginDocument,
    "\n  query ClusterOverview {\n    version {\n      kubesphere {\n        gitVersion\n      }\n      kubernetes {\n        gitVersion\n      }\n    }\n    clusters {\n      totalItems\n      items {\n        name\n        role\n        ready\n        nodeCount\n        kubernetesVersion\n      }\n    }\n    nodes(limit: 1) {\n      totalItems\n    }\n    namespaces(limit: 1) {\n      totalItems\n    }\n    pods(limit: 1) {\n      totalItems\n    }\n  }\n": types.ClusterOverviewDocument,
    "\n  query Nodes($page: Int = 1, $limit: Int = 10) {\n    nodes(page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n        }\n        roles\n        status\n        internalIP\n        kubeletVersion\n        allocatable {\n          cpu\n          memory\n        }\n        requests {\n          cpu\n          memory\n        }\n        pods(limit: 1) {\n          totalItems\n        }\n      }\n    }\n  }\n": types.NodesDocument,
    "\n  query Projects($page: Int = 1, $limit: Int = 10) {\n    namespaces(page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n          creationTimestamp\n        }\n        aliasName\n        phase\n        workspace {\n          metadata {\n            name\n          }\n        }\n      }\n    }\n  }\n": types.ProjectsDocument,
    "\n  query Workloads($namespace: String!, $page: Int = 1, $limit: Int = 10) {\n    deployments(namespace: $namespace, page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n          creationTimestamp\n        }\n        replicas\n        readyReplicas\n        status\n        images\n      }\n    }\n  }\n": types.WorkloadsDocument,
    "\n  query PodDetail($namespace: String!, $name: String!) {\n    pod(namespace: $namespace, name: $name) {\n      metadata {\n        name\n        namespace\n        labels\n      }\n      status\n      statusReason\n      restarts\n      podIP\n      node {\n        metadata {\n          name\n        }\n        internalIP\n      }\n      owner {\n        kind\n        metadata {\n          name\n        }\n      }\n      containers {\n        name\n        image\n        ready\n        restartCount\n        state\n      }\n      events(limit: 10) {\n        totalItems\n        items {\n          type\n          reason\n          message\n          lastTimestamp\n        }\n      }\n    }\n  }\n": types.PodDetailDocument,
    "\n  query WorkspaceMembers($workspace: String!, $page: Int = 1, $limit: Int = 10) {\n    workspace(name: $workspace) {\n      metadata {\n        name\n      }\n      members(page: $page, limit: $limit) {\n        totalItems\n        items {\n          roleName\n          user {\n            username\n            email\n            state\n            lastLoginTime\n          }\n        }\n      }\n    }\n  }\n": types.WorkspaceMembersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      expiresIn\n    }\n  }\n"): (typeof documents)["\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      expiresIn\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClusterOverview {\n    version {\n      kubesphere {\n        gitVersion\n      }\n      kubernetes {\n        gitVersion\n      }\n    }\n    clusters {\n      totalItems\n      items {\n        name\n        role\n        ready\n        nodeCount\n        kubernetesVersion\n      }\n    }\n    nodes(limit: 1) {\n      totalItems\n    }\n    namespaces(limit: 1) {\n      totalItems\n    }\n    pods(limit: 1) {\n      totalItems\n    }\n  }\n"): (typeof documents)["\n  query ClusterOverview {\n    version {\n      kubesphere {\n        gitVersion\n      }\n      kubernetes {\n        gitVersion\n      }\n    }\n    clusters {\n      totalItems\n      items {\n        name\n        role\n        ready\n        nodeCount\n        kubernetesVersion\n      }\n    }\n    nodes(limit: 1) {\n      totalItems\n    }\n    namespaces(limit: 1) {\n      totalItems\n    }\n    pods(limit: 1) {\n      totalItems\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Nodes($page: Int = 1, $limit: Int = 10) {\n    nodes(page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n        }\n        roles\n        status\n        internalIP\n        kubeletVersion\n        allocatable {\n          cpu\n          memory\n        }\n        requests {\n          cpu\n          memory\n        }\n        pods(limit: 1) {\n          totalItems\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Nodes($page: Int = 1, $limit: Int = 10) {\n    nodes(page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n        }\n        roles\n        status\n        internalIP\n        kubeletVersion\n        allocatable {\n          cpu\n          memory\n        }\n        requests {\n          cpu\n          memory\n        }\n        pods(limit: 1) {\n          totalItems\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Projects($page: Int = 1, $limit: Int = 10) {\n    namespaces(page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n          creationTimestamp\n        }\n        aliasName\n        phase\n        workspace {\n          metadata {\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Projects($page: Int = 1, $limit: Int = 10) {\n    namespaces(page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n          creationTimestamp\n        }\n        aliasName\n        phase\n        workspace {\n          metadata {\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Workloads($namespace: String!, $page: Int = 1, $limit: Int = 10) {\n    deployments(namespace: $namespace, page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n          creationTimestamp\n        }\n        replicas\n        readyReplicas\n        status\n        images\n      }\n    }\n  }\n"): (typeof documents)["\n  query Workloads($namespace: String!, $page: Int = 1, $limit: Int = 10) {\n    deployments(namespace: $namespace, page: $page, limit: $limit) {\n      totalItems\n      items {\n        metadata {\n          name\n          creationTimestamp\n        }\n        replicas\n        readyReplicas\n        status\n        images\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PodDetail($namespace: String!, $name: String!) {\n    pod(namespace: $namespace, name: $name) {\n      metadata {\n        name\n        namespace\n        labels\n      }\n      status\n      statusReason\n      restarts\n      podIP\n      node {\n        metadata {\n          name\n        }\n        internalIP\n      }\n      owner {\n        kind\n        metadata {\n          name\n        }\n      }\n      containers {\n        name\n        image\n        ready\n        restartCount\n        state\n      }\n      events(limit: 10) {\n        totalItems\n        items {\n          type\n          reason\n          message\n          lastTimestamp\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PodDetail($namespace: String!, $name: String!) {\n    pod(namespace: $namespace, name: $name) {\n      metadata {\n        name\n        namespace\n        labels\n      }\n      status\n      statusReason\n      restarts\n      podIP\n      node {\n        metadata {\n          name\n        }\n        internalIP\n      }\n      owner {\n        kind\n        metadata {\n          name\n        }\n      }\n      containers {\n        name\n        image\n        ready\n        restartCount\n        state\n      }\n      events(limit: 10) {\n        totalItems\n        items {\n          type\n          reason\n          message\n          lastTimestamp\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspaceMembers($workspace: String!, $page: Int = 1, $limit: Int = 10) {\n    workspace(name: $workspace) {\n      metadata {\n        name\n      }\n      members(page: $page, limit: $limit) {\n        totalItems\n        items {\n          roleName\n          user {\n            username\n            email\n            state\n            lastLoginTime\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkspaceMembers($workspace: String!, $page: Int = 1, $limit: Int = 10) {\n    workspace(name: $workspace) {\n      metadata {\n        name\n      }\n      members(page: $page, limit: $limit) {\n        totalItems\n        items {\n          roleName\n          user {\n            username\n            email\n            state\n            lastLoginTime\n          }\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;