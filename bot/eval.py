"""`diplowatch eval`: how many injected incidents the profiles catch, and how often they cry wolf.

Real timelines are split in time per account (first 70% learned, last 30% replayed). Incidents of every
type (bot/eval_cases.py) and benign look-alikes are injected into the replayed part; everything is then
replayed in time order across accounts, through score -> coordination -> learn, exactly as the
pipeline does: an alerted activity is held out of the baseline, and nothing confirms an alert by itself.

Two peers run on the same stream: fixed rules (alert on any new target, new link domain, or like) and
scikit-learn's IsolationForest over the same per-activity features (Verdict.features), fitted on the
learned part and thresholded at the same false-alarm budget the target allows (0.05% of training).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.activity import Activity, ActivityError, parse_activity
from bot.alerts import severity_for
from bot.eval_cases import (
    BENIGN_TYPES,
    DISCLOSED_BIOS,
    INCIDENT_TYPES,
    STRUCTURAL_TYPES,
    UNDISCLOSED_BIOS,
    AccountInfo,
    Case,
    Generator,
)
from bot.profile import AccountMeta, ProfileBook
from bot.profile.combine import ALERT_BITS, to_score
from bot.profile.signals import FEATURES
from bot.profile.lexicon import lexicon, use_lexicons
from bot.profile.text import guess_lang, words

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "timelines"  # a bundled sample of the real set
SWEEP_BITS = (11.5, 12.0, 12.5, 13.0, 13.5, 14.0)
LEARN_SHARE = 0.7
IFOREST_BUDGET = 0.0005  # share of training activities the IsolationForest peer may flag
SYSTEMS = ("diplowatch", "rules", "iforest")

# Whose account each timeline is (ISO codes), for "foreign" leaders and critics of one's own government.
COUNTRIES = {
    "AV_Abhisit": "TH",
    "AlvaroUribeVel": "CO",
    "AmamaMbabazi": "UG",
    "BarackObama": "US",
    "CFKArgentina": "AR",
    "David_Cameron": "GB",
    "DrWaheedH": "MV",
    "Elysee": "FR",
    "FelipeCalderon": "MX",
    "GobiernodeChile": "CL",
    "HHShkMohd": "AE",
    "IlvesToomas": "EE",
    "JDMahama": "GH",
    "JMDBarroso": "EU",
    "JuanManSantos": "CO",
    "JuliaGillard": "AU",
    "Laura_Ch": "CR",
    "MeGovernment": "ME",
    "MedvedevRussia": "RU",
    "MedvedevRussiaE": "RU",
    "MinPres": "NL",
    "MuhammadMorsi": "EG",
    "MustafaAG": "LY",
    "NajibRazak": "MY",
    "NicolasSarkozy": "FR",
    "Number10gov": "GB",
    "ObamaWhiteHouse": "US",
    "PEPE_LOBO": "HN",
    "PMOIndia": "IN",
    "PaulKagame": "RW",
    "PresidenciaMX": "MX",
    "Presidencia_Ec": "EC",
    "PrimeMinistry": "TR",
    "PrimeministerGR": "GR",
    "QueenNoor": "JO",
    "QueenRania": "JO",
    "RT_Erdogan": "TR",
    "RtHon_JohnKey": "NZ",
    "SAPresident": "ZA",
    "SamirAlRifai": "JO",
    "SleimanMichel": "LB",
    "VDombrovskis": "LV",
    "YLeterme": "BE",
    "azpresident": "AZ",
    "cbabdullahgul": "TR",
    "chavezcandanga": "VE",
    "desdelamoncloa": "ES",
    "dilmabr": "BR",
    "eliodirupo": "BE",
    "eucopresident": "EU",
    "fhollande": "FR",
    "hatoyamayukio": "JP",
    "ivojosipovic": "HR",
    "jensstoltenberg": "NO",
    "jmkikwete": "TZ",
    "larsloekke": "DK",
    "netanyahu": "IL",
    "noynoyaquino": "PH",
    "ottoperezmolina": "GT",
    "prensapalacio": "GT",
    "presidenciacr": "CR",
    "realDonaldTrump": "US",
    "rmartinelli": "PA",
    "sebastianpinera": "CL",
    "stephenharper": "CA",
}
QUICK_ACCOUNTS = (
    "Elysee",
    "realDonaldTrump",
    "MedvedevRussiaE",
    "JDMahama",
    "Number10gov",
    "PMOIndia",
    "netanyahu",
    "GobiernodeChile",
    "hatoyamayukio",
    "jensstoltenberg",
    "SAPresident",
    "QueenRania",
)


@dataclass
class EvalAccount:
    meta: AccountMeta
    profile: dict
    disclosed: bool


def default_data() -> Path:
    """../shared/data/official-timelines from the working directory, else beside the repository."""
    repo = Path(__file__).resolve().parents[1]
    for base in (Path.cwd() / "..", repo / "..", repo / "../.."):
        candidate = (base / "shared/data/official-timelines").resolve()
        if candidate.is_dir():
            return candidate
    return DEFAULT_DATA


def bench_parser(description: str | None) -> argparse.ArgumentParser:
    """The arguments every benchmark over the timelines takes: --quick (the bundled sample, counts
    only) and --data DIR."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data", default=None, help="default: ../shared/data/official-timelines")
    return parser


def bench_timelines(quick: bool, data: str | None) -> Path:
    """The timelines a benchmark reads: the bundled sample in its quick form (CI), else --data or the
    full set beside the repository."""
    return DEFAULT_DATA if quick else Path(data or default_data())


def load_timelines(data: Path, only: tuple[str, ...] | None = None) -> tuple[dict[str, list[Activity]], int]:
    if not data.is_dir():
        raise FileNotFoundError(f"eval data directory {data} does not exist (use --data DIR)")
    timelines: dict[str, list[Activity]] = {}
    rejected = 0
    for path in sorted(data.glob("*.jsonl")):
        if only and path.stem not in only:
            continue
        acts = []
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    acts.append(parse_activity(json.loads(line)))
                except (ActivityError, json.JSONDecodeError):
                    rejected += 1
        if len(acts) >= 20:
            acts.sort(key=lambda a: a.at)
            timelines[acts[0].account] = acts
    if not timelines:
        raise FileNotFoundError(f"no timelines (*.jsonl with 20+ activities) in {data}")
    return timelines, rejected


def account_info(handle: str, acts: list[Activity]) -> AccountInfo:
    cut = int(len(acts) * LEARN_SHARE)
    info = AccountInfo(handle=handle, country=COUNTRIES.get(handle, "XX"), learn=acts[:cut], test=acts[cut:])
    for a in acts:  # whom it ever amplified, answered or mentioned: a stranger is outside all of it
        info.circle.update(m.lower() for m in a.mentions)
        whom = (a.target or {}).get("account")
        if whom:
            info.circle.add(whom.lower())
    for a in info.learn:
        info.fields.update(name for name in ("lang", "client") if getattr(a, name))
        target = a.target or {}
        if target.get("account"):
            info.partners[target["account"].lower()] += 1
            if a.kind == "repost" and target.get("text"):
                info.partner_texts.setdefault(target["account"].lower(), []).append(target["text"])
        if a.client:
            info.clients[a.client] += 1
        info.hours[a.at.hour] += 1
        for tag in a.hashtags:
            info.hashtags[tag.lower()] += 1
        if a.kind == "post" and a.text:
            lang = a.lang or guess_lang(a.text, words(a.text))
            if lang:
                info.langs[lang] += 1
                info.texts_by_lang.setdefault(lang, []).append(a.text)
    return info


def make_metas(infos: dict[str, AccountInfo], quick: bool, context: bool = False) -> dict[str, EvalAccount]:
    """Every account gets a plausible profile; a few are recorded as state media aimed at a host country
    (half of them disclose it in their bio), with the host whose politics their real posts, learned or
    replayed, mention least."""
    lex = lexicon()
    metas: dict[str, EvalAccount] = {}
    ranked = []
    for handle, info in infos.items():
        best: tuple[float, str] | None = None
        if info.langs and info.langs.most_common(1)[0][0] != "en":
            continue  # the look-alike state media post in English to an English-speaking host
        # over its whole timeline, not its learned part alone: a host its real posts discuss later (the
        # Maldives president on the US election the day after it) would make those real posts the very
        # incident this role plays, and count them as false alerts
        mine = info.learn + info.test
        for candidate in ("US", "GB", "AU", "CA", "PH"):
            if candidate == info.country:
                continue
            hits = sum(1 for a in mine if lex.politics_hits(candidate, a.text or (a.target or {}).get("text")))
            rate = hits / max(1, len(mine))
            if best is None or rate < best[0]:
                best = (rate, candidate)
        if best is not None:
            ranked.append((best[0], handle, best[1]))
    ranked.sort()
    take = 3 if quick else 10
    undisclosed = {h: host for _, h, host in ranked[:take]}
    disclosed = {h: host for _, h, host in ranked[take : take + (2 if quick else 6)]}
    for i, (handle, info) in enumerate(sorted(infos.items())):
        owner = f"Office of {handle}"
        bio = f"Official account of the {owner}. News, statements and events."
        affiliation: str | None = None
        host: str | None = None
        is_disclosed = False
        if handle in undisclosed:
            affiliation, host = "state media", undisclosed[handle]
            bio = UNDISCLOSED_BIOS[i % len(UNDISCLOSED_BIOS)]
        elif handle in disclosed:
            affiliation, host, is_disclosed = "state media", disclosed[handle], True
            bio = DISCLOSED_BIOS[i % len(DISCLOSED_BIOS)].format(owner=owner)
        # replay without a watch list knows no country: neither does the detector here, unless asked
        meta = AccountMeta(
            platform="x",
            handle=handle,
            role="head of state" if context else None,
            country=info.country if context else None,
            affiliation=affiliation,
            owner=owner if affiliation else None,
            host_country=host,
        )
        name = owner if not affiliation else ["NewsToks", "Pandaorama", "The Daily Optimist", "WorldBites"][i % 4]
        profile = {"name": name, "bio": bio, "avatar": f"https://pbs.example/{handle}.jpg"}
        metas[handle] = EvalAccount(meta, profile, is_disclosed)
    return metas


class RulesPeer:
    """Fixed rules: alert on any like, any target never interacted with, any link domain never used."""

    def __init__(self) -> None:
        self.targets: dict[str, set[str]] = defaultdict(set)
        self.domains: dict[str, set[str]] = defaultdict(set)

    def check(self, a: Activity) -> bool:
        if a.kind == "like":
            return True
        target = (a.target or {}).get("account")
        if target and a.kind != "delete" and target.lower() not in self.targets[a.account]:
            return True
        return any(d not in self.domains[a.account] for d in _domains(a))

    def learn(self, a: Activity) -> None:
        target = (a.target or {}).get("account")
        if target:
            self.targets[a.account].add(target.lower())
        for m in a.mentions:
            self.targets[a.account].add(m.lower())
        self.domains[a.account].update(_domains(a))


def _domains(a: Activity) -> list[str]:
    from bot.profile.text import informative_domains

    return informative_domains(a.links)


def run_once(
    timelines: dict[str, list[Activity]],
    seed: int,
    variant: str,
    per_type: int,
    quick: bool,
    context: bool = False,
    lexicons: bool = True,
    track=lambda items, total, desc: items,
) -> dict[str, Any]:
    started = time.perf_counter()
    use_lexicons(True)  # the generator's own checks read the lexicon; the detector's switch comes below
    infos = {h: account_info(h, acts) for h, acts in timelines.items()}
    metas = make_metas(infos, quick, context)
    gen = Generator(infos, metas, seed, variant, per_type)
    cases = gen.cases()
    use_lexicons(lexicons)
    book = ProfileBook()
    rules = RulesPeer()
    train: list[list[float]] = []

    # learning phase: the first part of every timeline (plus the summits it covered before)
    learned = 0
    for handle, info in infos.items():
        meta = metas[handle].meta
        first = info.learn[0]
        start = parse_activity(
            {
                "id": f"x:profile-{handle}",
                "platform": "x",
                "account": handle,
                "kind": "profile",
                "at": (first.at - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "profile": metas[handle].profile,
            }
        )
        book.learn(start, meta)
        history = sorted(info.learn + gen.history_extra.get(handle, []), key=lambda a: a.at)
        sample_from = int(len(history) * 0.6)
        for i, a in enumerate(history):
            if i >= sample_from:
                train.append(_vector(book.score(a, meta)))
            book.learn(a, meta)
            rules.learn(a)
            learned += 1
    learn_seconds = time.perf_counter() - started

    # replay: real activities of the last part, with the cases injected, in time order across accounts
    owner: dict[str, Case] = {}
    stream: list[tuple[Activity, Case | None]] = [(a, None) for info in infos.values() for a in info.test]
    for case in cases:
        for a in case.activities:
            owner[a.id] = case
            stream.append((a, case))
    stream.sort(key=lambda item: item[0].at)
    hits: dict[str, dict[str, bool]] = {c.id: dict.fromkeys(SYSTEMS, False) for c in cases}
    false_real: Counter[str] = Counter()
    false_benign: Counter[str] = Counter()
    benign_false: Counter[tuple[str, str]] = Counter()  # (benign type, system) -> false alerts
    false_groups = 0
    group_seen: set[str] = set()
    vectors: list[list[float]] = []
    tags: list[Case | None] = []
    real_count = 0
    examples: dict[str, list[str]] = {}
    best: dict[str, tuple[float, str]] = {}
    real_scores: list[float] = []  # the real activities' scores worth a second look (for the sweep)
    replay_started = time.perf_counter()
    for a, case in track(stream, len(stream), f"eval {variant} seed {seed}"):
        meta = metas[a.account].meta
        v = book.score(a, meta)
        alert = severity_for(v.score) is not None
        group = book.coordination.observe(a, v)
        # as the pipeline does: an alerted activity is held out of the baseline; nothing confirms it
        book.learn(a, meta, alerted=alert or group is not None)
        rule_alert = rules.check(a)
        rules.learn(a)
        vectors.append(_vector(v))
        tags.append(case)
        if group is not None:
            members = [owner.get(i) for i in group.activity_ids]
            incident_members = [c for c in members if c is not None and not c.benign]
            if incident_members:
                for c in incident_members:
                    hits[c.id]["diplowatch"] = True
            elif group.key not in group_seen:
                false_groups += 1
                group_seen.add(group.key)
                examples.setdefault("false_group", []).append(group.reason)
        if case is None:
            real_count += 1
            if v.score >= 0.2:
                real_scores.append(v.score)
            false_real["diplowatch"] += alert
            false_real["rules"] += rule_alert
            if alert and len(examples.setdefault("false_alert", [])) < 25:
                examples["false_alert"].append(
                    f"@{a.account} {a.kind} {a.at_iso} {v.score:.2f}: " + " | ".join(v.reasons[:3])
                )
            continue
        if case.benign:
            false_benign["diplowatch"] += alert
            false_benign["rules"] += rule_alert
            benign_false[(case.type, "diplowatch")] += alert
            benign_false[(case.type, "rules")] += rule_alert
            if alert:
                examples.setdefault("benign_alert", []).append(
                    f"{case.type} @{a.account}: " + " | ".join(v.reasons[:3])
                )
            continue
        if v.score > best.get(case.id, (0.0, ""))[0]:
            best[case.id] = (v.score, " | ".join(v.reasons[:4]) + " [" + _bits_text(v) + "]")
        if alert:
            hits[case.id]["diplowatch"] = True
        if rule_alert:
            hits[case.id]["rules"] = True
    replay_seconds = time.perf_counter() - replay_started

    # the IsolationForest peer, on the same features
    iso_flags = _iforest(train, vectors, seed)
    for flag, tagged in zip(iso_flags, tags, strict=True):
        if tagged is None:
            false_real["iforest"] += flag
        elif tagged.benign:
            false_benign["iforest"] += flag
            benign_false[(tagged.type, "iforest")] += flag
        elif flag:
            hits[tagged.id]["iforest"] = True
    for c in cases:
        if not c.benign and not hits[c.id]["diplowatch"]:
            examples.setdefault("missed " + c.type, []).append(
                f"{c.type}{' of ' + c.note if c.note else ''} @{','.join(c.accounts)}: "
                + "; ".join(
                    f"{a.kind} {(a.text or (a.target or {}).get('text') or a.status or '')[:50]!r}"
                    for a in c.activities[:2]
                )
                + " => %.2f %s" % best.get(c.id, (0.0, ""))
            )

    incidents = [c for c in cases if not c.benign]
    benign = [c for c in cases if c.benign]
    result: dict[str, Any] = {
        "seed": seed,
        "variant": variant,
        "lexicons": lexicons,
        "accounts": len(infos),
        "learned_activities": learned,
        "real_replayed": real_count,
        "incidents": len(incidents),
        "benign_cases": len(benign),
        "benign_activities": sum(len(c.activities) for c in benign),
        "systems": {},
        "per_type": {},
        "benign_per_type": {},
        "seconds": {
            "learn": round(learn_seconds, 1),
            "replay": round(replay_seconds, 1),
            "total": round(time.perf_counter() - started, 1),
        },
        "us_per_activity_replay": round(1e6 * replay_seconds / max(1, len(stream)), 1),
    }
    for system in SYSTEMS:
        detected = sum(1 for c in incidents if hits[c.id][system])
        false = false_real[system] + false_benign[system] + (false_groups if system == "diplowatch" else 0)
        recall = detected / max(1, len(incidents))
        precision = detected / max(1, detected + false)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        result["systems"][system] = {
            "recall": round(recall, 4),
            "precision": round(precision, 4),
            "f1": round(f1, 4),
            "false_alerts_real": false_real[system],
            "false_alerts_benign": false_benign[system],
            "false_groups": false_groups if system == "diplowatch" else 0,
            "false_per_1000_real": round(1000 * false_real[system] / max(1, real_count), 3),
            "detected": detected,
        }
    for kind in INCIDENT_TYPES:
        of_kind = [c for c in incidents if c.type == kind]
        result["per_type"][kind] = {
            "n": len(of_kind),
            **{s: round(sum(1 for c in of_kind if hits[c.id][s]) / max(1, len(of_kind)), 3) for s in SYSTEMS},
        }
    for kind in BENIGN_TYPES:
        of_kind = [c for c in benign if c.type == kind]
        result["benign_per_type"][kind] = {
            "cases": len(of_kind),
            "activities": sum(len(c.activities) for c in of_kind),
            **{s: benign_false[(kind, s)] for s in SYSTEMS},
        }
    result["sweep"] = _sweep(incidents, best, hits, real_scores, real_count)
    result["examples"] = {k: v[:8] if k.startswith("missed") else v[:25] for k, v in examples.items()}
    return result


def _sweep(
    incidents: list[Case],
    best: dict[str, tuple[float, str]],
    hits: dict[str, dict[str, bool]],
    real_scores: list[float],
    real_count: int,
) -> dict[str, dict[str, float]]:
    """Recall and false alerts per 1,000 real activities had the alert line been elsewhere (in bits).
    Approximate: a different line would also have held out different activities from the baselines.
    Incidents caught only as a coordinated group count as caught at every line."""
    out: dict[str, dict[str, float]] = {}
    for line in SWEEP_BITS:
        cut = to_score(line)
        caught = sum(
            1
            for c in incidents
            if best.get(c.id, (0.0, ""))[0] >= cut
            or (hits[c.id]["diplowatch"] and best.get(c.id, (0.0, ""))[0] < to_score(ALERT_BITS))
        )
        false = sum(1 for score in real_scores if score >= cut)
        out[f"{line:.1f}"] = {
            "recall": round(caught / max(1, len(incidents)), 3),
            "false_per_1000_real": round(1000 * false / max(1, real_count), 3),
        }
    return out


def _bits_text(v) -> str:
    """The evidence per feature of a verdict, largest first ("target 2.3, lang 4.8")."""
    found = sorted(((b, k) for k, b in v.features.items() if b >= 0.1), reverse=True)
    return ", ".join(f"{k} {b:.1f}" for b, k in found)


def _vector(v) -> list[float]:
    return [v.features.get(name, 0.0) for name in FEATURES]


def _iforest(train: list[list[float]], vectors: list[list[float]], seed: int) -> list[bool]:
    import numpy as np
    from sklearn.ensemble import IsolationForest

    model = IsolationForest(n_estimators=100, max_samples=min(4096, len(train)), random_state=seed, n_jobs=1)
    x_train = np.asarray(train, dtype=float)
    model.fit(x_train)
    threshold = np.quantile(model.score_samples(x_train), IFOREST_BUDGET)
    scores = model.score_samples(np.asarray(vectors, dtype=float))
    return [bool(s < threshold) for s in scores]


def evaluate(
    data: Path,
    seed: int = 1,
    quick: bool = False,
    seeds: list[int] | None = None,
    ablation: bool = False,
    context: bool = False,
    track=lambda items, total, desc: items,
) -> dict[str, Any]:
    """For each seed, the tuning run (tune pools) and the held-out run (seed+1000, the other pools);
    with `ablation`, each again with every word list switched off."""
    only = None
    if quick:
        stems = sorted(p.stem for p in data.glob("*.jsonl")) if data.is_dir() else []
        # the default collection's dozen; for any other collection, its first dozen timelines
        only = QUICK_ACCOUNTS if sum(s in QUICK_ACCOUNTS for s in stems) >= 4 else tuple(stems[:12])
    timelines, rejected = load_timelines(data, only)
    per_type = 12 if quick else 40
    runs: dict[str, Any] = {}
    seeds = seeds or [seed]
    for lexicons in (True, False) if ablation else (True,):
        suffix = "" if lexicons else " no-lexicons"
        for s in seeds:
            tune, heldout = ("tune", "heldout") if len(seeds) == 1 else (f"tune {s}", f"heldout {s + 1000}")
            runs[tune + suffix] = run_once(timelines, s, "tune", per_type, quick, context, lexicons, track)
            runs[heldout + suffix] = run_once(timelines, s + 1000, "heldout", per_type, quick, context, lexicons, track)
    use_lexicons(True)
    return {
        "data": str(data),
        "quick": quick,
        "rejected_records": rejected,
        "context": context,
        "timelines": len(timelines),
        "activities": sum(len(t) for t in timelines.values()),
        "runs": runs,
    }


def summary(results: dict[str, Any]) -> str:
    """One line a run: recall, the weakest type, false alerts per 1,000 real, precision."""
    lines = [
        f"{'run':<26} {'lexicons':>8} {'recall':>7} {'weakest type':>28} {'weakest structural':>28} "
        f"{'false/1000':>10} {'precision':>9}"
    ]
    for name, run in results["runs"].items():
        m = run["systems"]["diplowatch"]
        kind, row = min(run["per_type"].items(), key=lambda kv: kv[1]["diplowatch"])
        weakest = f"{kind} {row['diplowatch']:.3f}"
        structural = [kv for kv in run["per_type"].items() if kv[0] in STRUCTURAL_TYPES]
        skind, srow = min(structural, key=lambda kv: kv[1]["diplowatch"]) if structural else ("-", {"diplowatch": 0.0})
        lines.append(
            f"{name:<26} {'off' if run.get('lexicons') is False else 'on':>8} {m['recall']:>7.3f} "
            f"{weakest:>28} {skind + ' ' + format(srow['diplowatch'], '.3f'):>28} "
            f"{m['false_per_1000_real']:>10.3f} {m['precision']:>9.3f}"
        )
    return "\n".join(lines)


def table(results: dict[str, Any]) -> str:
    lines = []
    for name, run in results["runs"].items():
        lines.append(
            f"== {name} run (seed {run['seed']}, {run['variant']} pools): {run['accounts']} accounts, "
            f"{run['learned_activities']:,} learned, {run['real_replayed']:,} real replayed, "
            f"{run['incidents']} incidents, {run['benign_cases']} benign look-alikes "
            f"({run['benign_activities']} activities); {run['seconds']['total']} s"
        )
        lines.append(
            f"{'system':<11} {'recall':>7} {'precision':>9} {'F1':>6} {'false/1000 real':>16} "
            f"{'false real':>10} {'false benign':>12}"
        )
        for system, m in run["systems"].items():
            lines.append(
                f"{system:<11} {m['recall']:>7.3f} {m['precision']:>9.3f} {m['f1']:>6.3f} "
                f"{m['false_per_1000_real']:>16.3f} {m['false_alerts_real']:>10} {m['false_alerts_benign']:>12}"
            )
        lines.append(f"{'recall by type':<26} {'n':>4} " + " ".join(f"{s:>10}" for s in SYSTEMS))
        for kind, row in run["per_type"].items():
            lines.append(f"{kind:<26} {row['n']:>4} " + " ".join(f"{row[s]:>10.3f}" for s in SYSTEMS))
        lines.append(f"{'false alerts on look-alikes':<26} {'acts':>4} " + " ".join(f"{s:>10}" for s in SYSTEMS))
        for kind, row in run["benign_per_type"].items():
            lines.append(f"{kind:<26} {row['activities']:>4} " + " ".join(f"{row[s]:>10}" for s in SYSTEMS))
        lines.append("")
    return "\n".join(lines)
