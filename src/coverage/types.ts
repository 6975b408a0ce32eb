import type { QuoteSource } from '../index/types.js';

/** One source's figure in a discrepancy. */
export interface DiscrepancyValue {
  value: number;
  unit: string;
  text: string;
  source: QuoteSource;
  start: number;
  end: number;
  /** The source's publication date (its `source.published`), or null when undated. */
  published?: string | null;
}

/** Sources giving different figures for the same thing. */
export interface Discrepancy {
  about: string;
  /** Set only when every value is dated: a figure that changed over time, or sources disagreeing at one time. */
  kind?: 'disagreement' | 'update';
  /** In time order when dated. */
  values: DiscrepancyValue[];
}
