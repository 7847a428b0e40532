"""Quick self-check for a hand-written annotation file before the real loader exists.

Usage: python tools/check_annotation.py data/documents/X.toml ../shared/corpus
Checks TOML syntax, the document's sha256, and that every anchor's quote sits at [start, end) in the text,
with prefix just before and suffix just after (curly quotes and non-breaking spaces compare as plain).
"""
import hashlib
import pathlib
import sys
import tomllib

PLAIN = str.maketrans({"\u00a0": " ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def main(path, corpus):
    data = tomllib.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    doc = data["document"]
    raw = (pathlib.Path(corpus) / doc["file"]).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == doc["sha256"], "sha256 differs"
    text = raw.decode("utf-8").translate(PLAIN)
    problems = 0
    for section in ("change", "relation", "claim"):
        for i, item in enumerate(data.get(section, [])):
            if "quote" not in item:
                if section == "claim":
                    print(f"{section}[{i}] {item.get('id')}: claim without an anchor"); problems += 1
                continue
            q = item["quote"].translate(PLAIN)
            s, e = item["start"], item["end"]
            if text[s:e] != q:
                print(f"{section}[{i}] {item.get('id')}: quote not at {s}-{e}; found at {text.find(q)}"); problems += 1
            if not text[:s].endswith(item.get("prefix", "").translate(PLAIN)):
                print(f"{section}[{i}] {item.get('id')}: prefix does not precede the quote"); problems += 1
            if not text[e:].startswith(item.get("suffix", "").translate(PLAIN)):
                print(f"{section}[{i}] {item.get('id')}: suffix does not follow the quote"); problems += 1
    print("problems:", problems)
    return problems


if __name__ == "__main__":
    sys.exit(1 if main(*sys.argv[1:3]) else 0)
