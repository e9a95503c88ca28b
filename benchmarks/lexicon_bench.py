"""What the word lists reach in real official text: for every stem of the ideas (`concepts` in
bot/profile/data/lexicon.json), the real words it matches, most frequent first; and the amplified
handles read as crypto promoters. A stem that matches words meaning something else ("tradi" reading
every tradition as betrayal) is a false-alarm cause waiting for its sentence; this is how to find it.

Full form: the texts and amplified handles of ../shared/data/official-timelines (--data DIR for
another copy); --all lists every stem, else only those whose matches include a word longer than the
stem by three letters or more (where other meanings hide). Quick form (CI): the bundled timelines in
fixtures/timelines, checking counts only.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.profile.lexicon import LEXICON_PATH, WORD_RE, lexicon  # noqa: E402

SHOWN = 8  # words shown a stem


def main() -> int:
    from bot.eval import bench_parser, bench_timelines, load_timelines

    parser = bench_parser(__doc__)
    parser.add_argument("--all", action="store_true", help="every stem, not only those reaching longer words")
    args = parser.parse_args()

    folder = bench_timelines(args.quick, args.data)
    timelines, _ = load_timelines(folder)
    words: Counter[str] = Counter()
    handles: Counter[str] = Counter()
    for acts in timelines.values():
        for a in acts:
            target = a.target or {}
            for text in (a.text, target.get("text")):
                if text:
                    words.update(WORD_RE.findall(text.lower()))
            if target.get("account"):
                handles[target["account"]] += 1
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    stems = _idea_stems(data["concepts"])
    print(
        f"{sum(words.values()):,} words ({len(words):,} distinct) and {len(handles):,} amplified handles in {folder.name}"
    )
    reached = 0
    for label, stem in stems:
        whole = stem.endswith("$")
        stem = stem.rstrip("$")
        if " " in stem or len(stem) < 3:
            continue  # phrases and short whole words match as written
        hits = [(w, n) for w, n in words.items() if (w == stem if whole else w.startswith(stem))]
        if not hits:
            continue
        reached += 1
        if args.all or any(len(w) >= len(stem) + 3 for w, _ in hits):
            hits.sort(key=lambda item: -item[1])
            shown = ", ".join(f"{w} {n}" for w, n in hits[:SHOWN])
            print(f"  {label:<40} {stem + ('$' if whole else ''):<14} {sum(n for _, n in hits):>6}  {shown}")
    lex = lexicon()
    crypto: Counter[str] = Counter({h: n for h, n in handles.items() if lex.crypto_handle(h)})
    print(
        f"{reached} idea stems reach a real word; amplified handles read as crypto promoters: "
        + (", ".join(f"@{h} {n}" for h, n in crypto.most_common(SHOWN)) or "none")
    )
    if args.quick and not words:
        print("no words read from the bundled timelines", file=sys.stderr)
        return 1
    return 0


def _idea_stems(concepts: dict) -> list[tuple[str, str]]:
    """(idea, class) labels and their stems, in the file's order."""
    out: list[tuple[str, str]] = []
    for category, ideas in concepts.items():
        if not isinstance(ideas, dict):
            continue  # the file's own note
        for idea, classes in ideas.items():
            for i, stems in enumerate(classes):
                out.extend((f"{category}: {idea} [{i + 1}]", s.lower()) for s in stems)
    return out


if __name__ == "__main__":
    sys.exit(main())
