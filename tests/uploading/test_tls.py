"""A self-signed HTTPS Tandoor: works with its CA file, fails in words without, and the
explicit "do not verify" switch works with a warning."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.pipeline.uploading.tandoor import (
    TandoorClient,
    TandoorUploader,
    UploadRecords,
    check_tandoor,
    tls_verify,
)
from tests.fakes.fake_tandoor import TOKEN, V2, V15, FakeTandoor
from tests.uploading.conftest import make_context, make_extraction, sample_recipe


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(params=[V2, V15], ids=["tandoor-2.6", "tandoor-1.5"])
def https_tandoor(request: pytest.FixtureRequest, authority: trustme.CA) -> Iterator[FakeTandoor]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with FakeTandoor(request.param, ssl_context=context) as server:
        yield server


@pytest.fixture
def ca_file(tmp_path: Path, authority: trustme.CA) -> str:
    path = tmp_path / "my-ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


async def test_ca_bundle_makes_self_signed_tandoor_work(
    https_tandoor: FakeTandoor, ca_file: str, data_dir: Path
) -> None:
    assert https_tandoor.base_url.startswith("https://")
    client = TandoorClient(https_tandoor.base_url, TOKEN, verify=tls_verify(ca_file, True))
    check = await client.check_connection()
    assert check.ok, check.message
    records = UploadRecords(data_dir / "records.sqlite3")
    uploader = TandoorUploader(client, records)
    try:
        outcome = await uploader.upload(
            make_context(data_dir), sample_recipe(), make_extraction(data_dir)
        )
    finally:
        await uploader.aclose()
        records.close()
    assert outcome.url.startswith(https_tandoor.base_url)
    assert outcome.recipe_id in https_tandoor.recipes


async def test_untrusted_certificate_is_a_clear_permanent_error(
    https_tandoor: FakeTandoor, data_dir: Path
) -> None:
    client = TandoorClient(https_tandoor.base_url, TOKEN, verify=tls_verify(None, True))
    check = await client.check_connection()
    assert check.state == "tls"
    assert "not trusted" in check.message and "TANDOOR_CA_BUNDLE" in check.message
    records = UploadRecords(data_dir / "records.sqlite3")
    uploader = TandoorUploader(client, records)
    try:
        with pytest.raises(PermanentError) as caught:
            await uploader.upload(
                make_context(data_dir), sample_recipe(), make_extraction(data_dir)
            )
    finally:
        await uploader.aclose()
        records.close()
    assert caught.value.code == "tandoor_tls"
    assert https_tandoor.recipes == {}


async def test_no_verify_switch_works_and_warns(
    https_tandoor: FakeTandoor, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        verify = tls_verify(None, False)
    assert verify is False
    assert any("verification" in r.getMessage() and "off" in r.getMessage() for r in caplog.records)
    client = TandoorClient(https_tandoor.base_url, TOKEN, verify=verify)
    try:
        check = await client.check_connection()
    finally:
        await client.aclose()
    assert check.ok


def test_missing_ca_file_is_said_in_words(tmp_path: Path) -> None:
    with pytest.raises(PermanentError) as caught:
        tls_verify(str(tmp_path / "nope.pem"), True)
    assert caught.value.code == "tandoor_config"
    assert "nope.pem" in caught.value.message


async def test_check_tandoor_says_every_setting_problem(
    https_tandoor: FakeTandoor, tmp_path: Path, ca_file: str
) -> None:
    ok = await check_tandoor(https_tandoor.base_url, TOKEN, ca_bundle=ca_file)
    assert ok.ok and ok.write_confirmed
    unverified = await check_tandoor(https_tandoor.base_url, TOKEN, verify_tls=False)
    assert unverified.ok and "not verified" in unverified.message
    bad_ca = await check_tandoor(
        https_tandoor.base_url, TOKEN, ca_bundle=str(tmp_path / "missing.pem")
    )
    assert bad_ca.state == "invalid_address" and "missing.pem" in bad_ca.message
    nothing = await check_tandoor("  ", TOKEN)
    assert nothing.state == "no_address" and "local library" in nothing.message
    bad_address = await check_tandoor("recipes.example.org", TOKEN)
    assert bad_address.state == "invalid_address"
