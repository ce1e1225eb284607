"""The errors every ``WorkspaceRepository`` raises, worded once, so the in-memory fake and
the SQLite workspace tell the user the same thing (the contract tests hold both to it)."""

from __future__ import annotations

from agenda.errors import NotFoundError, StaleEditError, WorkspaceError
from agenda.model import Attachment, CaseId, MeetingId
from agenda.records import SentVersionId


def case_not_found(case_id: CaseId) -> NotFoundError:
    return NotFoundError(f"Sagen med id {case_id} findes ikke i arbejdsområdet.")


def meeting_not_found(meeting_id: MeetingId) -> NotFoundError:
    return NotFoundError(
        f"Mødet med id {meeting_id} findes ikke i arbejdsområdet. "
        "Se listen over møder (kommandoen »meetings«)."
    )


def blob_not_found(sha256: str) -> NotFoundError:
    return NotFoundError(f"Bilagsfilen {sha256[:12]}… findes ikke i arbejdsområdet.")


def sent_version_not_found(version_id: SentVersionId) -> NotFoundError:
    return NotFoundError(
        f"Den udsendte version med id {version_id} findes ikke i arbejdsområdet. "
        "Se listen over mødets udsendte versioner."
    )


def sent_file_not_found(version_id: SentVersionId, name: str) -> NotFoundError:
    return NotFoundError(f"Den udsendte version {version_id} har ingen fil med navnet »{name}«.")


def attachment_without_file(attachment: Attachment) -> NotFoundError:
    return NotFoundError(
        f"Bilaget »{attachment.title}« ({attachment.file_name}) har ingen fil i "
        "arbejdsområdet. Tilføj filen igen."
    )


def case_number_in_use(reference: str, other_title: str, path: str | None) -> WorkspaceError:
    return WorkspaceError(
        f"Sagsnummeret {reference} bruges allerede af sagen »{other_title}«. "
        "Ret sagsnummeret, eller brug den eksisterende sag.",
        path=path,
    )


def stale_meeting() -> StaleEditError:
    return StaleEditError(
        "Punktet er ændret et andet sted – genindlæs mødet, og lav din ændring igen. "
        "Intet er overskrevet."
    )
