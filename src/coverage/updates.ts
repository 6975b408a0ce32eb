/**
 * Figures over time: a discrepancy whose values are all dated is either a figure that changed
 * (an update: the dates lie more than a week apart and the later value differs) or sources giving
 * different figures at the same time (a disagreement). Values are listed in time order, each with
 * its source's publication date; undated ones keep their order and get no kind.
 */
import type { Discrepancy, DiscrepancyValue } from './types.js';

/** Dates further apart than this make a changed figure an update rather than a disagreement. */
export const UPDATE_GAP_DAYS = 7;
const DAY = 86_400_000;

const timeOf = (published: string | null) => (published ? Date.parse(published.length === 10 ? `${published}T00:00:00Z` : published) : NaN);
const sameFigure = (a: DiscrepancyValue, b: DiscrepancyValue) => a.value === b.value && a.unit === b.unit;

/** The discrepancy with dated values in time order and its kind, when every value is dated. */
export function withDates(discrepancy: Discrepancy): Discrepancy {
  const values = discrepancy.values.map((v) => ({ ...v, published: v.source.published }));
  const times = values.map((v) => timeOf(v.published));
  if (times.some((t) => Number.isNaN(t))) return { ...discrepancy, values };
  const ordered = values.map((v, i) => ({ v, t: times[i]! })).sort((a, b) => a.t - b.t);
  const changed = ordered.some((later, j) => ordered.slice(0, j).some((earlier) => later.t - earlier.t > UPDATE_GAP_DAYS * DAY && !sameFigure(earlier.v, later.v)));
  return { ...discrepancy, kind: changed ? 'update' : 'disagreement', values: ordered.map(({ v }) => v) };
}
