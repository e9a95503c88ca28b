"""`diplowatch eval` end to end on small generated timelines (the real ones live outside the repository)."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from bot.eval import account_info, make_metas
from bot.eval_cases import INCIDENT_TYPES, Generator

from .helpers import act, history

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "bot", "eval", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_eval_reports_every_system_and_type_as_json_and_table(tmp_path):
    data = tmp_path / "timelines"
    data.mkdir()
    for i, handle in enumerate(["EmbassyA", "EmbassyB", "EmbassyC", "EmbassyD", "EmbassyE"]):
        with (data / f"{handle}.jsonl").open("w") as out:
            for a in history(400, seed=i, account=handle):
                out.write(a.to_json() + "\n")
    result = _run("--data", data, "--out", tmp_path / "r.json", "--quick", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "recall by type" in result.stdout and "iforest" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert set(report["runs"]) == {"tune", "heldout"}
    for run in report["runs"].values():
        assert set(run["systems"]) == {"diplowatch", "rules", "iforest"}
        assert set(run["per_type"]) == set(INCIDENT_TYPES)
        assert run["incidents"] > 0 and run["real_replayed"] > 0
        for metrics in run["systems"].values():
            assert 0.0 <= metrics["recall"] <= 1.0 and 0.0 <= metrics["precision"] <= 1.0
    assert report["command"].startswith("diplowatch eval")


def test_eval_without_data_is_a_clear_error(tmp_path):
    result = _run("--data", tmp_path / "missing", "--out", tmp_path / "r.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_a_role_played_host_is_one_its_real_posts_never_discuss():
    # the evaluation records a few real accounts as undisclosed state media aimed at a host; a host its
    # real posts discuss after the learned part (a president on the US election the day after it) would
    # make those real posts the very incident the role plays, counted as false alerts
    acts = history(300, account="ExamplePresident")
    last = acts[-1]
    acts.append(
        act(
            "post",
            last.at + timedelta(days=1),
            "ExamplePresident",
            client="Sprinklr",
            lang="en",
            text="Congratulations to President-elect Trump on his victory in the US election",
        )
    )
    info = account_info("ExamplePresident", acts)
    assert not any(a.text and "Trump" in a.text for a in info.learn)
    meta = make_metas({"ExamplePresident": info}, quick=False)["ExamplePresident"].meta
    assert meta.affiliation == "state media"
    assert meta.host_country not in (None, "US")


def test_a_language_an_account_wrote_once_gives_no_foreign_language_text():
    # a lone language label on an account is as often the platform's misreading as the language (an
    # English post declared Italian): injected as "a language the account never uses", it could be the
    # account's own language, an incident no one could see
    def account(handle: str, extra: list[tuple[str, str]]) -> list:
        acts = history(200, account=handle)
        last = acts[0].at
        for i, (lang, text) in enumerate(extra):
            acts.insert(1, act("post", last - timedelta(days=i + 1), handle, client="Sprinklr", lang=lang, text=text))
        return acts

    misread = "Hosting the President of the neighbouring republic for talks on maritime security today"
    italian = [
        ("it", "Siamo venuti oggi qui per dire che l'Europa sta con la gente e con l'Italia."),
        ("it", "Molto triste per la morte di un grande musicista. Una perdita enorme per la cultura."),
    ]
    infos = {
        "OnceItalian": account_info("OnceItalian", account("OnceItalian", [("it", misread)])),
        "WritesItalian": account_info("WritesItalian", account("WritesItalian", italian)),
    }
    plain = Generator(infos, make_metas(infos, quick=True), 1, "tune", 5).plain_texts
    assert misread not in plain.get("it", [])
    assert {text for _, text in italian} <= set(plain["it"])


def test_routine_likes_go_where_its_reposts_go_new_accounts_included():
    # real accounts like what they amplify, strangers included: routine likes only of its top partners
    # spared every like from the checks of whom it amplifies, and flattered them
    acts = history(400, account="ExampleEmbassy")
    for i, a in enumerate(list(acts[::4])):
        acts.append(
            act(
                "repost",
                a.at + timedelta(minutes=30),
                "ExampleEmbassy",
                client="Sprinklr",
                target={"id": f"x:r{i}", "account": f"citizen_{i}", "text": f"Students won prize number {i} today"},
            )
        )
    acts.sort(key=lambda a: a.at)
    info = account_info("ExampleEmbassy", acts)
    generator = Generator({"ExampleEmbassy": info}, make_metas({"ExampleEmbassy": info}, quick=True), 1, "tune", 5)
    likes = [a for a in generator.routine(info, info.start, info.end, 4000) if a.kind == "like"]
    authors = {(a.target or {})["account"].lower() for a in likes}
    known = {(a.target or {}).get("account", "").lower() for a in info.learn}
    assert len(likes) > 100
    assert authors - known  # accounts new to it, as some of its reposts in the same span are
    assert authors & {"mfa_home", "spokespersonhome", "homemissionun"}  # and its partners
    reposted = {((a.target or {}).get("account"), (a.target or {}).get("text")) for a in acts if a.kind == "repost"}
    assert all(((a.target or {})["account"], (a.target or {}).get("text")) in reposted for a in likes)
