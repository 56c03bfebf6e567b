"""review / approve / list --awaiting-review end to end, each in its own subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from tests.core.test_cli_queue import cli, lines
from tests.core.test_review import CAPTION, spanned_recipe

ALWAYS = {"REVIEW_BEFORE_SAVING": "always"}
LINK = "https://www.instagram.com/p/AAAAA1/"


def held_item(tmp_path: Path) -> tuple[str, Path]:
    record = tmp_path / "calls.jsonl"
    script = {"items": {"AAAAA1": {"text": CAPTION, "recipe": spanned_recipe()}}}
    item = lines(cli("add", LINK).stdout)[0]
    run = cli("run", "--until-idle", script={**script, "record": str(record)}, env=ALWAYS)
    assert run.returncode == 0, run.stderr  # --until-idle does not wait for the person
    assert "review    Pancakes" in run.stderr
    assert "1 ready for review" in run.stderr
    return item["id"], record


def uploaded(record: Path) -> list[dict]:
    return [c["recipe"] for c in lines(record.read_text()) if c.get("event") == "uploaded"]


def test_a_held_recipe_is_reviewed_edited_and_approved_from_the_cli(tmp_path: Path) -> None:
    item_id, record = held_item(tmp_path)
    assert uploaded(record) == []
    listed = json.loads(cli("list", "--awaiting-review").stdout)
    assert [i["id"] for i in listed["items"]] == [item_id]
    assert listed["items"][0]["awaitingReview"] is True
    assert listed["items"][0]["status"] == "pending"

    review = cli("review", item_id[:8])
    assert review.returncode == 0, review.stderr
    shown = json.loads(review.stdout)
    assert shown["awaitingReview"] is True and "always" in shown["reviewReason"]
    texts = {line["path"]: line["sourceText"] for line in shown["lines"]}
    assert texts["$.steps[0]"] == "Mix and fry."
    assert texts["$.steps[0].ingredients[0]"] == "200 g flour"

    shown["recipe"]["steps"][0]["ingredients"][0]["amount"] = 250
    shown["recipe"]["name"] = "Thin pancakes"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(shown), encoding="utf-8")  # the whole review output works
    approved = cli("approve", item_id, "--recipe-file", str(edited))
    assert approved.returncode == 0, approved.stderr
    assert json.loads(approved.stdout)["success"] is True
    assert json.loads(cli("list", "--awaiting-review").stdout)["total"] == 0

    cli("run", "--until-idle", script={"record": str(record)})
    assert json.loads(cli("show", item_id).stdout)["status"] == "success"
    [sent] = uploaded(record)
    assert sent["name"] == "Thin pancakes"
    assert sent["steps"][0]["ingredients"][0]["amount"] == 250

    again = cli("approve", item_id)
    assert again.returncode == 1
    assert "not waiting for review" in again.stderr and "already been saved" in again.stderr


def test_an_invalid_edit_is_refused_with_its_path_and_changes_nothing(tmp_path: Path) -> None:
    item_id, _record = held_item(tmp_path)
    before = json.loads(cli("show", item_id).stdout)
    recipe = spanned_recipe()
    recipe["steps"][0]["ingredients"][1]["amount"] = "two"
    refused = cli("approve", item_id, "--recipe-file", "-", stdin=json.dumps(recipe))
    assert refused.returncode == 2
    assert "$.steps[0].ingredients[1].amount" in refused.stderr
    assert "nothing changed" in refused.stderr and "Traceback" not in refused.stderr
    assert json.loads(refused.stdout)["path"] == "$.steps[0].ingredients[1].amount"
    not_json = cli("approve", item_id, "--recipe-file", "-", stdin="{oops")
    assert not_json.returncode == 2 and "not JSON" in not_json.stderr
    after = json.loads(cli("show", item_id).stdout)
    assert after["results"]["recipe"] == before["results"]["recipe"]
    assert after["awaitingReview"] is True


def test_review_of_an_item_without_a_recipe_is_refused() -> None:
    item = lines(cli("add", LINK).stdout)[0]
    result = cli("review", item["id"])
    assert result.returncode == 1 and "no parsed recipe" in result.stderr
    missing = cli("approve", "nothing-like-this")
    assert missing.returncode == 1 and "no queued item" in missing.stderr
