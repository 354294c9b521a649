/**
 * One operation per console screen (docs/cookbook.md explains each and what
 * it costs upstream). `graphql()` returns typed documents: variables and
 * results are checked by `tsc` against the facade's schema.
 */
import { graphql } from './gql/index.ts';

export const Login = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      accessToken
      expiresIn
    }
  }
`);

export const ClusterOverview = graphql(`
  query ClusterOverview {
    version {
      kubesphere {
        gitVersion
      }
      kubernetes {
        gitVersion
      }
    }
    clusters {
      totalItems
      items {
        name
        role
        ready
        nodeCount
        kubernetesVersion
      }
    }
    nodes(limit: 1) {
      totalItems
    }
    namespaces(limit: 1) {
      totalItems
    }
    pods(limit: 1) {
      totalItems
    }
  }
`);

export const Nodes = graphql(`
  query Nodes($page: Int = 1, $limit: Int = 10) {
    nodes(page: $page, limit: $limit) {
      totalItems
      items {
        metadata {
          name
        }
        roles
        status
        internalIP
        kubeletVersion
        allocatable {
          cpu
          memory
        }
        requests {
          cpu
          memory
        }
        pods(limit: 1) {
          totalItems
        }
      }
    }
  }
`);

export const Projects = graphql(`
  query Projects($page: Int = 1, $limit: Int = 10) {
    namespaces(page: $page, limit: $limit) {
      totalItems
      items {
        metadata {
          name
          creationTimestamp
        }
        aliasName
        phase
        workspace {
          metadata {
            name
          }
        }
      }
    }
  }
`);

export const Workloads = graphql(`
  query Workloads($namespace: String!, $page: Int = 1, $limit: Int = 10) {
    deployments(namespace: $namespace, page: $page, limit: $limit) {
      totalItems
      items {
        metadata {
          name
          creationTimestamp
        }
        replicas
        readyReplicas
        status
        images
      }
    }
  }
`);

export const PodDetail = graphql(`
  query PodDetail($namespace: String!, $name: String!) {
    pod(namespace: $namespace, name: $name) {
      metadata {
        name
        namespace
        labels
      }
      status
      statusReason
      restarts
      podIP
      node {
        metadata {
          name
        }
        internalIP
      }
      owner {
        kind
        metadata {
          name
        }
      }
      containers {
        name
        image
        ready
        restartCount
        state
      }
      events(limit: 10) {
        totalItems
        items {
          type
          reason
          message
          lastTimestamp
        }
      }
    }
  }
`);

export const WorkspaceMembers = graphql(`
  query WorkspaceMembers($workspace: String!, $page: Int = 1, $limit: Int = 10) {
    workspace(name: $workspace) {
      metadata {
        name
      }
      members(page: $page, limit: $limit) {
        totalItems
        items {
          roleName
          user {
            username
            email
            state
            lastLoginTime
          }
        }
      }
    }
  }
`);
