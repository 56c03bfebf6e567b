"""The person's Instagram session: imported from a browser, or from a password login.

Stored with the other secrets (``SecretStore``, key ``INSTAGRAM_SESSION``) as JSON of cookie
names and values, never as a pickle (instaloader's session files are pickles, and loading a
pickle from a path runs code). These functions block (sqlite, keyring, network): the GUI calls
them in an executor.
"""

from __future__ import annotations

import configparser
import http.cookiejar
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import instaloader.exceptions as ie

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.logging_setup import remember_secret
from instarecipe_desktop.core.secrets import INSTAGRAM_SESSION, SecretStore
from instarecipe_desktop.pipeline.extraction.browsers import (
    CHROMIUM_BASED,
    FIREFOX_BASED,
    SUPPORTED_BROWSERS,
)
from instarecipe_desktop.pipeline.extraction.errors import classify
from instarecipe_desktop.pipeline.extraction.loader import make_loader
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer

log = logging.getLogger(__name__)

_WHOAMI_QUERY_HASH = "d6f4427fbe92d846298cf93df0b937d3"  # what instaloader's test_login asks


class SessionError(Exception):
    """Importing or using a session failed; the message is for the person."""


@dataclass
class InstagramSession:
    username: str
    cookies: dict[str, str]
    source: str  # "firefox", "chrome", ..., or "login"
    savedAt: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    verified: bool = False  # Instagram confirmed the session when it was saved

    @property
    def user_id(self) -> str | None:
        return self.cookies.get("ds_user_id") or None

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "username": self.username,
                "cookies": self.cookies,
                "source": self.source,
                "savedAt": self.savedAt,
                "verified": self.verified,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> InstagramSession:
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("cookies"), dict):
            raise ValueError("not an Instagram session")
        cookies = {str(k): str(v) for k, v in data["cookies"].items()}
        if not cookies.get("sessionid"):
            raise ValueError("the session has no sessionid cookie")
        return cls(
            username=str(data.get("username") or ""),
            cookies=cookies,
            source=str(data.get("source") or "unknown"),
            savedAt=str(data.get("savedAt") or ""),
            verified=bool(data.get("verified")),
        )

    def fingerprint(self) -> str:
        return self.cookies.get("sessionid", "")[-12:] + self.username

    def remember_for_scrubbing(self) -> None:
        """The session cookie must never appear in a log line, in either spelling."""
        for name in ("sessionid", "csrftoken"):
            value = self.cookies.get(name)
            if value:
                remember_secret(value)
                remember_secret(unquote(value))


class SessionVault:
    """The session in the secret store."""

    def __init__(self, secrets: SecretStore) -> None:
        self._secrets = secrets

    def load(self) -> InstagramSession | None:
        raw = self._secrets.get(INSTAGRAM_SESSION)
        if not raw:
            return None
        try:
            session = InstagramSession.from_json(raw)
        except (ValueError, TypeError):
            log.warning("The stored Instagram session is unreadable and is ignored")
            return None
        session.remember_for_scrubbing()
        return session

    def save(self, session: InstagramSession) -> None:
        session.remember_for_scrubbing()
        self._secrets.set(INSTAGRAM_SESSION, session.to_json())

    def delete(self) -> None:
        self._secrets.delete(INSTAGRAM_SESSION)


# -- finding browser profiles --------------------------------------------------------------------

# where Firefox keeps profiles.ini: native, snap, flatpak (Linux), macOS, Windows
_FIREFOX_ROOTS = (
    ("firefox", "~/.mozilla/firefox"),
    ("firefox", "~/snap/firefox/common/.mozilla/firefox"),
    ("firefox", "~/.var/app/org.mozilla.firefox/.mozilla/firefox"),
    ("firefox", "~/Library/Application Support/Firefox"),
    ("firefox", "~/AppData/Roaming/Mozilla/Firefox"),
    ("librewolf", "~/.librewolf"),
    ("librewolf", "~/snap/librewolf/common/.librewolf"),
    ("librewolf", "~/.var/app/io.gitlab.librewolf-community/.librewolf"),
)


@dataclass(frozen=True)
class BrowserProfile:
    browser: str  # "firefox" or "librewolf"
    name: str
    path: Path
    default: bool
    has_cookies: bool


def list_firefox_profiles(browser: str | None = None) -> list[BrowserProfile]:
    """Firefox (and LibreWolf) profiles from their profiles.ini files, default ones first, for
    the person to pick from."""
    found: list[BrowserProfile] = []
    for root_browser, root_text in _FIREFOX_ROOTS:
        if browser is not None and root_browser != browser:
            continue
        root = Path(root_text).expanduser()
        ini = root / "profiles.ini"
        if not ini.is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(ini, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        installs = {parser[s].get("Default") for s in parser.sections() if s.startswith("Install")}
        for section in parser.sections():
            entry = parser[section]
            if not section.startswith("Profile") or "Path" not in entry:
                continue
            relative = entry.get("IsRelative", "1") == "1"
            path = root / entry["Path"] if relative else Path(entry["Path"])
            default = entry["Path"] in installs or entry.get("Default") == "1"
            found.append(
                BrowserProfile(
                    browser=root_browser,
                    name=entry.get("Name", entry["Path"]),
                    path=path,
                    default=default,
                    has_cookies=(path / "cookies.sqlite").is_file(),
                )
            )
    return sorted(found, key=lambda p: (not p.default, not p.has_cookies, p.name))


# -- reading a browser's cookies ------------------------------------------------------------------


def _cookie_file(browser: str, profile: Path | None) -> str | None:
    """The cookie database for an explicit profile folder or file; without one, the default
    Firefox profile that has cookies (None: let browser_cookie3 look)."""
    if profile is None:
        if browser in FIREFOX_BASED:
            usable = [p for p in list_firefox_profiles(browser) if p.has_cookies]
            if usable:
                return str(usable[0].path / "cookies.sqlite")
        return None
    profile = profile.expanduser()
    if profile.is_file():
        return str(profile)
    if not profile.is_dir():
        raise SessionError(f"{profile} does not exist.")
    names = ("cookies.sqlite",) if browser in FIREFOX_BASED else ("Network/Cookies", "Cookies")
    for name in names:
        if (profile / name).is_file():
            return str(profile / name)
    raise SessionError(
        f"No cookie database was found in {profile} (looked for {' or '.join(names)})."
    )


def _is_instagram_domain(domain: str) -> bool:
    host = domain.lstrip(".").lower()
    return host == "instagram.com" or host.endswith(".instagram.com")


def read_browser_cookies(browser: str, profile: Path | None = None) -> dict[str, str]:
    """Instagram's cookies from a browser profile (browser_cookie3 reads the stores; Chromium's
    are decrypted through the system keyring). Raises ``SessionError`` with a clear message."""
    import browser_cookie3  # imported here: only session import needs it

    browser = browser.lower()
    if browser not in SUPPORTED_BROWSERS:
        raise SessionError(
            f"{browser} is not supported; use one of: {', '.join(SUPPORTED_BROWSERS)}."
        )
    cookie_file = _cookie_file(browser, profile)
    reader: Callable[..., http.cookiejar.CookieJar] = getattr(browser_cookie3, browser)
    name = browser.capitalize()
    try:
        jar = reader(cookie_file=cookie_file, domain_name="instagram.com")
    except browser_cookie3.BrowserCookieError as exc:
        raise SessionError(
            f"{name}'s cookies could not be read: {exc}. Is {name} installed "
            "for this user, and are you logged in to Instagram in it? (A profile "
            "kept elsewhere: instarecipe-desktop instagram import-session "
            "--profile FOLDER in a terminal.)"
        ) from None
    except Exception as exc:  # sqlite3 errors, decryption failures, permission errors
        reason = f"{type(exc).__name__}: {exc}"
        if browser in CHROMIUM_BASED:
            raise SessionError(
                f"{name}'s cookies could not be read ({reason}). {name} encrypts them with a "
                "key from your desktop's keyring: run this inside your desktop session with "
                "the keyring unlocked, or log in with Firefox and import from there."
            ) from None
        raise SessionError(f"{name}'s cookies could not be read ({reason}).") from None
    cookies: dict[str, str] = {}
    for cookie in jar:
        if _is_instagram_domain(cookie.domain) and cookie.value and not cookie.is_expired():
            cookies[cookie.name] = cookie.value
    if not cookies.get("sessionid"):
        raise SessionError(
            f"You are not logged in to Instagram in {name} (no session cookie "
            f"found). Log in at instagram.com in {name}, then try again."
        )
    return cookies


# -- checking with Instagram ----------------------------------------------------------------------


@dataclass
class Verification:
    ok: bool | None  # True: Instagram confirmed it; False: logged out; None: could not check
    username: str | None = None
    problem: PhaseError | None = None


def verify_cookies(
    cookies: dict[str, str], pacer: RequestPacer, username: str | None = None
) -> Verification:
    """Ask Instagram who this session belongs to (one paced request)."""
    loader = make_loader(pacer, username=username, cookies=cookies)
    try:
        data = loader.context.graphql_query(_WHOAMI_QUERY_HASH, {})
    except Exception as exc:
        return Verification(ok=None, problem=classify(exc, logged_in=True))
    finally:
        loader.close()
    user = (data.get("data") or {}).get("user") if isinstance(data, dict) else None
    if not user:
        return Verification(ok=False)
    return Verification(ok=True, username=str(user.get("username") or "") or None)


def import_browser_session(
    browser: str,
    profile: Path | None,
    pacer: RequestPacer,
    *,
    username_hint: str = "",
    verify: bool = True,
) -> tuple[InstagramSession, Verification]:
    """Read the cookies, check them with Instagram when it can be reached, build the session.

    A session Instagram says is logged out is refused; one that could not be checked (no
    network, rate limited) is kept, marked unverified."""
    cookies = read_browser_cookies(browser, profile)
    check = (
        verify_cookies(cookies, pacer, username_hint or None) if verify else Verification(ok=None)
    )
    if check.ok is False:
        raise SessionError(
            f"Instagram says the {browser.capitalize()} session is logged out. "
            f"Log in at instagram.com in {browser.capitalize()}, then try again."
        )
    username = check.username or username_hint or f"user-{cookies.get('ds_user_id', 'unknown')}"
    session = InstagramSession(
        username=username, cookies=cookies, source=browser.lower(), verified=bool(check.ok)
    )
    return session, check


def login_with_password(
    username: str, password: str, pacer: RequestPacer, ask_two_factor_code: Callable[[], str | None]
) -> InstagramSession:
    """instaloader's scripted login; two-factor codes are asked for through the callback.

    Instagram often challenges scripted logins: the messages say to import the browser's
    session instead."""
    loader = make_loader(pacer)
    try:
        try:
            loader.login(username, password)
        except ie.TwoFactorAuthRequiredException:
            code = (ask_two_factor_code() or "").strip()
            if not code:
                raise SessionError(
                    "Instagram asks for a two-factor code and none was given."
                ) from None
            loader.two_factor_login(code)
        cookies: dict[str, Any] = loader.save_session()
    except SessionError:
        raise
    except ie.BadCredentialsException as exc:
        if "2fa" in str(exc).lower():
            raise SessionError("Instagram did not accept the two-factor code.") from None
        raise SessionError("Instagram did not accept the username or password.") from None
    except ie.LoginException as exc:
        text = str(exc)
        checkpoint = re.search(r"Point your browser to (\S+)", text)
        if checkpoint:
            url = checkpoint.group(1)
            if url.startswith("/"):
                url = "https://www.instagram.com" + url
            raise SessionError(
                f"Instagram wants to confirm it is really you. Open {url} in your browser and "
                "follow its instructions; then import the browser's session with: "
                "instarecipe-desktop instagram import-session --browser firefox"
            ) from None
        if "does not exist" in text:
            raise SessionError(f"There is no Instagram account named {username}.") from None
        raise SessionError(
            "Instagram refused the login (this often happens to scripted "
            "logins). Import the session from your browser instead: "
            "instarecipe-desktop instagram import-session --browser firefox"
        ) from None
    except Exception as exc:
        problem = classify(exc)
        raise SessionError(str(problem)) from None
    finally:
        loader.close()
    clean = {str(k): str(v) for k, v in cookies.items() if v}
    if not clean.get("sessionid"):
        raise SessionError(
            "Instagram did not hand out a session. Import the session from your browser instead."
        )
    return InstagramSession(username=username, cookies=clean, source="login", verified=True)
