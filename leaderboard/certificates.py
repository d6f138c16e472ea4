"""Certificates as official papers: their number, who issues them, and whether a certificate
still stands once its ranking has been republished.

A certificate is one prize row of one publication (``PublishedRow.code`` is its QR code). A
publication is immutable, so a certificate never changes; a republication (a newer version of
the same series) decides whether an older certificate still stands:

- the same subject holds the same prize in the current version: the certificate stays valid,
  with a note that a newer version exists (and a link to the certificate of that version);
- the prize changed or is gone: the certificate is revoked ("đã thu hồi"), with the reason in
  words and a link to the current certificate or, if none, to the current ranking.

See docs/certificates.md.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from contest.models import Attempt
from leaderboard.models import Publication, PublishedRow

VALID = "valid"
KEPT = "kept"  # valid; a newer version exists and gives the same prize
REVOKED = "revoked"


def certificate_number(row: PublishedRow) -> str:
    """The certificate's number ("số hiệu"): its publication and its line, so it is the same
    every time the certificate is printed, and differs between any two certificates."""
    return f"{row.publication_id}-{row.position:04d}/GCN"


def issuer_of(pub: Publication) -> dict:
    """Who issues the publication's papers, as copied at publication (older publications, with
    nothing copied, fall back to the contest's current settings)."""
    saved = pub.issuer or {}
    contest = pub.contest
    return {
        "organiser": saved.get("organiser", contest.organiser_name),
        "place": saved.get("place", contest.issue_place),
        "signer_title": saved.get("signer_title", contest.signer_title),
        "signer_name": saved.get("signer_name", contest.signer_name),
    }


def issuer_snapshot(contest) -> dict:
    """What ``ranking_publish`` copies into ``Publication.issuer``."""
    return {
        "organiser": contest.organiser_name,
        "place": contest.issue_place,
        "signer_title": contest.signer_title,
        "signer_name": contest.signer_name,
    }


@dataclass
class CertificateStatus:
    state: str
    current: Publication | None = None  # the series' current version, when this one is older
    current_row: PublishedRow | None = None  # the subject's line in it, if any
    reason: str = ""

    @property
    def revoked(self) -> bool:
        return self.state == REVOKED


def _disqualified(pub: Publication, row: PublishedRow) -> bool:
    if pub.is_units or not row.subject_id:
        return False
    return Attempt.objects.filter(student_id=row.subject_id, round__in=pub.rounds.all(), disqualified=True).exists()


def _current(pub: Publication) -> Publication | None:
    """The current version of ``pub``'s series, when ``pub`` is an older one."""
    if pub.superseded_at is None:
        return None
    return (
        Publication.objects.filter(contest_id=pub.contest_id, series=pub.series, superseded_at__isnull=True)
        .order_by("-version")
        .first()
    )


def revoked_rows(pub: Publication, rows) -> set[int]:
    """The ids of those of ``pub``'s certificate ``rows`` that are revoked (the rule of
    ``certificate_status``), in two queries however many rows: for printing an old version."""
    current = _current(pub)
    if current is None:
        return set()
    prizes = dict(
        current.rows.filter(subject_id__in=[r.subject_id for r in rows if r.subject_id]).values_list(
            "subject_id", "prize"
        )
    )
    return {r.pk for r in rows if r.subject_id not in prizes or prizes[r.subject_id] != r.prize}


def certificate_status(row: PublishedRow) -> CertificateStatus:
    """Whether ``row``'s certificate stands, judged against the current version of its series.

    Only the prize counts: a changed rank with the same prize keeps the certificate valid.
    The reason names what changed, the republication's public note and, for a pupil whose
    attempt the organisers disqualified, that fact (the review's own words stay internal).
    """
    pub = row.publication
    current = _current(pub)
    if current is None:
        return CertificateStatus(VALID)
    current_row = current.rows.filter(subject_id=row.subject_id).first() if row.subject_id else None
    if current_row is not None and current_row.prize == row.prize:
        return CertificateStatus(KEPT, current, current_row)
    if current_row is None:
        change = _("Phiên bản %(v)s của bảng xếp hạng không còn kết quả này.") % {"v": current.version}
    elif not current_row.prize:
        change = _("Phiên bản %(v)s không còn trao giải cho kết quả này.") % {"v": current.version}
    else:
        change = _("Phiên bản %(v)s đổi giải thành %(prize)s.") % {"v": current.version, "prize": current_row.prize}
    parts = [change]
    if _disqualified(pub, row):
        parts.append(_("Bài thi đã bị Ban tổ chức loại."))
    if current.note:
        parts.append(_("Ghi chú của lần công bố lại: %(note)s") % {"note": current.note})
    return CertificateStatus(REVOKED, current, current_row, " ".join(parts))
