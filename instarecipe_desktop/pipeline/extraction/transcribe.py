"""Transcription of a video's speech through the configured OpenAI-compatible server.

``audio.transcriptions.create`` accepts the mp4 itself (up to 25 MB): no ffmpeg needed.
"""

from __future__ import annotations

from instarecipe_desktop.core.errors import PermanentError, RecoverableError


async def transcribe_video(
    video: bytes, *, base_url: str, api_key: str | None, model: str, timeout_s: float = 120.0
) -> str:
    """The transcript text; raises ``PhaseError`` with a plain message on failure."""
    import openai  # imported here: it takes about a second, and most runs never transcribe

    client = openai.AsyncOpenAI(
        base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=0
    )
    try:
        result = await client.audio.transcriptions.create(
            model=model, file=("clip.mp4", video, "video/mp4")
        )
    except openai.AuthenticationError:
        raise PermanentError(
            "The transcription server refused the API key.", code="transcription_auth"
        ) from None
    except (openai.NotFoundError, openai.BadRequestError) as exc:
        raise PermanentError(
            "The transcription server cannot transcribe this video "
            f"({exc.status_code}); check TRANSCRIPTION_MODEL.",
            code="transcription_unsupported",
        ) from None
    except openai.APITimeoutError:
        raise RecoverableError(
            "The transcription server did not answer in time.", code="transcription_timeout"
        ) from None
    except openai.APIConnectionError:
        raise RecoverableError(
            "The transcription server could not be reached.", code="transcription_network"
        ) from None
    except openai.APIError as exc:
        raise RecoverableError(
            f"The transcription failed ({type(exc).__name__}).", code="transcription_failed"
        ) from None
    finally:
        await client.close()
    text = getattr(result, "text", None)
    if not isinstance(text, str):
        raise RecoverableError(
            "The transcription server sent no text.", code="transcription_failed"
        )
    return text
