/** Information units. Every estimator works in nats; bits = nats / ln 2. */
export type Units = 'nats' | 'bits';

/** Factor that converts nats into `units`. */
export function natsTo(units: Units): number {
  return units === 'bits' ? 1 / Math.LN2 : 1;
}
