/** DataLoader batches: a size histogram and a span per batch, around the loader's own batch function. */
import type { BatchLoadFn } from 'dataloader';
import { operationStore } from './operation.ts';
import { inSpan } from './tracing.ts';

/** `loader` is a fixed name from the code, never from input: it is a metric label. */
export function observedBatch<K, V>(loader: string, batch: BatchLoadFn<K, V>): BatchLoadFn<K, V> {
  return (keys) => {
    operationStore.getStore()?.metrics.batchSize.observe({ loader }, keys.length);
    return inSpan(`dataloader ${loader}`, { 'dataloader.name': loader, 'dataloader.batch_size': keys.length }, () => Promise.resolve(batch(keys)));
  };
}
