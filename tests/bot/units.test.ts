/** The bot's small parts: the redacting logger, the cooldown, and turning a message into a question. */
import { describe, expect, it } from 'vitest';
import { GatewayIntentBits } from 'discord.js';
import { intentsFor } from '../../src/bot/client.js';
import { questionFromMessage } from '../../src/bot/commands/check-coverage.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { createLogger, redact } from '../../src/log.js';
import { MAX_QUESTION_CHARS } from '../../src/retrieval/question.js';

const TOKEN = 'MTU3Mzg0NTQ5ODA1MjM0NTg1Nw.0jbCUg.rAk_iJekYclTYp88n2L2zc2PXREmYKuR-1Io';

describe('logger', () => {
  it('redacts the token given, anything token-shaped, and interaction tokens in URLs', () => {
    expect(redact(`token ${TOKEN} here`, [TOKEN])).toBe('token [redacted] here');
    expect(redact(`Provided token: ${TOKEN.slice(0, TOKEN.lastIndexOf('.'))}.******`, [TOKEN])).toBe('Provided token: [redacted].******');
    expect(redact(`unknown ${TOKEN}`)).toBe('unknown [redacted]');
    expect(redact('PATCH /webhooks/123/aW50ZXJhY3Rpb246abcdefghijklmnopqrstuvwxyz/messages/@original')).toBe('PATCH /webhooks/123/[redacted]/messages/@original');
    expect(redact('Authorization: Bot abcdefghijklmnopqrstuvwxyz0123')).toBe('Authorization: Bot [redacted]');
  });

  it('writes leveled lines with fields, errors with their causes, all redacted', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', secrets: [TOKEN], write: (line) => lines.push(line) });
    log.debug('hidden');
    log.info('hello', { user: '42', note: 'two words' });
    log.error('failed', { error: new Error('outer', { cause: new Error(`inner ${TOKEN}`) }) });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+Z INFO  hello user=42 note="two words"$/);
    expect(lines[1]).toContain('caused by: Error: inner [redacted]');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('cooldown', () => {
  it('lets a user ask once per period, and others meanwhile', () => {
    let now = 1_000_000;
    const cooldown = new Cooldown(5, () => now);
    expect(cooldown.take('a')).toBe(0);
    expect(cooldown.take('a')).toBe(5);
    expect(cooldown.take('b')).toBe(0);
    now += 4_100;
    expect(cooldown.take('a')).toBe(1);
    now += 1_000;
    expect(cooldown.take('a')).toBe(0);
    expect(new Cooldown(0).take('a')).toBe(0);
    cooldown.take('c');
    cooldown.release('c');
    expect(cooldown.take('c')).toBe(0);
  });
});

describe('a message as a question', () => {
  it('drops mentions and emoji, folds white space, and cuts long text at a word boundary', () => {
    expect(questionFromMessage('<@123> did   <#456> Kursk <:wave:789> fall?\n')).toBe('did Kursk fall?');
    expect(() => questionFromMessage('<@123> <:wave:789>')).toThrow(expect.objectContaining({ code: 'MESSAGE_HAS_NO_TEXT' }));
    const long = 'word '.repeat(600);
    const question = questionFromMessage(long);
    expect(question.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(question.endsWith('word')).toBe(true);
  });
});

describe('intents', () => {
  it('asks for message content only when mention replies are on', () => {
    expect(intentsFor('off')).toEqual([GatewayIntentBits.Guilds]);
    expect(intentsFor('all')).toEqual([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent]);
  });
});
