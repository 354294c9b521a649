/**
 * What every route handler receives: the simulator-wide state and the parsed
 * request (after authentication and cluster dispatch).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Authenticator } from './auth.ts';
import { authorize, type Attributes, type Directory } from './authz.ts';
import type { ResourceRegistry } from './resources.ts';
import type { World } from './seed.ts';
import type { ClusterStore } from './store.ts';
import type { Flavour, KObject } from './types.ts';

export interface Simulation {
  flavour: Flavour;
  registry: ResourceRegistry;
  world: World;
  directory: Directory;
  auth: Authenticator;
  tagCaller: boolean;
}

export const SERVED_TO = 'simulator.kubesphere.io/served-to';

/** TypeMeta-less views of stored objects, memoised so their serialised JSON can be cached too. */
const withoutTypeMeta = new WeakMap<KObject, KObject>();

export class RequestContext {
  readonly sim: Simulation;
  readonly method: string;
  /** Decoded path segments after the cluster prefix was removed. */
  readonly segments: string[];
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The request body as text ('' for none). */
  readonly body: string;
  readonly user: string;
  readonly cluster: string;
  readonly store: ClusterStore;
  /** Path after the cluster prefix, as the authorizer sees it. */
  readonly path: string;

  constructor(init: {
    sim: Simulation;
    method: string;
    segments: string[];
    query: URLSearchParams;
    headers: IncomingHttpHeaders;
    body?: string;
    user: string;
    cluster: string;
    store: ClusterStore;
    path: string;
  }) {
    this.sim = init.sim;
    this.method = init.method;
    this.segments = init.segments;
    this.query = init.query;
    this.headers = init.headers;
    this.body = init.body ?? '';
    this.user = init.user;
    this.cluster = init.cluster;
    this.store = init.store;
    this.path = init.path;
  }

  get flavour(): Flavour {
    return this.sim.flavour;
  }

  get hostStore(): ClusterStore {
    return this.sim.world.clusters.get(this.sim.world.hostName)!;
  }

  authorize(attrs: Omit<Attributes, 'cluster' | 'path'>): void {
    authorize(this.sim.directory, this.user, { ...attrs, cluster: this.cluster, path: this.path });
  }

  /**
   * The object as it leaves the server: optionally without TypeMeta (typed
   * informer objects have none) and tagged with the caller for isolation
   * canaries. Stored objects are never modified.
   */
  present(obj: KObject, options: { typeMeta?: boolean } = {}): KObject {
    let out = obj;
    if (options.typeMeta === false && (obj.apiVersion !== undefined || obj.kind !== undefined)) {
      let view = withoutTypeMeta.get(obj);
      if (!view) {
        const { apiVersion: _a, kind: _k, ...rest } = obj;
        view = rest as KObject;
        withoutTypeMeta.set(obj, view);
      }
      out = view;
    }
    if (this.sim.tagCaller) {
      out = { ...out, metadata: { ...out.metadata, annotations: { ...out.metadata.annotations, [SERVED_TO]: this.user } } };
    }
    return out;
  }
}
