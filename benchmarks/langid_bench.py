"""How well the offline language identification reads real official texts, against the platform's own
`lang` fields: the stop-word vote alone, fastText's lid.176 alone, and both as scoring uses them
(`guess_lang_sure`: the vote when it is clear, fastText otherwise).

Full form: the texts of ../shared/data/official-timelines (--data DIR for another copy) that carry a
declared language. A wrong *sure* reading is what matters: it is a "first language" the account never
wrote in. Texts in scripts that name their language (Cyrillic, Han, kana, Arabic, ...) are left out:
the writing system decides those. Quick form (CI): the bundled timelines in fixtures/timelines, checking
counts only.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.profile import text as T  # noqa: E402
from bot.profile.langid import identify  # noqa: E402

UNDETERMINED = {"und", "zxx", "qme", "qht", "qam", "qst"}


def _fasttext(text: str, tokens: list[str]) -> str | None:
    found, prob = identify(text)
    return found if found and prob >= T.SURE_LANG and len(tokens) >= 3 else None


def _combined(text: str, tokens: list[str]) -> str | None:
    lang, sure = T.guess_lang_sure(text, tokens)
    return lang if sure else None


def main() -> int:
    from bot.eval import bench_parser, bench_timelines, load_timelines

    parser = bench_parser(__doc__)
    args = parser.parse_args()

    folder = bench_timelines(args.quick, args.data)
    timelines, _ = load_timelines(folder)
    texts = []
    for acts in timelines.values():
        for a in acts:
            lang = (a.lang or "").lower()
            if not lang or lang in UNDETERMINED or not a.text or a.kind not in ("post", "reply", "quote"):
                continue
            if T.script_of(a.text) not in (None, "latin"):
                continue
            tokens = T.words(a.text)
            if len(tokens) >= 4:
                texts.append((a.text, tokens, lang))
    print(f"{len(texts):,} Latin-script texts of four words or more with a declared language ({folder.name})")
    if args.quick:
        return 0 if texts else 1
    print(f"{'reader':<10} {'answers':>8} {'right':>8} {'wrong':>6} {'right when it answers':>22} {'us/text':>8}")
    for name, reader in (("stop words", T.stopword_vote), ("fastText", _fasttext), ("combined", _combined)):
        answered = right = 0
        wrong: Counter[tuple[str, str]] = Counter()
        started = time.process_time()
        for text, tokens, lang in texts:
            found = reader(text, tokens)
            if found is None:
                continue
            answered += 1
            if found == lang:
                right += 1
            else:
                wrong[(lang, found)] += 1
        spent = time.process_time() - started
        share = right / answered if answered else 0.0
        print(
            f"{name:<10} {answered:>8,} {right:>8,} {answered - right:>6,} {100 * share:>21.1f}% "
            f"{1e6 * spent / max(1, len(texts)):>8.0f}"
        )
        _print_pairs("           most common misreadings (declared -> read)", wrong)
    _undeclared(timelines)
    _real_first_languages(timelines)
    return 0


def _real_first_languages(timelines) -> None:
    """How often real accounts write in a language they surely never wrote in before: each timeline's
    first 70% learned, then every post of the rest scored before it is learned, as `diplowatch eval`
    replays them. Each one a first language alone would alert on is a false alert."""
    from bot.alerts import severity_for
    from bot.eval import account_info
    from bot.profile import AccountMeta, ProfileBook

    book = ProfileBook()
    scored = firsts = alerted = 0
    examples = []
    for handle, acts in sorted(timelines.items()):
        info = account_info(handle, acts)
        meta = AccountMeta(platform="x", handle=handle)
        for a in info.learn:
            book.learn(a, meta)
        for a in info.test:
            verdict = book.score(a, meta)
            alert = severity_for(verdict.score) is not None
            scored += 1
            if a.kind == "post" and verdict.features.get("lang", 0.0) >= 7.0:
                firsts += 1
                alerted += alert
                examples.append(f"@{handle} {verdict.features['lang']:.1f} bits")
            book.learn(a, meta, alerted=alert)
    print(
        f"real posts of the replayed part in a language their account surely never wrote in (7 bits or more): "
        f"{firsts} in {scored:,} activities, {alerted} of them alerting"
    )
    if examples:
        print("  " + ", ".join(examples[:12]))


def _print_pairs(label: str, pairs: Counter[tuple[str, str]]) -> None:
    if pairs:
        print(label + ": " + ", ".join(f"{a}->{b} {n}" for (a, b), n in pairs.most_common(6)))


def _undeclared(timelines) -> None:
    """Most texts carry no declared language. On those, fastText's confident readings (probability 0.95
    or more, eight words or more) stand in for the truth, and the stop-word vote is checked against them:
    a vote that disagrees is where French gets read as Croatian."""
    agree = disagree = 0
    wrong: Counter[tuple[str, str]] = Counter()
    for acts in timelines.values():
        for a in acts:
            if a.lang or not a.text or a.kind not in ("post", "reply", "quote"):
                continue
            if T.script_of(a.text) not in (None, "latin"):
                continue
            tokens = T.words(a.text)
            if len(tokens) < 8:
                continue
            reference, prob = identify(a.text)
            vote = T.stopword_vote(a.text, tokens)
            if reference is None or prob < 0.95 or vote is None:
                continue
            if vote == reference:
                agree += 1
            else:
                disagree += 1
                wrong[(reference, vote)] += 1
    total = agree + disagree
    print(
        f"texts without a declared language, fastText sure at 0.95: the stop-word vote agrees on "
        f"{agree:,} of {total:,} ({100 * agree / max(1, total):.1f}%)"
    )
    _print_pairs("  most common disagreements (fastText -> vote)", wrong)


if __name__ == "__main__":
    sys.exit(main())
