"""The LLM recipe parser: one chat call per recipe, one repair call when the answer is unusable.

Structured output is asked for with ``response_format`` json_schema. With ``LLM_VISION`` a post
whose caption holds no recipe is asked again with its pictures (``vision``); a model that
refuses pictures is remembered and asked with the text only from then on. A server that refuses it
(400 naming response_format / json_schema) is asked again in JSON mode, and one that refuses
that too (LM Studio) with the shape in the prompt only; the client remembers what worked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from instarecipe_desktop.core.errors import PermanentError, PhaseError
from instarecipe_desktop.core.phases import Extraction, ParseOutcome, PhaseContext
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.secrets import SecretReader
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.parsing.llm.answer import InvalidAnswer, read_answer
from instarecipe_desktop.pipeline.parsing.llm.client import LLMConfig, make_client
from instarecipe_desktop.pipeline.parsing.llm.errors import (
    SETTINGS_HINT,
    address_problem,
    classify,
    is_response_format_refusal,
)
from instarecipe_desktop.pipeline.parsing.llm.mapping import to_recipe
from instarecipe_desktop.pipeline.parsing.llm.prompt import (
    ResponseMode,
    post_message,
    repair_message,
    system_message,
)
from instarecipe_desktop.pipeline.parsing.llm.schema import LLMRecipe, response_format_json_schema
from instarecipe_desktop.pipeline.parsing.llm.vision import (
    Pictures,
    is_image_refusal,
    load_pictures,
    picture_paths,
    refusal_words,
    with_pictures,
)

NO_RECIPE_MESSAGE = "No recipe found in this post."
MAX_DETAILS_CHARS = 20_000
_MODES = tuple(ResponseMode)


@dataclass
class _Usage:
    model: str  # as the server reports it (OpenAI: the snapshot, e.g. gpt-4o-mini-2024-07-18)
    prompt: int = 0
    completion: int = 0
    total: int = 0
    reported: bool = False
    calls: int = 0  # answered calls

    def add(self, completion: ChatCompletion) -> None:
        self.calls += 1
        if completion.model:
            self.model = completion.model
        if completion.usage is None:
            return
        self.reported = True
        self.prompt += completion.usage.prompt_tokens or 0
        self.completion += completion.usage.completion_tokens or 0
        self.total += completion.usage.total_tokens or 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "promptTokens": self.prompt if self.reported else None,
            "completionTokens": self.completion if self.reported else None,
            "totalTokens": self.total if self.reported else None,
        }


class _PicturesRefused(Exception):
    """The server refused the request that carried pictures (see ``vision.is_image_refusal``)."""

    def __init__(self, words: str) -> None:
        super().__init__(words)
        self.words = words


@dataclass
class _Reply:
    content: str | None
    finish_reason: str | None


@dataclass
class ConnectionCheck:
    """Result of ``test_connection`` for the settings dialog."""

    ok: bool
    message: str
    models: list[str] = field(default_factory=list)


def _model_matches(wanted: str, available: str) -> bool:
    # Ollama lists "llama3.1:latest" and accepts "llama3.1"
    return available == wanted or available == f"{wanted}:latest"


class LLMRecipeParser:
    """``RecipeParser`` for any OpenAI-compatible chat completions server."""

    def __init__(self, config: LLMConfig, client: openai.AsyncOpenAI | None = None) -> None:
        self.config = config
        self._client = client
        self._mode = ResponseMode.JSON_SCHEMA  # steps down once when the server refuses it
        self._model = config.model
        self._pictures_refused: str | None = None  # the server's words when it refused pictures

    @classmethod
    def from_settings(cls, settings: Settings, secrets: SecretReader) -> LLMRecipeParser:
        return cls(LLMConfig.from_settings(settings, secrets))

    @property
    def client(self) -> openai.AsyncOpenAI:
        if self._client is None:
            self._client = make_client(self.config)
        return self._client

    @property
    def response_mode(self) -> ResponseMode:
        return self._mode

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()

    # --- the phase ------------------------------------------------------------------------------

    async def parse(self, ctx: PhaseContext, extraction: Extraction) -> ParseOutcome:
        text = extraction.text.strip()
        pictures = self._pictures_to_send(extraction)
        if not text and not pictures:
            raise PermanentError(
                NO_RECIPE_MESSAGE,
                code="no_recipe",
                suggestion="The post has no text. Paste the recipe text into the item and retry.",
            )
        problem = address_problem(self.config.base_url)
        if problem is not None:
            raise problem
        model = await self._resolve_model()
        usage = _Usage(model=model)
        ctx.progress(10, f"Asking {model}")
        answer: LLMRecipe | None = None
        try:
            if text:
                answer = await self._ask(ctx, model, text, usage)
            if (answer is None or not answer.hasRecipe) and pictures:
                answer = await self._ask_with_pictures(ctx, model, text, pictures, usage) or answer
        finally:
            self._log_usage(ctx, usage)
        if answer is None or not answer.hasRecipe:
            suggestion = (
                "If the recipe is in the comments or the video, paste its text into the item "
                "and retry."
            )
            if pictures and self._pictures_refused is not None:
                suggestion = (
                    f"The model {model} does not read pictures: choose one that does in "
                    f"Settings → LLM and retry, or paste the recipe's text. {suggestion}"
                )
            raise PermanentError(NO_RECIPE_MESSAGE, code="no_recipe", suggestion=suggestion)
        ctx.progress(90, "Checking the recipe")
        return ParseOutcome(recipe=self._recipe(answer, ctx, extraction), usage=usage.as_dict())

    def _pictures_to_send(self, extraction: Extraction) -> list[str]:
        """The post's downloaded pictures when LLM_VISION is on and the model took them."""
        if not self.config.vision or self._pictures_refused is not None:
            return []
        return picture_paths(extraction.post, extraction.thumbnail)

    async def _ask_with_pictures(
        self, ctx: PhaseContext, model: str, text: str, relatives: list[str], usage: _Usage
    ) -> LLMRecipe | None:
        """The pictures with the text (the caption held no recipe, or there is none). None
        when nothing could be sent or the model refuses pictures (remembered: not again)."""
        pictures = await asyncio.get_running_loop().run_in_executor(
            None, load_pictures, ctx.data_dir, relatives
        )
        for reason in pictures.left_out:
            ctx.log(f"A picture was not sent: {reason}.", "info")
        if not pictures:
            ctx.log("No picture of the post could be sent to the model.", "warning")
            return None
        why = "The caption holds no recipe" if text else "The post has no caption"
        ctx.log(
            f"{why}: sending {len(pictures)} picture(s) ({pictures.total_bytes / 1e6:.1f} MB) "
            f"with the text to {model} to read the recipe shown on them."
        )
        ctx.progress(50, "Reading the pictures")
        try:
            answer = await self._ask(ctx, model, text, usage, pictures=pictures)
        except _PicturesRefused as refused:
            self._pictures_refused = refused.words
            ctx.log(
                f"The model {model} does not accept pictures (the server said: {refused.words})."
                + (" Only the text was read." if text else "")
                + " Pictures are not sent to it again until the LLM settings change; choose a "
                "model that reads images, or turn off LLM_VISION.",
                "warning",
            )
            return None
        if answer.hasRecipe:
            ctx.log(f"Read the recipe from the post's pictures ({len(pictures)} sent).")
        else:
            ctx.log("The pictures show no recipe either.", "info")
        return answer

    async def _ask(
        self,
        ctx: PhaseContext,
        model: str,
        text: str,
        usage: _Usage,
        *,
        pictures: Pictures | None = None,
    ) -> LLMRecipe:
        """One call; when its answer is unusable, one repair call with the problem named."""
        content: str | list[dict[str, Any]] = post_message(text)
        if pictures is not None:
            content = with_pictures(post_message(text), pictures)
        conversation: list[dict[str, Any]] = [{"role": "user", "content": content}]
        reply = await self._chat(model, conversation, usage)
        try:
            return read_answer(reply.content, reply.finish_reason)
        except InvalidAnswer as first:
            ctx.log(
                f"The model's answer was unusable ({first.problem}); asking it to repair "
                "the answer.",
                "warning",
            )
            ctx.progress(60, "Asking the model to correct its answer")
            conversation += [
                {"role": "assistant", "content": reply.content or ""},
                {"role": "user", "content": repair_message(first.problem)},
            ]
            repaired = await self._chat(model, conversation, usage)
            try:
                return read_answer(repaired.content, repaired.finish_reason)
            except InvalidAnswer as second:
                raise PermanentError(
                    "The LLM did not give a usable recipe.",
                    suggestion="Retry, or choose a larger model in Settings → LLM. The model's "
                    "answer is in the details.",
                    code="llm_invalid_output",
                    details=self._invalid_details(reply, first, repaired, second),
                ) from None

    def _recipe(self, answer: LLMRecipe, ctx: PhaseContext, extraction: Extraction) -> Recipe:
        source = extraction.post.get("url") or ctx.item.url or None
        return to_recipe(
            answer,
            source_url=source,
            image=extraction.thumbnail,
            language=self.config.language,
            text=extraction.text,
        )

    @staticmethod
    def _invalid_details(
        first: _Reply, first_problem: InvalidAnswer, second: _Reply, second_problem: InvalidAnswer
    ) -> str:
        text = (
            f"First answer ({first_problem.problem}):\n{first.content or ''}\n\n"
            f"Corrected answer ({second_problem.problem}):\n{second.content or ''}"
        )
        return text[:MAX_DETAILS_CHARS]

    @staticmethod
    def _log_usage(ctx: PhaseContext, usage: _Usage) -> None:
        if usage.calls == 0:
            return
        if usage.reported:
            ctx.log(
                f"LLM {usage.model}: {usage.prompt} prompt + {usage.completion} completion "
                f"= {usage.total} tokens"
            )
        else:
            ctx.log(f"LLM {usage.model}: the server reported no token usage")

    # --- one chat call, stepping down the response modes ----------------------------------------

    async def _chat(self, model: str, conversation: list[dict[str, Any]], usage: _Usage) -> _Reply:
        carries_pictures = any(isinstance(m.get("content"), list) for m in conversation)
        while True:
            mode = self._mode
            try:
                completion = await self.client.chat.completions.create(
                    model=model,
                    messages=[
                        {"role": "system", "content": system_message(mode, self.config.language)},
                        *conversation,  # type: ignore[list-item]
                    ],
                    temperature=0,
                    **self._format_argument(mode),
                )
            except openai.APIStatusError as exc:
                if is_response_format_refusal(exc) and mode is not ResponseMode.PROMPT:
                    self._mode = _MODES[_MODES.index(mode) + 1]
                    continue
                if carries_pictures and is_image_refusal(exc):
                    raise _PicturesRefused(refusal_words(exc)) from None
                raise self._error(exc) from None
            except openai.OpenAIError as exc:
                raise self._error(exc) from None
            except ValueError:  # a 200 whose body is not JSON (the SDK's json.JSONDecodeError)
                raise self._not_openai("its answer is not JSON") from None
            return self._reply(completion, usage)

    @staticmethod
    def _format_argument(mode: ResponseMode) -> dict[str, Any]:
        if mode is ResponseMode.JSON_SCHEMA:
            return {"response_format": response_format_json_schema()}
        if mode is ResponseMode.JSON_OBJECT:
            return {"response_format": {"type": "json_object"}}
        return {}

    def _not_openai(self, details: str) -> PermanentError:
        return PermanentError(
            f"The server at {self.config.base_url} did not answer like an OpenAI-compatible "
            "server.",
            suggestion="Check the address in Settings → LLM (it usually ends in /v1).",
            code="llm_bad_server",
            details=details[:2000],
        )

    def _reply(self, completion: Any, usage: _Usage) -> _Reply:
        if not isinstance(completion, ChatCompletion) or not completion.choices:
            raise self._not_openai(str(completion))
        usage.add(completion)
        choice = completion.choices[0]
        # the SDK does not validate answers: a choice without a message, or content that is
        # not a string, arrives as such (the soak's hostile servers sent both)
        message = getattr(choice, "message", None)
        content = getattr(message, "content", None)
        if message is None or (content is not None and not isinstance(content, str)):
            raise self._not_openai(str(choice))
        refusal = getattr(message, "refusal", None)
        if refusal and not content:
            raise PermanentError(
                "The LLM refused to read this post.",
                code="llm_refused",
                suggestion="Try another model in Settings → LLM.",
                details=str(refusal),
            )
        return _Reply(content=content, finish_reason=getattr(choice, "finish_reason", None))

    def _error(self, exc: openai.OpenAIError) -> PhaseError:
        return classify(
            exc, base_url=self.config.base_url, model=self._model or "", api_key=self.config.api_key
        )

    # --- model choice and the settings dialog's check -------------------------------------------

    async def _list_models(self) -> list[str]:
        page = await self.client.models.list()
        return sorted(model.id for model in page.data)

    async def _resolve_model(self) -> str:
        """The configured model, or the server's only one when none is configured."""
        if self._model:
            return self._model
        try:
            models = await self._list_models()
        except openai.OpenAIError as exc:
            raise self._error(exc) from None
        if len(models) == 1:
            self._model = models[0]
            return self._model
        listed = ", ".join(models[:10]) if models else "none"
        raise PermanentError(
            "No LLM model is chosen.",
            suggestion=f"Choose one in Settings → LLM (the server offers: {listed}).",
            code="llm_no_model",
        )

    async def test_connection(self) -> ConnectionCheck:
        """Lists the server's models (or, without a model list, makes a tiny call)."""
        problem = address_problem(self.config.base_url)
        if problem is not None:
            return ConnectionCheck(False, str(problem))
        try:
            models = await self._list_models()
        except openai.NotFoundError:
            return await self._test_with_chat()
        except openai.OpenAIError as exc:
            return ConnectionCheck(False, str(self._error(exc)))
        model = self._model
        if not model:
            if len(models) == 1:
                return ConnectionCheck(
                    True,
                    f"Connected. The server offers one model, {models[0]}, which will be used.",
                    models,
                )
            return ConnectionCheck(
                False,
                "Connected, but no model is chosen. The server "
                f"offers: {', '.join(models[:20]) or 'none'}.",
                models,
            )
        if models and not any(_model_matches(model, m) for m in models):
            shown = ", ".join(models[:20])
            return ConnectionCheck(
                False,
                f"Connected, but the server has no model '{model}'. It offers: {shown}.",
                models,
            )
        return ConnectionCheck(True, f"Connected. Model '{model}' is available.", models)

    async def _test_with_chat(self) -> ConnectionCheck:
        if not self._model:
            return ConnectionCheck(
                False, f"The server does not list its models; enter the model name. {SETTINGS_HINT}"
            )
        try:
            await self.client.chat.completions.create(
                model=self._model,
                max_tokens=5,
                messages=[{"role": "user", "content": "Reply with OK."}],
            )
        except openai.OpenAIError as exc:
            return ConnectionCheck(False, str(self._error(exc)))
        return ConnectionCheck(True, f"Connected. Model '{self._model}' answered.")
