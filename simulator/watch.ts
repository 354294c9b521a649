/**
 * Watch on every native list path (`?watch=1` or `/watch/`), as
 * kube-apiserver streams it: chunked JSON lines of `{type, object}` built on
 * the store's change history (ClusterStore.changes / onChange), with
 * `resourceVersion` resume, a history window (an older resourceVersion is a
 * 410 Gone), BOOKMARKs when allowed, `timeoutSeconds`, Table objects for
 * kubectl, and test hooks that end or expire open streams.
 */
import type { ServerResponse } from 'node:http';
import type { RequestContext, Simulation } from './context.ts';
import { badRequest, HttpError, statusReply } from './errors.ts';
import type { ResourceType } from './resources.ts';
import { keyOf, type Change, type ClusterStore } from './store.ts';
import { toTable, wantsTable } from './table.ts';
import type { KObject, Reply } from './types.ts';

/** Which open streams a hook acts on; all when empty. */
export interface StreamFilter {
  cluster?: string;
  /** Storage key of the kind, e.g. RESOURCES.pod. */
  resource?: string;
  kind?: 'watch' | 'log';
}

interface OpenStream {
  kind: 'watch' | 'log';
  cluster: string;
  resource: string;
  user: string;
  /** Ends the stream cleanly (EOF), as a server-side timeout does. */
  end(): void;
  /** Sends an ERROR 410 event, then ends (watches only). */
  expire(): void;
}

/** The simulator's open streams and the knobs tests turn; one per simulator. */
export class StreamRegistry {
  readonly #open = new Set<OpenStream>();
  /** Per cluster: resourceVersions below this are gone (set by `expire`, as a compaction would). */
  readonly #compactedAt = new Map<string, number>();
  /** How often watches that allow them get a BOOKMARK. */
  bookmarkIntervalMs = 60_000;
  /** When a watch gives no `timeoutSeconds` (kube-apiserver picks 1800–3600 s). */
  defaultTimeoutSeconds = 1800;
  /** How often a followed log (`follow=true`) gets a new line. */
  logFollowIntervalMs = 1000;

  add(stream: OpenStream): () => void {
    this.#open.add(stream);
    return () => this.#open.delete(stream);
  }

  #select(filter: StreamFilter = {}): OpenStream[] {
    return [...this.#open].filter(
      (s) =>
        (filter.cluster === undefined || s.cluster === filter.cluster) &&
        (filter.resource === undefined || s.resource === filter.resource) &&
        (filter.kind === undefined || s.kind === filter.kind),
    );
  }

  /** How many streams are open now. */
  open(filter?: StreamFilter): number {
    return this.#select(filter).length;
  }

  /** Ends open streams as a server timeout would (clean EOF); returns how many. */
  end(filter?: StreamFilter): number {
    const streams = this.#select(filter);
    for (const s of streams) s.end();
    return streams.length;
  }

  /**
   * Compacts the history of the filter's clusters up to now, so that every
   * older resourceVersion is 410 Gone, and sends open watches there an ERROR
   * 410 event before ending them. Returns how many streams were expired.
   */
  expire(sim: Simulation, filter: StreamFilter = {}): number {
    const clusters = filter.cluster === undefined ? [...sim.world.clusters.keys()] : [filter.cluster];
    for (const name of clusters) {
      const store = sim.world.clusters.get(name);
      if (store) this.#compactedAt.set(name, Number(store.resourceVersion));
    }
    const streams = this.#select({ ...filter, kind: 'watch' });
    for (const s of streams) s.expire();
    return streams.length;
  }

  /** The oldest resourceVersion a watch may resume from in this cluster. */
  floor(store: ClusterStore): number {
    const history = store.changes();
    // Writes bump the revision by one, so the first kept change tells where the known window starts.
    const window = history.length > 0 ? Number(history[0]!.resourceVersion) - 1 : Number(store.resourceVersion);
    return Math.max(window, this.#compactedAt.get(store.name) ?? 0);
  }
}

const registries = new WeakMap<Simulation, StreamRegistry>();

export function streamsOf(sim: Simulation): StreamRegistry {
  let registry = registries.get(sim);
  if (!registry) {
    registry = new StreamRegistry();
    registries.set(sim, registry);
  }
  return registry;
}

const TRUE = new Set(['true', '1']);

export function nonNegativeInt(ctx: RequestContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw badRequest(`invalid ${name}: ${raw}`);
  return value;
}

const expired = (requested: number, oldest: number) =>
  ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${requested} (${oldest})`,
    reason: 'Expired',
    code: 410,
  }) as const;

/** `GET …/{plural}?watch=1`: the reply streams until the timeout, a test hook, or the client leaving. */
export function watchReply(
  ctx: RequestContext,
  type: ResourceType,
  store: ClusterStore,
  namespace: string | undefined,
  matches: (o: KObject) => boolean,
): Reply {
  const registry = streamsOf(ctx.sim);
  // 0 or none: the server's own choice.
  const timeoutSeconds = nonNegativeInt(ctx, 'timeoutSeconds') || registry.defaultTimeoutSeconds;
  const bookmarks = TRUE.has(ctx.query.get('allowWatchBookmarks') ?? '');
  const rv = ctx.query.get('resourceVersion') ?? '';
  let from: number | undefined;
  if (rv !== '' && rv !== '0') {
    from = Number(rv);
    if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rv}`);
    const floor = registry.floor(store);
    // kube-apiserver's watch cache refuses a resourceVersion it no longer holds before the stream starts.
    if (from < floor) throw new HttpError(statusReply(410, expired(from, floor + 1).message, undefined, 'Expired'));
  }
  const table = wantsTable(ctx.headers.accept);
  const includeObject = ctx.query.get('includeObject');
  const apiVersion = ctx.sim.registry.apiVersionOf(type);
  const inScope = (o: KObject) => namespace === undefined || o.metadata.namespace === namespace;
  const shown = (o: KObject) =>
    table ? toTable(type.id, [ctx.present(o)], { resourceVersion: o.metadata.resourceVersion }, includeObject, Date.now()) : ctx.present(o);

  return {
    status: 200,
    headers: { 'content-type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json' },
    body: '',
    stream(res: ServerResponse) {
      // Keys this watcher has been shown and not told are gone: a change that leaves the selection is a DELETED for it.
      const visible = new Set<string>();
      const send = (event: unknown) => {
        if (!res.writableEnded) res.write(`${JSON.stringify(event)}\n`);
      };
      const deliver = (change: Pick<Change, 'type' | 'object'>) => {
        const o = change.object;
        if (!inScope(o)) return;
        const key = keyOf(o.metadata.namespace, o.metadata.name);
        const had = visible.has(key);
        const now = change.type !== 'DELETED' && matches(o);
        let type: string | undefined;
        if (change.type === 'DELETED') type = had || matches(o) ? 'DELETED' : undefined;
        else if (now) type = had ? 'MODIFIED' : 'ADDED';
        else if (had) type = 'DELETED';
        if (!type) return;
        if (type === 'DELETED') visible.delete(key);
        else visible.add(key);
        send({ type, object: shown(o) });
      };

      const current = store.listSorted(type.id, namespace).filter(matches);
      if (from === undefined) {
        // No resourceVersion: the current state as synthetic ADDED events, then changes.
        for (const o of current) deliver({ type: 'ADDED', object: o });
      } else {
        // What the watcher saw at `from`: objects unchanged since, and for changed ones the last version at or before `from`
        // (none in the history: the seeded version, which the first later change replaced unless it was an ADDED).
        const before = new Map<string, Change>();
        const after = new Map<string, Change>();
        for (const change of store.changes()) {
          if (change.resource !== type.id) continue;
          const key = keyOf(change.object.metadata.namespace, change.object.metadata.name);
          if (Number(change.resourceVersion) <= from) before.set(key, change);
          else if (!after.has(key)) after.set(key, change);
        }
        for (const o of current) if (Number(o.metadata.resourceVersion) <= from) visible.add(keyOf(o.metadata.namespace, o.metadata.name));
        for (const [key, first] of after) {
          const prior = before.get(key);
          const existed = prior ? prior.type !== 'DELETED' && inScope(prior.object) && matches(prior.object) : first.type !== 'ADDED';
          if (existed) visible.add(key);
        }
        for (const change of store.changes()) {
          if (change.resource === type.id && Number(change.resourceVersion) > from) deliver(change);
        }
      }
      const unsubscribe = store.onChange((change) => {
        if (change.resource === type.id) deliver(change);
      });
      const bookmarkTimer = bookmarks
        ? setInterval(
            () => send({ type: 'BOOKMARK', object: { kind: type.kind, apiVersion, metadata: { resourceVersion: store.resourceVersion } } }),
            registry.bookmarkIntervalMs,
          )
        : undefined;
      const stop = () => {
        clearTimeout(timeout);
        clearInterval(bookmarkTimer);
        unsubscribe();
        remove();
      };
      const end = () => {
        stop();
        if (!res.writableEnded) res.end();
      };
      const timeout = setTimeout(end, timeoutSeconds * 1000);
      const remove = registry.add({
        kind: 'watch',
        cluster: store.name,
        resource: type.id,
        user: ctx.user,
        end,
        expire() {
          send({ type: 'ERROR', object: expired(from ?? 0, registry.floor(store) + 1) });
          end();
        },
      });
      res.on('close', stop);
    },
  };
}
