"""LLM_VISION: a caption without a recipe is read again with the post's pictures, as image
content parts (base64 data URLs, capped), against the fake server's vision model; a model that
refuses pictures is said in words, the text stands, and it is not sent pictures again."""

from __future__ import annotations

import base64
from pathlib import Path

import openai
import pytest

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.phases import Extraction
from instarecipe_desktop.pipeline.parsing.llm.vision import (
    MAX_PICTURE_BYTES,
    MAX_PICTURES,
)
from tests.fakes.fake_llm import FakeLLM, image_parts
from tests.parsing.llm.conftest import POST_URL, MakeParser, RecordingContext

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 500
RECIPE_PICTURE = (
    b"\xff\xd8\xff\xe0" + b"[on-screen]Shakshuka for two\n2 eggs[/on-screen]" + b"\x00" * 300
)
NO_RECIPE_CAPTION = "Dinner tonight 😍 swipe ➡️ #shakshuka #brunch"


def carousel(data_dir: Path, *pictures: bytes, code: str = "C0ffee12345") -> list[str]:
    media = data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    names = []
    for index, data in enumerate(pictures):
        name = f"media/{code}.jpg" if index == 0 else f"media/{code}-{index + 1}.jpg"
        (data_dir / name).write_bytes(data)
        names.append(name)
    return names


def extraction(text: str, pictures: list[str]) -> Extraction:
    return Extraction(
        text=text,
        post={"url": POST_URL, "pictures": pictures},
        thumbnail=pictures[0] if pictures else None,
    )


@pytest.fixture
def ctx(tmp_path: Path) -> RecordingContext:
    return RecordingContext(data_dir=tmp_path)


def logs(ctx: RecordingContext) -> list[str]:
    return [message for _level, message in ctx.lines]


async def test_a_recipe_shown_only_on_the_pictures_is_read_through_the_vision_model(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    pictures = carousel(ctx.data_dir, JPEG, RECIPE_PICTURE, JPEG)
    fake_llm.script({"fault": "no_recipe"})  # the caption alone holds no recipe
    outcome = await make_parser(vision=True).parse(ctx, extraction(NO_RECIPE_CAPTION, pictures))

    assert outcome.recipe.name == "Shakshuka for two"  # only the picture says so
    assert outcome.recipe.image == "media/C0ffee12345.jpg"
    text_call, picture_call = fake_llm.chat_requests
    assert image_parts(text_call["json"]) == []
    sent = picture_call["json"]["messages"][-1]["content"]
    assert sent[0]["type"] == "text" and NO_RECIPE_CAPTION in sent[0]["text"]
    assert [p["type"] for p in sent[1:]] == ["image_url"] * 3
    assert sent[2]["image_url"]["url"] == (
        "data:image/jpeg;base64," + base64.b64encode(RECIPE_PICTURE).decode()
    )
    assert image_parts(picture_call["json"]) == [JPEG, RECIPE_PICTURE, JPEG]
    assert any("The caption holds no recipe: sending 3 picture(s)" in m for m in logs(ctx))
    assert "Read the recipe from the post's pictures (3 sent)." in logs(ctx)


async def test_without_llm_vision_no_picture_leaves_the_computer(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    pictures = carousel(ctx.data_dir, JPEG, RECIPE_PICTURE)
    fake_llm.script({"fault": "no_recipe"})
    with pytest.raises(PermanentError) as info:
        await make_parser().parse(ctx, extraction(NO_RECIPE_CAPTION, pictures))
    assert info.value.code == "no_recipe"
    assert len(fake_llm.chat_requests) == 1
    assert all(image_parts(r["json"]) == [] for r in fake_llm.chat_requests)


async def test_a_caption_with_a_recipe_sends_no_pictures(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    pictures = carousel(ctx.data_dir, JPEG, RECIPE_PICTURE)
    outcome = await make_parser(vision=True).parse(ctx, extraction("Pancakes: flour...", pictures))
    assert outcome.recipe.name == "Fluffy Pancakes"
    assert len(fake_llm.chat_requests) == 1
    assert image_parts(fake_llm.chat_requests[0]["json"]) == []


async def test_a_post_without_caption_sends_its_pictures_at_once(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    pictures = carousel(ctx.data_dir, RECIPE_PICTURE)
    outcome = await make_parser(vision=True).parse(ctx, extraction("", pictures))
    assert outcome.recipe.name == "Shakshuka for two"
    [request] = fake_llm.chat_requests
    assert image_parts(request["json"]) == [RECIPE_PICTURE]
    assert any(m.startswith("The post has no caption: sending 1 picture(s)") for m in logs(ctx))


async def test_pictures_that_show_no_recipe_either(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    pictures = carousel(ctx.data_dir, JPEG, JPEG)
    fake_llm.script({"fault": "no_recipe"})
    with pytest.raises(PermanentError) as info:
        await make_parser(vision=True).parse(ctx, extraction(NO_RECIPE_CAPTION, pictures))
    assert info.value.code == "no_recipe"
    assert "The pictures show no recipe either." in logs(ctx)


async def test_a_model_that_refuses_pictures_is_said_in_words_and_remembered(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.configure(vision=False)  # a text-only model: image parts -> 400
    pictures = carousel(ctx.data_dir, JPEG, RECIPE_PICTURE)
    parser = make_parser(vision=True)
    fake_llm.script({"fault": "no_recipe"})
    with pytest.raises(PermanentError) as info:
        await parser.parse(ctx, extraction(NO_RECIPE_CAPTION, pictures))
    assert info.value.code == "no_recipe"  # the text's answer stands, not an LLM error
    assert len(fake_llm.chat_requests) == 2
    refused = [m for level, m in ctx.lines if level == "warning" and "does not accept" in m]
    assert refused and "image_url is only supported by certain models" in refused[0]
    assert "Only the text was read." in refused[0]
    assert "does not read pictures" in (info.value.suggestion or "")

    again = RecordingContext(data_dir=ctx.data_dir)
    fake_llm.script({"fault": "no_recipe"})
    with pytest.raises(PermanentError):
        await parser.parse(again, extraction(NO_RECIPE_CAPTION, pictures))
    assert len(fake_llm.chat_requests) == 3  # the text only: pictures are not sent again
    assert image_parts(fake_llm.chat_requests[-1]["json"]) == []

    # a caption with a recipe still works with the same parser
    outcome = await parser.parse(RecordingContext(data_dir=ctx.data_dir), extraction("x", pictures))
    assert outcome.recipe.name == "Fluffy Pancakes"


async def test_what_is_sent_is_capped_and_the_log_says_what_was_left_out(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    big = b"\xff\xd8\xff\xe0" + b"\x00" * (MAX_PICTURE_BYTES + 1)
    pictures = carousel(ctx.data_dir, JPEG, big, b"<html>not a picture</html>", RECIPE_PICTURE)
    pictures += carousel(ctx.data_dir, *([JPEG] * 6), code="Other000001")  # 10 in all
    (ctx.data_dir.parent / "outside.jpg").write_bytes(JPEG)
    pictures.insert(1, "../outside.jpg")
    fake_llm.script({"fault": "no_recipe"})
    outcome = await make_parser(vision=True).parse(ctx, extraction(NO_RECIPE_CAPTION, pictures))
    assert outcome.recipe.name == "Shakshuka for two"
    sent = image_parts(fake_llm.chat_requests[-1]["json"])
    assert sent == [JPEG, RECIPE_PICTURE]  # of the first five: two usable pictures
    left_out = [m for m in logs(ctx) if m.startswith("A picture was not sent")]
    assert any(f"only the first {MAX_PICTURES} are sent" in m for m in left_out)
    assert any("outside the data folder" in m for m in left_out)
    assert any("MB (at most 4 MB are sent)" in m for m in left_out)
    assert any("is not a JPEG, PNG, WebP or GIF picture" in m for m in left_out)


async def test_no_picture_on_disk_means_no_picture_call(
    fake_llm: FakeLLM, make_parser: MakeParser, ctx: RecordingContext
) -> None:
    fake_llm.script({"fault": "no_recipe"})
    with pytest.raises(PermanentError):
        await make_parser(vision=True).parse(
            ctx, extraction(NO_RECIPE_CAPTION, ["media/gone.jpg", "media/gone-2.jpg"])
        )
    assert len(fake_llm.chat_requests) == 1
    assert "No picture of the post could be sent to the model." in logs(ctx)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://example.org/picture.jpg", "not a base64 data URL"),
        ("data:image/jpeg;base64,@@@notbase64", "base64 data is broken"),
        ("data:image/png;base64," + base64.b64encode(JPEG).decode(), "not a image/png picture"),
        ("data:text/plain;base64,aGVsbG8=", "not a base64 data URL"),
    ],
)
async def test_the_fake_refuses_image_parts_as_openai_does(
    fake_llm: FakeLLM, url: str, words: str
) -> None:
    client = openai.AsyncOpenAI(base_url=fake_llm.base_url, api_key="k", max_retries=0)
    try:
        with pytest.raises(openai.BadRequestError) as info:
            await client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "What is on it?"},
                            {"type": "image_url", "image_url": {"url": url}},
                        ],
                    }
                ],
            )
    finally:
        await client.close()
    assert words in str(info.value)
