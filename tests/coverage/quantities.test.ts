import { describe, expect, it } from 'vitest';
import { conversionIsWrong, extractQuantities, sameValue } from '../../src/coverage/quantities.js';
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
});
