"""Instagram sessions: import from a Firefox cookies.sqlite the test creates, password login
(two-factor, checkpoint, wrong password) against the fake Instagram, and the CLI verbs."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from instarecipe_desktop.cli import main as cli_main
from instarecipe_desktop.core.secrets import INSTAGRAM_SESSION
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.session import (
    SessionError,
    SessionVault,
    import_browser_session,
    login_with_password,
    read_browser_cookies,
)
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.extraction.conftest import FakeInstagram, LoopbackServer, Response

FUTURE = int(time.time()) + 365 * 86400
PAST = int(time.time()) - 86400
INSTAGRAM_COOKIES = [
    (".instagram.com", "sessionid", "1001%3AsecretSESSION", FUTURE),
    (".instagram.com", "csrftoken", "csrf-from-firefox", FUTURE),
    (".instagram.com", "ds_user_id", "1001", FUTURE),
    ("www.instagram.com", "mid", "mid-value", FUTURE),
    (".instagram.com", "rur", "old-rur", PAST),  # expired: left out
    ("instagram.com.evil.net", "sessionid", "EVIL", FUTURE),  # lookalike: left out
    (".notinstagram.com", "evil", "EVIL", FUTURE),
    (".example.org", "sessionid", "OTHER", FUTURE),
]


def make_firefox_profile(folder: Path, cookies: list[tuple[str, str, str, int]]) -> Path:
    """A Firefox profile folder with a cookies.sqlite in Firefox's own schema."""
    folder.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(folder / "cookies.sqlite") as db:
        db.execute(
            "CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, originAttributes TEXT NOT NULL "
            "DEFAULT '', name TEXT, value TEXT, host TEXT, path TEXT, expiry INTEGER, "
            "lastAccessed INTEGER, creationTime INTEGER, isSecure INTEGER, isHttpOnly INTEGER, "
            "inBrowserElement INTEGER DEFAULT 0, sameSite INTEGER DEFAULT 0, rawSameSite "
            "INTEGER DEFAULT 0, schemeMap INTEGER DEFAULT 0, CONSTRAINT moz_uniqueid UNIQUE "
            "(name, host, path, originAttributes))"
        )
        now_us = int(time.time() * 1_000_000)
        db.executemany(
            "INSERT INTO moz_cookies (name, value, host, path, expiry, lastAccessed, "
            "creationTime, isSecure, isHttpOnly) VALUES (?, ?, ?, '/', ?, ?, ?, 1, 1)",
            [(name, value, host, expiry, now_us, now_us) for host, name, value, expiry in cookies],
        )
    db.close()
    return folder


def test_cookies_are_read_for_instagram_only(tmp_path: Path) -> None:
    profile = make_firefox_profile(tmp_path / "abcd.default-release", INSTAGRAM_COOKIES)
    cookies = read_browser_cookies("firefox", profile)
    assert cookies == {
        "sessionid": "1001%3AsecretSESSION",
        "csrftoken": "csrf-from-firefox",
        "ds_user_id": "1001",
        "mid": "mid-value",
    }
    # the database file itself may be given too
    assert read_browser_cookies("firefox", profile / "cookies.sqlite") == cookies


@pytest.mark.parametrize(
    "root",
    [
        ".mozilla/firefox",
        "snap/firefox/common/.mozilla/firefox",
        ".var/app/org.mozilla.firefox/.mozilla/firefox",
    ],
)
def test_the_default_firefox_profile_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: str
) -> None:
    home = tmp_path / "home"
    firefox = home / root
    make_firefox_profile(firefox / "other.default", [(".instagram.com", "x", "y", FUTURE)])
    make_firefox_profile(firefox / "main.default-release", INSTAGRAM_COOKIES)
    (firefox / "profiles.ini").write_text(
        "[Install4F96D1932A9F858E]\nDefault=main.default-release\nLocked=1\n\n"
        "[Profile1]\nName=other\nIsRelative=1\nPath=other.default\n\n"
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=main.default-release\n"
    )
    monkeypatch.setenv("HOME", str(home))
    assert read_browser_cookies("firefox")["sessionid"] == "1001%3AsecretSESSION"


@pytest.mark.parametrize(
    ("profile_cookies", "words"),
    [
        ([(".instagram.com", "csrftoken", "c", FUTURE)], "not logged in to Instagram in Firefox"),
        ([(".instagram.com", "sessionid", "old", PAST)], "not logged in"),
        ([], "not logged in"),
    ],
)
def test_no_usable_session_cookie(tmp_path: Path, profile_cookies: list[Any], words: str) -> None:
    profile = make_firefox_profile(tmp_path / "p", profile_cookies)
    with pytest.raises(SessionError, match=words):
        read_browser_cookies("firefox", profile)


def test_unreadable_profiles_say_so(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="does not exist"):
        read_browser_cookies("firefox", tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SessionError, match="No cookie database"):
        read_browser_cookies("firefox", empty)
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(SessionError, match="could not be read"):
        read_browser_cookies("firefox", bogus)
    with pytest.raises(SessionError, match="not supported"):
        read_browser_cookies("netscape", tmp_path)


def test_import_checks_the_session_with_instagram(
    tmp_path: Path, fake_instagram: FakeInstagram
) -> None:
    profile = make_firefox_profile(tmp_path / "p", INSTAGRAM_COOKIES)
    session, check = import_browser_session("firefox", profile, RequestPacer(0.0))
    assert check.ok is True
    assert (session.username, session.source, session.verified) == ("chef.anna", "firefox", True)
    whoami = fake_instagram.server.hits("/graphql/query")[0]
    assert "sessionid=1001%3AsecretSESSION" in whoami.headers["cookie"]


def test_import_refuses_a_logged_out_session(tmp_path: Path, fake_instagram: FakeInstagram) -> None:
    fake_instagram.whoami = None
    profile = make_firefox_profile(tmp_path / "p", INSTAGRAM_COOKIES)
    with pytest.raises(SessionError, match="logged out"):
        import_browser_session("firefox", profile, RequestPacer(0.0))


def test_import_keeps_an_unchecked_session_when_instagram_is_unreachable(
    tmp_path: Path, instagram_network: dict[str, Any]
) -> None:
    closed = LoopbackServer()
    closed.close()
    instagram_network["base"] = closed.base_url
    profile = make_firefox_profile(tmp_path / "p", INSTAGRAM_COOKIES)
    session, check = import_browser_session(
        "firefox", profile, RequestPacer(0.0), username_hint="anna"
    )
    assert check.ok is None and check.problem is not None and check.problem.code == "network"
    assert (session.username, session.verified) == ("anna", False)


# -- password login -----------------------------------------------------------------------------

LOGIN_PATH = "/api/v1/web/accounts/login/ajax/"
TWO_FACTOR_PATH = "/accounts/login/ajax/two_factor/"
SESSION_COOKIES = [
    "sessionid=1001%3Afromlogin; Path=/",
    "csrftoken=csrf-login; Path=/",
    "ds_user_id=1001; Path=/",
]


def test_login_with_password(fake_instagram: FakeInstagram) -> None:
    fake_instagram.server.route(
        "POST",
        LOGIN_PATH,
        Response(
            200,
            {"authenticated": True, "user": True, "userId": "1001", "status": "ok"},
            set_cookies=SESSION_COOKIES,
        ),
    )
    session = login_with_password("chef.anna", "pa55word", RequestPacer(0.0), lambda: None)
    assert session.cookies["sessionid"] == "1001%3Afromlogin"
    assert (session.username, session.source) == ("chef.anna", "login")
    sent = fake_instagram.server.hits(LOGIN_PATH)[0].body.decode()
    assert "username=chef.anna" in sent and "pa55word" in sent


def test_login_with_two_factor_code(fake_instagram: FakeInstagram) -> None:
    fake_instagram.server.route(
        "POST",
        LOGIN_PATH,
        Response(
            200,
            {
                "two_factor_required": True,
                "two_factor_info": {"two_factor_identifier": "tf-1"},
                "status": "fail",
            },
        ),
    )
    fake_instagram.server.route(
        "POST", TWO_FACTOR_PATH, Response(200, {"status": "ok"}, set_cookies=SESSION_COOKIES)
    )
    asked: list[bool] = []
    session = login_with_password(
        "chef.anna", "pw", RequestPacer(0.0), lambda: asked.append(True) or "123456"
    )
    assert asked == [True]
    assert "verificationCode=123456" in fake_instagram.server.hits(TWO_FACTOR_PATH)[0].body.decode()
    assert session.cookies["sessionid"] == "1001%3Afromlogin"


@pytest.mark.parametrize(
    ("answer", "code_given", "words"),
    [
        ({"authenticated": False, "user": True, "status": "ok"}, None, "did not accept"),
        ({"authenticated": False, "user": False, "status": "ok"}, None, "no Instagram account"),
        (
            {
                "checkpoint_url": "/challenge/AbC/",
                "status": "fail",
                "message": "checkpoint_required",
            },
            None,
            "https://www.instagram.com/challenge/AbC/",
        ),
        (
            {
                "two_factor_required": True,
                "two_factor_info": {"two_factor_identifier": "t"},
                "status": "fail",
            },
            None,
            "two-factor code and none was given",
        ),
        ({"status": "fail", "message": "Please wait a few minutes"}, None, "import the session"),
    ],
)
def test_login_failures_are_explained(
    fake_instagram: FakeInstagram, answer: dict[str, Any], code_given: str | None, words: str
) -> None:
    fake_instagram.server.route("POST", LOGIN_PATH, Response(200, answer))
    with pytest.raises(SessionError) as info:
        login_with_password("chef.anna", "pw", RequestPacer(0.0), lambda: code_given)
    assert words.lower() in str(info.value).lower()
    assert "pw" not in str(info.value).split()


# -- the CLI verbs (in-process, so the fake Instagram is used) -----------------------------------


def test_cli_import_status_logout(
    tmp_path: Path, fake_instagram: FakeInstagram, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = make_firefox_profile(tmp_path / "p", INSTAGRAM_COOKIES)
    assert (
        cli_main(["instagram", "import-session", "--browser", "firefox", "--profile", str(profile)])
        == 0
    )
    out = capsys.readouterr().out
    assert "Imported the Instagram session of chef.anna from Firefox" in out
    assert "secretSESSION" not in out
    stored = json.loads(open_secret_store().get(INSTAGRAM_SESSION) or "{}")
    assert stored["cookies"]["sessionid"] == "1001%3AsecretSESSION"

    assert cli_main(["instagram", "status", "--check"]) == 0
    out = capsys.readouterr().out
    assert "logged in as chef.anna (from firefox" in out
    assert "Instagram confirms the session" in out
    assert "secretSESSION" not in out

    assert cli_main(["instagram", "logout"]) == 0
    assert "forgotten" in capsys.readouterr().out
    assert SessionVault(open_secret_store()).load() is None
    assert cli_main(["instagram", "status"]) == 0
    assert "not logged in" in capsys.readouterr().out


def test_cli_import_error_is_a_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = make_firefox_profile(tmp_path / "p", [])
    assert cli_main(["instagram", "import-session", "--profile", str(profile)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: You are not logged in to Instagram in Firefox")
    assert "Traceback" not in err


def test_cli_login_reads_password_and_code_from_stdin(
    fake_instagram: FakeInstagram,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    fake_instagram.server.route(
        "POST",
        LOGIN_PATH,
        Response(
            200,
            {
                "two_factor_required": True,
                "two_factor_info": {"two_factor_identifier": "tf-1"},
                "status": "fail",
            },
        ),
    )
    fake_instagram.server.route(
        "POST", TWO_FACTOR_PATH, Response(200, {"status": "ok"}, set_cookies=SESSION_COOKIES)
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n654321\n"))
    assert cli_main(["instagram", "login", "chef.anna", "--password-stdin"]) == 0
    assert "Logged in to Instagram as chef.anna" in capsys.readouterr().out
    assert SessionVault(open_secret_store()).load() is not None


@pytest.mark.parametrize(
    "stored",
    [
        "not json",
        "[]",
        json.dumps({"cookies": {"csrftoken": "x"}}),
        json.dumps({"cookies": "sessionid=1"}),
    ],
)
def test_an_unreadable_stored_session_is_ignored(stored: str) -> None:
    open_secret_store().set(INSTAGRAM_SESSION, stored)
    assert SessionVault(open_secret_store()).load() is None


def test_a_stored_session_round_trips_as_json() -> None:
    from instarecipe_desktop.pipeline.extraction.session import InstagramSession

    session = InstagramSession(
        username="chef.anna",
        cookies={"sessionid": "s", "mid": "m"},
        source="firefox",
        verified=True,
    )
    SessionVault(open_secret_store()).save(session)
    raw = open_secret_store().get(INSTAGRAM_SESSION) or ""
    assert json.loads(raw)["version"] == 1  # JSON, not a pickle
    assert SessionVault(open_secret_store()).load() == session


def test_session_cookies_are_scrubbed_from_logs() -> None:
    import logging

    from instarecipe_desktop.core.logging_setup import SCRUBBER
    from instarecipe_desktop.pipeline.extraction.session import InstagramSession

    SessionVault(open_secret_store()).save(
        InstagramSession(
            username="chef.anna",
            source="firefox",
            cookies={"sessionid": "1001%3AscrubMEplease", "csrftoken": "csrfSCRUBME"},
        )
    )
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "cookie %s / %s / %s",
        ("1001%3AscrubMEplease", "1001:scrubMEplease", "csrfSCRUBME"),
        None,
    )
    SCRUBBER.filter(record)
    assert "scrubMEplease" not in record.getMessage()
    assert "csrfSCRUBME" not in record.getMessage()


def test_firefox_profiles_are_listed_default_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from instarecipe_desktop.pipeline.extraction.session import list_firefox_profiles

    home = tmp_path / "home"
    firefox = home / ".mozilla" / "firefox"
    make_firefox_profile(firefox / "a1.work", INSTAGRAM_COOKIES)
    (firefox / "b2.empty").mkdir(parents=True)
    elsewhere = make_firefox_profile(tmp_path / "elsewhere" / "c3.main", INSTAGRAM_COOKIES)
    (firefox / "profiles.ini").write_text(
        "[Install4F96D1932A9F858E]\nDefault=elsewhere\n\n"
        "[Profile0]\nName=work\nIsRelative=1\nPath=a1.work\n\n"
        "[Profile1]\nName=empty\nIsRelative=1\nPath=b2.empty\n\n"
        f"[Profile2]\nName=main\nIsRelative=0\nPath={elsewhere}\nDefault=1\n"
    )
    monkeypatch.setenv("HOME", str(home))
    profiles = list_firefox_profiles()
    assert [(p.name, p.default, p.has_cookies) for p in profiles] == [
        ("main", True, True),
        ("work", False, True),
        ("empty", False, False),
    ]
    assert profiles[0].path == elsewhere
    assert cli_main(["instagram", "import-session", "--list-profiles"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"main: {elsewhere} (default)"
    assert out[2].endswith("(no cookies)")


def test_a_missing_firefox_is_explained_for_the_window_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no Firefox profile anywhere
    with pytest.raises(SessionError) as info:
        read_browser_cookies("firefox")
    message = str(info.value)
    assert message.startswith("Firefox's cookies could not be read")
    # the settings dialog has no --profile option: the hint names the command it belongs to
    assert "with --profile" not in message
    assert "instarecipe-desktop instagram import-session --profile" in message
