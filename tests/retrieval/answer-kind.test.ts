import { describe, expect, it } from 'vitest';
import { answerEvidence, questionShape } from '../../src/retrieval/answer-kind.js';

describe('questionShape', () => {
  it.each([
    ['How many ferries crossed the strait last winter?', 'figure'],
    ['What percentage of the vote did the mayor win?', 'figure'],
    ['When did the bridge reopen?', 'date'],
    ['In what year was the harbour dredged?', 'date'],
    ['Who designed the new library?', 'name'],
    ['Which river burst its banks on Sunday?', 'name'],
    ['Where will the summit be held?', 'name'],
    ['What company bought the shipyard?', 'name'],
    ['Researchers studying the glacier have found what?', 'open'],
    ['Why did the council delay the vote?', 'open'],
  ])('%s asks for a %s', (question, kind) => {
    expect(questionShape(question).kind).toBe(kind);
  });
});

describe('answerEvidence', () => {
  const who = questionShape('Which architect won the competition to design the harbour museum?');

  it('finds a new name, not one the question already gives', () => {
    expect(answerEvidence(who, 'The competition to design the harbour museum was won by Ingrid Solberg of Bergen.')).toBe(1);
    expect(answerEvidence(who, 'An architect won the competition to design the harbour museum on Tuesday.')).toBe(0);
  });

  it('does not take a sentence-opening word, a weekday or an adjective made of a name for a name', () => {
    expect(answerEvidence(who, 'Judges praised the winning design for the harbour museum.')).toBe(0);
    expect(answerEvidence(who, 'On Friday a Paris-trained architect won the museum competition.')).toBe(0);
  });

  it('takes a marked name even when it opens the sentence, and a quoted title', () => {
    expect(answerEvidence(who, 'McAllister won the competition for the museum.')).toBe(1);
    expect(answerEvidence(who, 'The winning entry, “Tidewater”, will house the harbour museum.')).toBe(1);
  });

  it('wants a new figure for "how many" and a time for "when"', () => {
    const howMany = questionShape('How many ferries crossed the strait last winter?');
    expect(answerEvidence(howMany, 'Some 1,240 ferries crossed the strait last winter.')).toBe(1);
    expect(answerEvidence(howMany, 'Ferries crossed the strait all winter.')).toBe(0);
    const when = questionShape('When did the bridge reopen?');
    expect(answerEvidence(when, 'The bridge reopened on March 4 after repairs.')).toBe(1);
    expect(answerEvidence(when, 'The bridge reopened after 3 repairs.')).toBe(0.5);
    expect(answerEvidence(when, 'The bridge reopened after repairs.')).toBe(0);
  });

  it('scores open questions by what the sentence adds', () => {
    const open = questionShape('Researchers studying the glacier have found what?');
    expect(answerEvidence(open, 'Researchers studying the glacier found a buried forest beneath its tongue.')).toBeGreaterThan(
      answerEvidence(open, 'Researchers have been studying the glacier.'),
    );
  });
});
