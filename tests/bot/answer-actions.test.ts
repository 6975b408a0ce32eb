/**
 * The "Export" and "Still there?" buttons on an answer, through the loopback Discord: the export
 * files parse and prove each quote; the re-check fetches the live pages (a loopback web server,
 * allowed here by ALLOW_PRIVATE_FETCH as in the ingestion tests) and reports each quote.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { MessageFlags, type APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSearcher } from '../../src/answer/open.js';
import { DAM_ARTICLES, writeServedDamCorpus } from '../export/corpus.js';
import { MODEL_DIR, MODEL_NAME, temporaryFolder } from '../helpers/seeds.js';
import { articleHtml, serve, startServer, type TestServer } from '../ingest/fixtures.js';
import { buttonId, buttonLabels, callbackOf, editOf, originalMessage, startBot, type RunningBot } from './harness.js';

let web: TestServer;
let bot: RunningBot;
let corpus: string;
let store: string;
beforeAll(async () => {
  web = await startServer();
  corpus = await temporaryFolder('verbatim-actions-corpus-');
  store = await temporaryFolder('verbatim-actions-store-');
  await writeServedDamCorpus(corpus, web.base);
  // The Herald has since changed its figure; the Courier's page is gone.
  web.routes.set('/herald', serve('text/html', articleHtml({ paragraphs: DAM_ARTICLES['dam-herald.txt']!.text.replace('12', '14').split('\n').slice(2).filter(Boolean) })));
  const searcher = await openSearcher({ corpusDir: corpus, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME });
  bot = await startBot(searcher, { config: { allowPrivateFetch: true, fetchTimeoutMs: 2000 } });
});
afterAll(async () => {
  await bot?.stop();
  await web?.close();
  await Promise.all([corpus, store].map((dir) => dir && fs.rm(dir, { recursive: true, force: true })));
});

async function askedMessage(question: string) {
  const sent = bot.discord.sendSlashCommand({ name: 'ask', options: { question }, user: bot.discord.createUser() });
  await editOf(bot.discord, sent);
  return originalMessage(bot.discord, sent);
}

describe('answer buttons', () => {
  it('"Export" attaches the answer as CSV, CSL-JSON and RIS, only to the clicker, and waits out the cooldown', async () => {
    const message = await askedMessage('Why is the Riverside dam being repaired?');
    expect(buttonLabels(message)).toEqual(['Show context', 'Export', 'Still there?']);
    const clicker = bot.discord.createUser();
    const click = bot.discord.sendButton({ customId: buttonId(message, 'Export'), messageId: message.id, user: clicker });
    const reply = await callbackOf(bot.discord, click);
    expect(reply.status).toBe(204);
    const data = (reply.body as { data: { flags: number } }).data;
    expect(data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(reply.files.map((f) => f.name).sort()).toEqual(['verbatim-answer.csv', 'verbatim-answer.json', 'verbatim-answer.ris']);
    const rows = parse(reply.files.find((f) => f.name.endsWith('.csv'))!.data.toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const slice = (await fs.readFile(path.join(corpus, row.path!), 'utf8')).slice(Number(row.start), Number(row.end));
      expect(row.text).toBe(slice);
      expect(row.sha256).toBe(createHash('sha256').update(slice, 'utf8').digest('hex'));
    }
    const items = JSON.parse(reply.files.find((f) => f.name.endsWith('.json'))!.data.toString('utf8')) as { note: string }[];
    expect(items.map((i) => i.note)).toEqual(rows.map((r) => r.text));

    // A second click at once is within the clicker's cooldown: refused, only to them.
    const again = bot.discord.sendButton({ customId: buttonId(message, 'Export'), messageId: message.id, user: clicker });
    const refused = await callbackOf(bot.discord, again);
    expect(JSON.stringify(refused.body)).toContain('COOLDOWN');
    expect(refused.files).toEqual([]);
  });

  it('"Still there?" re-checks the page\'s quotes against the live pages: changed, then gone', async () => {
    const message = await askedMessage('Why is the Riverside dam being repaired?');
    const check = async () => {
      const click = bot.discord.sendButton({ customId: buttonId(message, 'Still there?'), messageId: message.id, user: bot.discord.createUser() });
      const deferred = await callbackOf(bot.discord, click);
      expect(deferred.body).toMatchObject({ type: 5, data: { flags: MessageFlags.Ephemeral } });
      const edit = await editOf(bot.discord, click);
      const embed = (edit.body as { embeds: APIEmbed[] }).embeds[0]!;
      expect(embed.title).toMatch(/Still there\?/);
      return embed.description ?? '';
    };
    const first = await check();
    expect(first).toMatch(/^\*\*1\.\*\* ✏️ \*\*changed\*\*/);
    expect(first).toMatch(/“12” → “14”/);
    web.routes.delete('/herald');
    const second = await check();
    expect(second).toMatch(/^\*\*1\.\*\* ❌ \*\*gone\*\*/);
    expect(second).toMatch(/HTTP 404/);
    // The stored article is never touched.
    expect(await fs.readFile(path.join(corpus, 'dam-herald.txt'), 'utf8')).toBe(DAM_ARTICLES['dam-herald.txt']!.text);
  });
});
