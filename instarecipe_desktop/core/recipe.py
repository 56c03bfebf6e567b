"""The structured recipe the parsing phase produces and the uploading phase sends.

JSON form is camelCase (the scorer in shared/eval reads exactly this shape)::

    {"name", "description", "servings", "servingsText", "workingTime", "waitingTime",
     "keywords": [str], "language", "sourceUrl", "image",
     "confidence"?, "uncertainReasons"?,
     "steps": [{"instruction", "name"?, "time"?, "source",
                "ingredients": [{"amount", "amountMax"?, "unit", "food", "note", "originalText",
                                 "isHeader", "noAmount", "source", "confidence"?}]}]}

``source`` is where a line came from: ``{"start", "end"}``, character offsets into the item's
``results.extractedText`` (the text the parser read) such that ``text[start:end]`` is that line or
sentence; ``null`` when nothing in the text supports it (the line is *inferred*).
``confidence`` (0-1) is how sure the parser is; ``uncertainReasons`` (words, for the person) make
a recipe *uncertain*: the review step holds it instead of saving it blindly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceSpan:
    """``extracted_text[start:end]`` is the line or sentence a recipe line came from."""

    start: int
    end: int

    def to_json(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, data: Any) -> SourceSpan | None:
        if not isinstance(data, dict):
            return None
        start, end = data.get("start"), data.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end:
            return None
        return cls(start=start, end=end)


def _span_json(span: SourceSpan | None) -> dict[str, int] | None:
    return span.to_json() if span is not None else None


@dataclass
class Ingredient:
    food: str | None
    amount: float | None = None  # None: no amount ("salt to taste")
    unit: str | None = None
    note: str | None = None
    original_text: str | None = None
    is_header: bool = False  # a section title inside the list, e.g. "For the sauce" (in ``food``)
    amount_max: float | None = None  # upper bound when a range was written ("2-3 cloves")
    source: SourceSpan | None = None  # None: inferred, nothing in the text supports it
    confidence: float | None = None  # 0-1, how sure the parser is of this line

    @property
    def no_amount(self) -> bool:
        return self.amount is None and not self.is_header

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "amount": self.amount,
            "unit": self.unit,
            "food": self.food,
            "note": self.note,
            "originalText": self.original_text,
            "isHeader": self.is_header,
            "noAmount": self.no_amount,
            "source": _span_json(self.source),
        }
        if self.amount_max is not None:
            data["amountMax"] = self.amount_max
        if self.confidence is not None:
            data["confidence"] = self.confidence
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ingredient:
        amount = data.get("amount")
        return cls(
            food=data.get("food"),
            amount=float(amount) if amount is not None else None,
            unit=data.get("unit") or None,
            note=data.get("note") or None,
            original_text=data.get("originalText") or None,
            is_header=bool(data.get("isHeader", False)),
            amount_max=float(data["amountMax"]) if data.get("amountMax") is not None else None,
            source=SourceSpan.from_json(data.get("source")),
            confidence=data.get("confidence"),
        )


@dataclass
class Step:
    instruction: str
    ingredients: list[Ingredient] = field(default_factory=list)
    name: str | None = None
    time: int | None = None  # minutes
    source: SourceSpan | None = None  # None: inferred

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "instruction": self.instruction,
            "ingredients": [i.to_json() for i in self.ingredients],
            "source": _span_json(self.source),
        }
        if self.name:
            data["name"] = self.name
        if self.time is not None:
            data["time"] = self.time
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Step:
        return cls(
            instruction=data.get("instruction") or "",
            ingredients=[Ingredient.from_json(i) for i in data.get("ingredients") or []],
            name=data.get("name") or None,
            time=data.get("time"),
            source=SourceSpan.from_json(data.get("source")),
        )


@dataclass
class Recipe:
    name: str
    steps: list[Step] = field(default_factory=list)
    description: str | None = None
    servings: int | None = None
    servings_text: str | None = None
    working_time: int | None = None  # minutes
    waiting_time: int | None = None  # minutes
    keywords: list[str] = field(default_factory=list)
    language: str | None = None  # BCP 47 code, e.g. "en", "de"
    source_url: str | None = None
    image: str | None = None  # path of the image in the data dir, or a URL
    confidence: float | None = None  # 0-1: how sure the parser is that this is a recipe
    uncertain_reasons: list[str] = field(default_factory=list)  # non-empty: hold for review

    @property
    def uncertain(self) -> bool:
        return bool(self.uncertain_reasons)

    @property
    def ingredients(self) -> list[Ingredient]:
        return [i for step in self.steps for i in step.ingredients]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "servings": self.servings,
            "servingsText": self.servings_text,
            "workingTime": self.working_time,
            "waitingTime": self.waiting_time,
            "keywords": list(self.keywords),
            "language": self.language,
            "sourceUrl": self.source_url,
            "image": self.image,
            "steps": [s.to_json() for s in self.steps],
            **({"confidence": self.confidence} if self.confidence is not None else {}),
            **(
                {"uncertainReasons": list(self.uncertain_reasons)} if self.uncertain_reasons else {}
            ),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recipe:
        return cls(
            name=data.get("name") or "",
            steps=[Step.from_json(s) for s in data.get("steps") or []],
            description=data.get("description") or None,
            servings=data.get("servings"),
            servings_text=data.get("servingsText") or None,
            working_time=data.get("workingTime"),
            waiting_time=data.get("waitingTime"),
            keywords=list(data.get("keywords") or []),
            language=data.get("language") or None,
            source_url=data.get("sourceUrl") or None,
            image=data.get("image") or None,
            confidence=data.get("confidence"),
            uncertain_reasons=[str(r) for r in data.get("uncertainReasons") or []],
        )
