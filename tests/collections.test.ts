/** Collection names and COLLECTIONS_FILE: the mapping read through its schema, a broken one named in one line. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTION_NAME, collectionNameSchema, collectionsOfPlace, isCollectionName, loadCollectionsFile } from '../src/collections.js';
import { foldersRemovedAfterAll, temporaryFolder } from './helpers/seeds.js';

const folders = foldersRemovedAfterAll();

async function fileWith(contents: unknown): Promise<string> {
  const folder = await temporaryFolder('verbatim-collections-');
  folders.push(folder);
  const file = path.join(folder, 'collections.json');
  await fs.writeFile(file, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return file;
}

/** The one-line FILE_INVALID message for a COLLECTIONS_FILE holding `contents`, with the file's folder left out. */
async function problem(contents: unknown): Promise<string> {
  const file = await fileWith(contents);
  const error = await loadCollectionsFile(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'FILE_INVALID', kind: 'user' });
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message.replace(file, 'collections.json');
}

describe('collection names', () => {
  it('are lower-case letters, digits, _ and -, starting with a letter or digit, at most 64 characters', () => {
    for (const good of ['default', 'news', 'eu-2025', 'a', '0day', 'x_y', 'a'.repeat(64)]) expect(isCollectionName(good), good).toBe(true);
    for (const bad of ['', 'News', '-news', '_x', 'a b', '../etc', 'a/b', 'é', 'a'.repeat(65)]) expect(isCollectionName(bad), bad).toBe(false);
    expect(collectionNameSchema.safeParse('eu-2025').success).toBe(true);
    expect(COLLECTION_NAME.source).toBe('^[a-z0-9][a-z0-9_-]{0,63}$');
  });
});

describe('loadCollectionsFile', () => {
  it('returns the mapping, with an absent section as empty', async () => {
    const mapping = { guilds: { '111111111111111111': 'newsroom' }, channels: { '222222222222222222': 'eu-politics', '3': 'default' } };
    expect(await loadCollectionsFile(await fileWith(mapping))).toEqual(mapping);
    expect(await loadCollectionsFile(await fileWith({ channels: { '5': 'x' } }))).toEqual({ guilds: {}, channels: { '5': 'x' } });
    expect(await loadCollectionsFile(await fileWith({}))).toEqual({ guilds: {}, channels: {} });
  });

  it('names the file and the field of a broken one in one line', async () => {
    expect(await problem('{"guilds": {"123": "news",}}')).toMatch(/^Cannot use collections\.json: not valid JSON \(.+\)\.$/);
    expect(await problem({ guilds: { '123': 'News Desk' } })).toBe(
      'Cannot use collections.json: guilds.123: "News Desk" is not a collection name (a-z, 0-9, _ and -, starting with a letter or digit, at most 64 characters).',
    );
    expect(await problem({ channels: { '456': '../secrets' } })).toMatch(/^Cannot use collections\.json: channels\.456: "\.\.\/secrets" is not a collection name/);
    expect(await problem({ guilds: { '123': 7 } })).toBe('Cannot use collections.json: guilds.123: expected a text, found a number.');
    expect(await problem({ guilds: { general: 'news' } })).toBe('Cannot use collections.json: guilds.general: "general" is not a Discord id (digits).');
    expect(await problem({ guilds: [] })).toBe('Cannot use collections.json: guilds: expected an object, found a list.');
    expect(await problem({ guild: { '123': 'news' } })).toBe('Cannot use collections.json: unknown field "guild".');
    expect(await problem(['news'])).toBe('Cannot use collections.json: expected an object, found a list.');
  });

  it('says so when the file is missing', async () => {
    const file = path.join(await temporaryFolder('verbatim-collections-'), 'none.json');
    folders.push(path.dirname(file));
    await expect(loadCollectionsFile(file)).rejects.toMatchObject({ code: 'FILE_INVALID', message: `Cannot use ${file}: there is no such file.` });
  });
});

describe('collectionsOfPlace', () => {
  const file = { guilds: { '111': 'newsroom', '222': 'default' }, channels: { '900': 'desk' } };
  it('names a server\'s collection after its id, unless the file maps the server or (winning) the channel', () => {
    expect(collectionsOfPlace(undefined, ['default'], { guildId: '333', channelId: '1' })).toEqual({ writes: '333', reads: ['333', 'default'] });
    expect(collectionsOfPlace(file, ['default'], { guildId: '111', channelId: '1' })).toEqual({ writes: 'newsroom', reads: ['newsroom', 'default'] });
    expect(collectionsOfPlace(file, ['default'], { guildId: '111', channelId: '900' })).toEqual({ writes: 'desk', reads: ['desk', 'default'] });
  });

  it('lets a server mapped to a shared collection read it but write only to its own; DMs read only the shared ones', () => {
    expect(collectionsOfPlace(file, ['default'], { guildId: '222', channelId: '1' })).toEqual({ writes: '222', reads: ['222', 'default'] });
    expect(collectionsOfPlace(file, ['default', 'wires'], { guildId: null, channelId: '5' })).toEqual({ writes: null, reads: ['default', 'wires'] });
    expect(collectionsOfPlace(file, [], { guildId: '333', channelId: '1' })).toEqual({ writes: '333', reads: ['333'] });
    expect(isCollectionName('123456789012345678')).toBe(true);
  });
});
