/**
 * One check of a watch: the documents that entered the index after its last check, what they say
 * about its topic, less the sentences already reported to it. Shared by `verbatim watch check`
 * and the bot's posting.
 */
import { watchTopic, type WatchPost } from '../answer/watch.js';
import type { Searcher } from '../answer/searcher.js';
import type { Watch } from './watches.js';

export interface WatchCheck {
  posts: WatchPost[];
  /** The keys of the sentences in `posts`, to record as reported. */
  posted: string[];
  /** The newest `retrieved` of the documents looked at: documents indexed later are new to the next check. */
  newest: string | undefined;
}

export async function checkWatch(searcher: Searcher, watch: Watch): Promise<WatchCheck> {
  const store = searcher.store;
  const since = Date.parse(watch.lastCheckedAt);
  let newest: string | undefined;
  const fresh = store.documentNumbers().filter((doc) => {
    const retrieved = store.document(doc).retrieved;
    if (retrieved === undefined || Date.parse(retrieved) <= since) return false;
    if (newest === undefined || Date.parse(retrieved) > Date.parse(newest)) newest = retrieved;
    return true;
  });
  const posted = new Set(watch.posted);
  const posts = (fresh.length > 0 ? await watchTopic(searcher, watch.topic, fresh) : [])
    .map((post) => ({ ...post, quotes: post.quotes.filter((q) => !posted.has(q.key)) }))
    .filter((post) => post.quotes.length > 0);
  return { posts, posted: posts.flatMap((p) => p.quotes.map((q) => q.key)), newest };
}
