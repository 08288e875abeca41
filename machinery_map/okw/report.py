"""What an Open Know-Where import tells the person who ran it: counts, skipped records and notes."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ImportNote:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class OkwImportReport:
    dry_run: bool
    files: int = 0
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    machines_created: int = 0
    machines_updated: int = 0
    machines_unchanged: int = 0
    machines_removed: int = 0
    skipped: list[ImportNote] = field(default_factory=list)
    machines_skipped: list[ImportNote] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)

    @property
    def summary(self) -> str:
        counts = {
            "records": self.records,
            "files": self.files,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "m_created": self.machines_created,
            "m_updated": self.machines_updated,
            "m_unchanged": self.machines_unchanged,
            "m_removed": self.machines_removed,
            "m_skipped": len(self.machines_skipped),
            "notes": len(self.notes),
        }
        text = (
            _(
                "%(records)d facilities read from %(files)d file(s): %(created)d created, "
                "%(updated)d updated, %(unchanged)d unchanged, %(skipped)d skipped. Machines: "
                "%(m_created)d created, %(m_updated)d updated, %(m_unchanged)d unchanged, "
                "%(m_removed)d removed, %(m_skipped)d skipped. %(notes)d notes."
            )
            % counts
        )
        if self.dry_run:
            return _("Dry run, nothing written. %(text)s") % {"text": text}
        return text
