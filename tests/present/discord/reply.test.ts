/** The one way to build a message. */
import { describe, expect, it } from 'vitest';
import { charCount } from '../../../src/present/discord/limits.js';
import { choice, discordReply } from '../../../src/present/discord/reply.js';

describe('discordReply', () => {
  it('turns mentions off and refuses what Discord would refuse', () => {
    expect(discordReply({ content: '@everyone' }).allowedMentions).toEqual({ parse: [] });
    expect(() => discordReply({ content: 'x'.repeat(2001) })).toThrow(expect.objectContaining({ code: 'DISCORD_REPLY_TOO_LARGE' }));
  });

  it('makes autocomplete choices that fit, and none for a value that cannot', () => {
    expect(charCount(choice('n'.repeat(300), 'id')!.name)).toBeLessThanOrEqual(100);
    expect(choice('title', 'v'.repeat(101))).toBeUndefined();
  });
});
