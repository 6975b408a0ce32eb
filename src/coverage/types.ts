import type { QuoteSource } from '../index/types.js';

/** One source's figure in a discrepancy. */
export interface DiscrepancyValue {
  value: number;
  unit: string;
  text: string;
  source: QuoteSource;
  start: number;
  end: number;
}

/** Sources giving different figures for the same thing. */
export interface Discrepancy {
  about: string;
  values: DiscrepancyValue[];
}
