/** Every command the bot has. A new command is one file beside this one and one line here. */
import type { Command } from '../types.js';
import { ask } from './ask.js';
import { checkCoverage } from './check-coverage.js';
import { compare } from './compare.js';
import { feed } from './feed.js';
import { forget } from './forget.js';
import { help } from './help.js';
import { ingest } from './ingest.js';
import { source } from './source.js';
import { sources } from './sources.js';
import { timeline } from './timeline.js';

export const commands: Command[] = [ask, compare, timeline, checkCoverage, source, sources, help, ingest, forget, feed];
