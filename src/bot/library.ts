/**
 * What the bot reads and writes for each place (server, channel, DM). With collections, each
 * server has its own collection plus the shared ones; without (tests, embedders of createBot with
 * one Searcher), every place reads the one corpus, as before collections existed.
 */
import { collectionDirs, collectionsOfPlace, type CollectionsFile, type Place } from '../collections.js';
import { createError } from '../errors.js';
import type { Searcher } from '../answer/searcher.js';
import type { CollectionIngestion } from '../ingest/collections.js';
import type { Ingestor } from '../ingest/ingest.js';
import type { IngestAccess } from '../ingest/running.js';
import { WatchList } from '../ingest/watches.js';

export interface BotLibrary {
  /** The Searcher for questions asked at a place: its own collection and the shared ones, as one corpus. */
  reader(place: Place): Promise<Searcher>;
  /** The place's own collection, for /ingest, /forget and /feed (what /forget may offer and remove). */
  writer(place: Place): Promise<{ searcher: Searcher; ingestor: Ingestor }>;
  /** The watches of the place's own collection (/watch), stored with it. */
  watches(place: Place): WatchList;
  /** The collections a place reads (its own first, then the shared ones). */
  reads(place: Place): string[];
  /** Answers and buttons made at one place are only served where the same collections are read. */
  scope(place: Place): string;
  /** Members with this role may write, besides those with Manage Server. */
  readonly ingestRoleId: string | undefined;
}

/** The place of an interaction or message; a thread is its parent channel's place. */
export function placeOf(source: { guildId: string | null; channelId: string | null; channel: { isThread(): boolean; parentId?: string | null } | null }): Place {
  const channel = source.channel;
  const channelId = channel?.isThread() ? (channel.parentId ?? source.channelId) : source.channelId;
  return { guildId: source.guildId ?? null, channelId: channelId ?? null };
}

/** One corpus for every place: `holder.searcher` (swapped as the corpus changes) and its ingestion. */
export function singleLibrary(holder: { searcher: Searcher; ingest?: IngestAccess }): BotLibrary {
  return {
    reader: async () => holder.searcher,
    writer: async () => {
      if (!holder.ingest) throw createError('INGEST_UNAVAILABLE');
      return { searcher: holder.searcher, ingestor: holder.ingest.ingestor };
    },
    watches: () => {
      if (!holder.ingest) throw createError('INGEST_UNAVAILABLE');
      return WatchList.in(holder.ingest.ingestor.options.storeDir, holder.ingest.ingestor.options.collection);
    },
    reads: () => [],
    scope: () => '',
    get ingestRoleId() {
      return holder.ingest?.roleId;
    },
  };
}

/** Each server its own collection (named after it unless COLLECTIONS_FILE maps it), plus the shared ones. */
export function collectionsLibrary(ingestion: CollectionIngestion, file: CollectionsFile | undefined, ingestRoleId: string | undefined): BotLibrary {
  const shared = ingestion.collections.options.sharedCollections;
  const of = (place: Place) => collectionsOfPlace(file, shared, place);
  return {
    reader: (place) => ingestion.collections.reader(of(place).reads),
    writer: async (place) => {
      const { writes } = of(place);
      if (writes === null) throw createError('INGEST_UNAVAILABLE');
      return { searcher: await ingestion.own(writes), ingestor: ingestion.ingestor(writes) };
    },
    watches: (place) => {
      const { writes } = of(place);
      if (writes === null) throw createError('INGEST_UNAVAILABLE');
      return WatchList.in(collectionDirs(ingestion.collections.options, writes).storeDir, writes);
    },
    reads: (place) => of(place).reads,
    scope: (place) => of(place).reads.join(','),
    ingestRoleId,
  };
}
