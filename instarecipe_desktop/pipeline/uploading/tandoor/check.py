"""The "test connection" of the settings dialog and of `instarecipe-desktop tandoor check`.

The caller reads the token first (the keyring may block: in an executor for the GUI).
"""

from __future__ import annotations

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.pipeline.uploading.tandoor.client import (
    ConnectionCheck,
    TandoorClient,
    tls_verify,
)

NO_VERIFY_WARNING = (
    "Warning: Tandoor's TLS certificate is not verified (TANDOOR_VERIFY_TLS is "
    "off), so the connection can be intercepted."
)


async def check_tandoor(
    base_url: str,
    token: str | None,
    *,
    ca_bundle: str = "",
    verify_tls: bool = True,
    timeout: float = 10.0,
) -> ConnectionCheck:
    """One sentence on the state of the connection; never raises for a bad setting."""
    if not base_url.strip():
        return ConnectionCheck(
            "no_address", "No Tandoor address is set: recipes are saved in the local library."
        )
    try:
        verify = tls_verify(ca_bundle or None, verify_tls)
        client = TandoorClient(base_url, token, verify=verify, timeout=timeout)
    except PermanentError as exc:
        return ConnectionCheck("invalid_address", str(exc))
    try:
        check = await client.check_connection()
    finally:
        await client.aclose()
    if verify is False and check.ok:
        return ConnectionCheck(
            check.state, f"{check.message} {NO_VERIFY_WARNING}", check.server, check.write_confirmed
        )
    return check
