import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AutoModel, AutoTokenizer, env, LogLevel, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { createError, withCause } from '../errors.js';

/** One passage to embed: the token ids of each of its sentences (no special tokens). */
export type PassageTokens = readonly (readonly number[])[];

export interface PassageEmbedding {
  /** Mean of all token states, as the sentence-transformers model does: the passage's vector. */
  passage: Float32Array;
  /** Mean of each sentence's own token states inside the passage ("late chunking"). */
  sentences: Float32Array[];
}

const MODEL_FILE = path.join('onnx', 'model_quantized.onnx');
const BATCH_SIZE = 16;

function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vector.length; i += 1) vector[i]! /= norm;
  return vector;
}

/** Mean of rows [from, to) of one sequence in a [batch, length, dims] tensor, L2-normalised. */
function meanPool(states: Float32Array, offset: number, dims: number, from: number, to: number): Float32Array {
  const out = new Float32Array(dims);
  for (let t = from; t < to; t += 1) {
    const base = offset + t * dims;
    for (let d = 0; d < dims; d += 1) out[d]! += states[base + d]!;
  }
  const count = Math.max(1, to - from);
  for (let d = 0; d < dims; d += 1) out[d]! /= count;
  return normalize(out);
}

/**
 * The sentence-embedding model, run locally by transformers.js from files in the repository.
 * One forward pass per passage yields both the passage vector and its sentences' vectors.
 */
export class Embedder {
  private constructor(
    readonly modelId: string,
    readonly dimensions: number,
    readonly maxTokens: number,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly prefix: number[],
    private readonly suffix: number[],
  ) {}

  static async load(modelDir: string, modelName: string): Promise<Embedder> {
    const folder = path.join(modelDir, modelName);
    const weights = await fs.readFile(path.join(folder, MODEL_FILE)).catch((cause: unknown) => {
      throw withCause(createError('MODEL_MISSING', folder), cause);
    });
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFSCache = false;
    env.localModelPath = modelDir.endsWith(path.sep) ? modelDir : modelDir + path.sep;
    env.logLevel = LogLevel.ERROR;
    const tokenizer = await AutoTokenizer.from_pretrained(modelName);
    const model = await AutoModel.from_pretrained(modelName, { dtype: 'q8', device: 'cpu' });
    const config = model.config as unknown as { hidden_size: number };
    // Special tokens around every sequence ([CLS] … [SEP] for BERT models), read off an empty encoding.
    const specials = tokenizer.encode('');
    const sepIndex = specials.indexOf(tokenizer.sep_token_id);
    const prefix = sepIndex >= 0 ? specials.slice(0, sepIndex) : specials;
    const suffix = sepIndex >= 0 ? specials.slice(sepIndex) : [];
    const digest = createHash('sha256').update(weights).digest('hex').slice(0, 16);
    const maxTokens = Math.min(Number(tokenizer.model_max_length) || 512, 512);
    return new Embedder(`${modelName}@${digest}`, config.hidden_size, maxTokens, tokenizer, model, prefix, suffix);
  }

  /** Token ids of a text, without special tokens. */
  tokenize(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }

  /** Room for content tokens once the special tokens are in. */
  get contentTokenLimit(): number {
    return this.maxTokens - this.prefix.length - this.suffix.length;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [result] = await this.embedPassages([[this.tokenize(text)]]);
    return result!.passage;
  }

  /** Embeds passages in length-sorted batches, so that padding stays small. */
  async embedPassages(passages: readonly PassageTokens[], onProgress?: (done: number) => void): Promise<PassageEmbedding[]> {
    const order = passages.map((_, i) => i).sort((a, b) => tokenTotal(passages[a]!) - tokenTotal(passages[b]!));
    const results: PassageEmbedding[] = new Array(passages.length);
    for (let from = 0; from < order.length; from += BATCH_SIZE) {
      const batch = order.slice(from, from + BATCH_SIZE);
      const embedded = await this.embedBatch(batch.map((i) => passages[i]!));
      batch.forEach((index, j) => (results[index] = embedded[j]!));
      onProgress?.(Math.min(from + BATCH_SIZE, order.length));
    }
    return results;
  }

  private async embedBatch(passages: readonly PassageTokens[]): Promise<PassageEmbedding[]> {
    const limit = this.contentTokenLimit;
    const sequences = passages.map((sentences) => {
      const ids = [...this.prefix];
      const spans: [number, number][] = [];
      for (const sentence of sentences) {
        const room = Math.max(0, limit - (ids.length - this.prefix.length));
        const taken = sentence.slice(0, room);
        spans.push([ids.length, ids.length + taken.length]);
        ids.push(...taken);
      }
      ids.push(...this.suffix);
      return { ids, spans };
    });
    const length = Math.max(...sequences.map((s) => s.ids.length));
    const size = passages.length * length;
    const inputIds = new BigInt64Array(size);
    const mask = new BigInt64Array(size);
    sequences.forEach(({ ids }, row) => {
      ids.forEach((id, t) => {
        inputIds[row * length + t] = BigInt(id);
        mask[row * length + t] = 1n;
      });
      for (let t = ids.length; t < length; t += 1) inputIds[row * length + t] = BigInt(this.tokenizer.pad_token_id);
    });
    const dims = [passages.length, length];
    const output = (await this.model({
      input_ids: new Tensor('int64', inputIds, dims),
      attention_mask: new Tensor('int64', mask, dims),
      token_type_ids: new Tensor('int64', new BigInt64Array(size), dims),
    })) as { last_hidden_state: Tensor };
    const states = output.last_hidden_state.data as Float32Array;
    const hidden = this.dimensions;
    return sequences.map(({ ids, spans }, row) => {
      const offset = row * length * hidden;
      return {
        passage: meanPool(states, offset, hidden, 0, ids.length),
        sentences: spans.map(([from, to]) => meanPool(states, offset, hidden, from, Math.max(to, from + 1))),
      };
    });
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

function tokenTotal(passage: PassageTokens): number {
  return passage.reduce((sum, sentence) => sum + sentence.length, 0);
}
