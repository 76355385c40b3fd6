"""Move the file store between the filesystem and the database (`flask portal move-files`).

Each file the database refers to is copied as it is stored (still encrypted, chunk by chunk),
the copy is decrypted and checked against the SHA-256 the database recorded, and only then is
the original deleted. A run that stops half-way can simply be run again: a file already in
the target is checked and kept. Files without a database row stay where they are; check-storage
names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.documents import storage
from portal.documents.integrity import recorded_files


@dataclass
class MoveReport:
    moved: int = 0
    already_there: int = 0
    failed: list[str] = field(default_factory=list)
    left_behind: int = 0  # files in the source that no row refers to

    @property
    def ok(self) -> bool:
        return not self.failed


def move_files(target_name: str) -> MoveReport:
    """Move every recorded file from the other store into `target_name`."""
    source_name = next(name for name in ("filesystem", "database") if name != target_name)
    source, target = storage.store_named(source_name), storage.store_named(target_name)
    report, files = MoveReport(), recorded_files()
    in_source, in_target = source.keys(), target.keys()
    for what, key, sha256 in files:
        problem = _move_one(source, target, key, sha256, key in in_source, key in in_target,
                            report)
        if problem:
            report.failed.append(f"{what} ({key[:12]}…): {problem}")
    report.left_behind = len(in_source - {key for _, key, _ in files})
    return report


def _move_one(source, target, key: str, sha256: str, in_source: bool, in_target: bool,
              report: MoveReport) -> str | None:
    """Copy, check, then delete the original; returns what went wrong, if anything."""
    if in_target and _intact(target, key, sha256):
        if in_source:
            source.delete(key)
        report.already_there += 1
        return None
    if in_target:
        target.delete(key)  # a damaged copy from an earlier run: copy it again
    if not in_source:
        return "ontbreekt in beide opslagen"
    sealed = source.read(key)
    try:
        target.write(key, sealed.header, (chunk for chunk, _ in sealed.chunks))
    except storage.StorageError as error:
        target.delete(key)
        return f"onleesbaar in de bron ({error}); het origineel is bewaard"
    if not _intact(target, key, sha256):
        target.delete(key)
        return "de kopie klopt niet met het controlegetal; het origineel is bewaard"
    source.delete(key)
    report.moved += 1
    return None


def _intact(where, key: str, sha256: str) -> bool:
    try:
        storage.verify(key, sha256, where=where)
    except storage.StorageError:
        return False
    return True
