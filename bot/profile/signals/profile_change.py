"""Renames, new avatars, rewritten bios, labels and links (I05, I06, I12, I50, I54's re-skins), and a
bio that stops disclosing a state link."""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from ..lexicon import lexicon
from ..text import LETTERS_PER_WORD, script_of, words
from .base import Finding, Signal

# A name that keeps the old one's words and adds at most one (a flag, "The" in front, "(official)",
# capitals, punctuation, an accent) is touched up, as offices do; other words, or the old name buried in
# new ones ("Number 10 Bitcoin Giveaway"), are a re-skin (I05, I06, I54).
NAME_KEPT = 90.0
NAME_WORDS_ADDED = 1
# The takeovers' re-skins all swap the avatar (I05, I06, I12, I50, I54), with a new name or bio: a bio
# rewritten alone is an office's new wording (a new minister, a new mandate), short of an alert, and with
# an avatar or a new name it adds its share.
BIO_REWRITTEN_BITS = 9.0
# Details (a name touched up, a bio edited, a new location or website) are what an office updates along
# with a new avatar: a flag added to the name and a flag avatar, a new site and a new picture. They do not
# add to a new avatar, which stays short of an alert without a new name or bio.
DETAIL_BITS = 4.0  # at most this much: a detail
# A bio rewritten in its own page's words is an office refreshing its page, as it does with a new picture:
# "Official account of Noynoy Aquino. News, speeches and photos from Noynoy Aquino." for "News, speeches
# and photos from Noynoy Aquino. Follow for updates.", or "Former President" put in front of its title.
# The takeovers' bios are someone else's and keep none of it ("Giving back 5,000 BTC to the community",
# "Hacked by LulzSec", "Tango down. #OpKorea"; I06's LulzSec Peru, I12's CyberCaliphate). Counted as a
# detail when at least this share of its words were on the page already (the old bio, the name), two of
# them telling ones (a word of the name, or of five letters or more: "of", "this" and "account" are in
# any bio), or when it names the account whole, as its display name spells it ("Follow for updates on
# the work of Queen Rania"): a re-skin puts another name in place of the account's. An independent
# check's routine refreshes, a new avatar with the bio reworded, alerted six times in ten when every
# rewritten bio counted as a re-skin's.
OWN_BIO_SHARE = 0.5
OWN_BIO_TELLING = 2
TELLING_LETTERS = 5


def _touched_up(old: str, new: str) -> bool:
    before, after = default_process(old), default_process(new)
    if not before or len(set(after.split()) - set(before.split())) > NAME_WORDS_ADDED:
        return False
    return fuzz.token_set_ratio(before, after) >= NAME_KEPT


class ProfileChangeSignal(Signal):
    name = "profile"
    learned = False
    kinds = frozenset({"profile"})

    def score_one(self, p, o, a, meta, world):
        new = a.profile or {}
        old = p.profile
        lex = lexicon()
        shown = f"{new.get('name') or ''} {new.get('bio') or ''}"
        risky = lex.celebrities.find(shown) + lex.crypto_scam(shown)
        if old is None:
            if risky:
                return Finding("profile", 30.0, "profile shows " + ", ".join(risky[:3]))
            return None
        changes: list[tuple[float, str]] = []
        old_name, new_name = old.get("name") or "", new.get("name") or ""
        if new_name != old_name:
            if _touched_up(old_name, new_name):
                changes.append((4.0, f"name edited from {old_name!r} to {new_name!r}"))
            else:
                changes.append((16.0, f"renamed from {old.get('name')!r} to {new.get('name')!r}"))
        if new.get("avatar") != old.get("avatar") and new.get("avatar") is not None:
            changes.append((12.0, "avatar changed"))
        if sorted(new.get("labels") or []) != sorted(old.get("labels") or []):
            changes.append((12.0, f"labels changed from {old.get('labels') or []} to {new.get('labels') or []}"))
        old_bio, new_bio = old.get("bio") or "", new.get("bio") or ""
        if new_bio != old_bio:
            similarity = fuzz.ratio(old_bio, new_bio)
            dropped = lex.disclosure.find(old_bio) and not lex.disclosure.find(new_bio)
            if dropped and meta.affiliation:
                changes.append(
                    (
                        18.0,
                        f"bio no longer discloses its {meta.affiliation} link "
                        f"(dropped: {', '.join(lex.disclosure.find(old_bio)[:2])})",
                    )
                )
            elif similarity < 60:
                own = own_words(new_bio, old_bio, old_name)
                if own is not None:
                    changes.append((DETAIL_BITS, f"bio reworded ({similarity:.0f}% similar to before; {own})"))
                else:
                    changes.append((BIO_REWRITTEN_BITS, f"bio rewritten ({similarity:.0f}% similar to before)"))
            else:
                changes.append((2.0, f"bio edited ({similarity:.0f}% similar to before)"))
        for field in ("location", "url"):
            if (new.get(field) or "") != (old.get(field) or "") and new.get(field) is not None:
                changes.append((4.0, f"{field} changed to {new.get(field)!r}"))
        if risky:
            changes.append((30.0, "profile now shows " + ", ".join(risky[:3])))
        if not changes:
            return None
        changes.sort(key=lambda c: -c[0])
        top = changes[0][0]
        bits = top + 0.3 * sum(c[0] for c in changes[1:] if c[0] > DETAIL_BITS or top <= DETAIL_BITS)
        return Finding("profile", bits, "profile change: " + "; ".join(c[1] for c in changes[:3]))


def _page_words(text: str) -> set[str]:
    """The words of a bio or name, lower-cased; a script without spaces (Chinese, Japanese, Thai) in
    pieces of a word's letters, so that a reworded sentence shares its pieces, not whole phrases."""
    found = set()
    for word in words(text):
        letters = LETTERS_PER_WORD.get(script_of(word) or "")
        if letters is None or len(word) <= letters:
            found.add(word)
        else:
            found.update(word[i : i + letters] for i in range(len(word) - letters + 1))
    return found


def own_words(new_bio: str, old_bio: str, old_name: str) -> str | None:
    """How a rewritten bio is still the account's own page, said for a reason ("80% of its words its
    own", "still names Queen Rania"): most of its words were on the page already (its old bio and name;
    OWN_BIO_SHARE, OWN_BIO_TELLING), or it names the account whole. None when it is neither."""
    new = _page_words(new_bio)
    if not new:
        return None
    name = _page_words(old_name)
    kept = new & (_page_words(old_bio) | name)
    telling = sum(1 for w in kept if w in name or len(w) >= TELLING_LETTERS or not w.isascii())
    share = len(kept) / len(new)
    if share >= OWN_BIO_SHARE and telling >= OWN_BIO_TELLING:
        return f"{share:.0%} of its words its own"
    if name and sum(len(w) for w in name) >= TELLING_LETTERS and name <= new:  # its whole name, not an initial
        return f"still names {old_name.strip()}"
    return None
