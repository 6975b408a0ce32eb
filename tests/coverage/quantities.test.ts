import { describe, expect, it } from 'vitest';
import { conversionIsWrong, extractQuantities, isDateJsonUnit, jsonUnit, sameValue, VALUE_TOLERANCE, valuesDiffer } from '../../src/coverage/quantities.js';
import { normalizeTerm } from '../../src/index/lexical.js';

const read = (sentence: string) => extractQuantities(sentence, 0, normalizeTerm);

describe('figures in a sentence', () => {
  it('reads areas with their bracketed conversion, and checks it', () => {
    const [held] = read('Ukraine is still holding around 90 sq km (56 sq miles) in the region.');
    expect(held).toMatchObject({ value: 90, unit: 'km2', dimension: 'area', frame: 'held', conversion: { value: 56, unit: 'mi2' } });
    expect(conversionIsWrong(held!)).toBe(true);
    const [right] = read('Forces hold approximately 90 sq km (35 sq miles) of land.');
    expect(conversionIsWrong(right!)).toBe(false);
    const [hectares] = read('The fire has burned 4,200 hectares (16,000 acres) so far.');
    expect(hectares).toMatchObject({ value: 4200, unit: 'ha', frame: 'burned' });
    expect(conversionIsWrong(hectares!)).toBe(true);
  });

  it('reads counts with the noun they count and what happened to them', () => {
    const [sent] = read('Last autumn, the ally sent an estimated 11,000 troops to the front.');
    expect(sent).toMatchObject({ value: 11000, unit: 'troops', dimension: 'count', frame: 'sent' });
    const [killed] = read('At least 1,000 North Korean troops had been killed in three months.');
    expect(killed).toMatchObject({ value: 1000, unit: 'troops', frame: 'killed' });
    const [evacuated] = read('Officials ordered the evacuation of 1,300 residents from two villages.');
    expect(evacuated).toMatchObject({ value: 1300, unit: 'residents', frame: 'evacuated' });
  });

  it('tells a capture from a hold by the verb next to the noun', () => {
    expect(read('Troops managed to snatch control of over 1,000 sq km of land.')[0]!.frame).toBe('captured');
    expect(read('They remain in control of 90 sq km of land.')[0]!.frame).toBe('held');
  });

  it('reads money, percentages and dates, and ignores years and durations', () => {
    expect(read('The council approved a budget of $48 million on Tuesday.')[0]).toMatchObject({ value: 48e6, unit: 'usd', frame: 'approved' });
    expect(read('Taxes will rise by 2 percent.')[0]).toMatchObject({ value: 2, dimension: 'percent' });
    const dates = read('The incursion began on 6 August 2024, and in 2023 nothing happened for 3 months.');
    expect(dates.map((d) => [d.dimension, d.frame])).toEqual([['date', 'began']]);
  });

  it('compares dates at the precision they are given', () => {
    const [month] = read('Ukraine launched the incursion in August 2024.');
    const [day] = read('The incursion began on August 6, 2024.');
    const [other] = read('The incursion began on 9 September 2024.');
    expect(sameValue(month!, day!)).toBe(true);
    expect(sameValue(day!, other!)).toBe(false);
  });

  it("keeps a date's precision in its own field, and gives the JSON the unit it always had", () => {
    const [month] = read('Ukraine launched the incursion in August 2024.');
    const [day] = read('The incursion began on August 6, 2024.');
    const [undatedDay] = read('The incursion began on 6 August, officials said.');
    const [other] = read('The incursion began on 6 August 2023.');
    expect(month).toMatchObject({ dimension: 'date', unit: 'day', precision: { granularity: 'month', year: true } });
    expect(day).toMatchObject({ dimension: 'date', unit: 'day', precision: { granularity: 'day', year: true } });
    expect(undatedDay).toMatchObject({ dimension: 'date', unit: 'day', precision: { granularity: 'day', year: false } });
    expect([month, day, undatedDay].map((d) => jsonUnit(d!))).toEqual(['month', 'day', 'undated-day']);
    expect(jsonUnit({ unit: 'day', dimension: 'date', precision: { granularity: 'month', year: false } })).toBe('undated-month');
    expect(['day', 'month', 'undated-day', 'undated-month'].every(isDateJsonUnit)).toBe(true);
    expect(isDateJsonUnit('km2') || isDateJsonUnit('troops')).toBe(false);
    // A date without a year matches the same day of any year; one with a year only its own.
    expect(sameValue(undatedDay!, day!)).toBe(true);
    expect(sameValue(other!, day!)).toBe(false);
    const [held] = read('Ukraine is still holding around 90 sq km (56 sq miles) in the region.');
    expect(held!.precision).toBeUndefined();
    expect(jsonUnit(held!)).toBe('km2');
  });

  it('tells rounding from disagreement with one tolerance (5 %)', () => {
    expect(VALUE_TOLERANCE).toBe(0.05);
    expect(valuesDiffer(48e6, 52e6)).toBe(true);
    expect(valuesDiffer(90, 92)).toBe(false);
  });
});
