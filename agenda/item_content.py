"""An item's content as the agenda prints it: texts, case number and bilag.

Today an item's content is its case's (``AgendaItem.case``); issue 14 gives each item
its own. The change list and its ``apply`` read and write an item's content only
through these functions, so that move is made here alone.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from agenda.model import AgendaItem, Attachment, Case, TextSection


def item_texts(item: AgendaItem) -> dict[TextSection, str]:
    """The text sections the documents print (blank ones are not printed)."""
    if item.case is None:
        return {}
    return {s: t for s, t in item.case.texts.items() if t.strip()}


def item_reference(item: AgendaItem) -> str:
    return item.case.reference if item.case else ""


def item_attachments(item: AgendaItem) -> tuple[Attachment, ...]:
    return item.attachments


def _case(item: AgendaItem) -> Case:
    """The item's case, or a new one to hold content given to an item without one."""
    return item.case or Case(title=item.title, kind=item.kind)


def with_text(item: AgendaItem, section: TextSection, text: str) -> AgendaItem:
    case = _case(item)
    texts = {s: t for s, t in case.texts.items() if s is not section}
    if text:
        texts[section] = text
    return replace(item, case=replace(case, texts=MappingProxyType(texts)))


def with_reference(item: AgendaItem, reference: str) -> AgendaItem:
    return replace(item, case=replace(_case(item), reference=reference))


def with_attachments(item: AgendaItem, attachments: tuple[Attachment, ...]) -> AgendaItem:
    if item.case is None and not attachments:
        return item
    return replace(item, case=replace(_case(item), attachments=attachments))
