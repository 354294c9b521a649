import type { EventResolvers, QueryResolvers } from '../generated/graphql.ts';
import { badUserInput } from '../errors.ts';
import { namespaceName, objectName } from '../kubesphere/paths.ts';
import type { EventResource } from '../kubesphere/types.ts';
import { latestFirst } from '../loaders/index.ts';
import { enumValue } from '../model/enums.ts';
import { pageLocally } from './list.ts';
import { kubeObjectFields } from './object.ts';

const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
const UID = /^[0-9a-fA-F-]{1,64}$/;

/** Validates one field-selector value before it is joined into the selector. */
function check(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw badUserInput(`Invalid ${what} ${JSON.stringify(value.slice(0, 64))}.`);
  return value;
}

export const eventQuery = {
  events: async (_parent, args, ctx) => {
    if (args.namespace) namespaceName(args.namespace);
    const filter = args.filter ?? {};
    // The same conditions as eventRule, sent as a field selector.
    const fields = [
      filter.involvedObjectKind && `involvedObject.kind=${check(filter.involvedObjectKind, KIND, 'involvedObjectKind')}`,
      filter.involvedObjectName && `involvedObject.name=${objectName(filter.involvedObjectName, 'involvedObjectName')}`,
      filter.involvedObjectUid && `involvedObject.uid=${check(filter.involvedObjectUid, UID, 'involvedObjectUid')}`,
      filter.type && `type=${filter.type}`,
    ].filter(Boolean);
    const key = { cluster: args.cluster, resource: 'events', namespace: args.namespace, ...(fields.length > 0 && { fieldSelector: fields.join(',') }) };
    return pageLocally(args, ctx.lists, async () => (await ctx.loaders.list.load(key)).items as EventResource[], latestFirst);
  },
} satisfies QueryResolvers;

export const Event: EventResolvers = {
  ...kubeObjectFields<EventResource>('Event'),
  type: (e) => enumValue('EventType', e.type),
  reason: (e) => e.reason ?? null,
  message: (e) => e.message ?? null,
  count: (e) => e.count ?? 1,
  firstTimestamp: (e) => e.firstTimestamp ?? e.eventTime ?? null,
  lastTimestamp: (e) => e.lastTimestamp ?? e.eventTime ?? null,
  source: (e) => e.source?.component ?? e.reportingComponent ?? null,
  sourceHost: (e) => e.source?.host ?? null,
  involvedObject: (e) => {
    const o = e.involvedObject ?? {};
    return {
      kind: o.kind ?? null,
      namespace: o.namespace ?? null,
      name: o.name ?? null,
      uid: o.uid ?? null,
      apiVersion: o.apiVersion ?? null,
      fieldPath: o.fieldPath ?? null,
    };
  },
};
