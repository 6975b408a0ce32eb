/** Questions the seed articles answer, each with what an answering quote must contain. */
export const ANSWERED: [question: string, answer: RegExp][] = [
  ['How much territory does Ukraine still hold in Kursk?', /90 (sq km|square kilometers)|700 square kilometers/],
  ['How many Russian troops are trying to push the Ukrainians out?', /10,000/],
  ['When did Ukraine launch its incursion into Kursk?', /August/],
  ['How much Russian land did Ukraine capture at first?', /1,000 (sq km|square kilometers)/],
  ['How many soldiers did North Korea send to Kursk?', /11,000/],
  ['How many North Korean soldiers have been killed?', /1,000 .*killed|killed.*1,000/],
  ['What did Syrsky promise about strikes on Russia?', /scale and depth/],
  ['What will Pyongyang send to rebuild damaged infrastructure?', /mine/],
  ['Why does Ukraine need American permission to fire Storm Shadow missiles?', /elevation maps|guidance/],
  ['Which brigades were defending Malaya Loknya?', /47th Mechanized Brigade/],
  ['What did Zelensky say the Kursk operation achieved?', /buffer/],
  ['How many Russian troops did Ukrainian forces face before they retreated?', /70,000/],
  ['What do Starmer and Macron want Biden to do?', /restrictions/],
  ['How many soldiers are the Russians losing every minute?', /1 soldier every minute/],
];

/** Questions the coverage does not answer, including ones about the sidebar and widget text. */
export const NOT_COVERED = [
  'Who are the favourites to win the 2026 World Cup?',
  'Was a robber arrested in Ashaiman?',
  "What is Ghana's AIDS Commission doing about HIV infections?",
  'What is Carbonatix?',
  'What is the capital of France?',
  'How did the stock market perform today?',
  'What is a good recipe for banana bread?',
  'Who won the Champions League final?',
];
