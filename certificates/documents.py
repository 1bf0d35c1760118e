"""The certificate as an A4 PDF: the organiser's header, the holder, the event, the number and a
QR code of the public check link (drawn as vector squares, so it stays sharp when printed)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import build_pdf, pdf_paragraph, pdf_styles

from .models import Certificate
from .services import check_url

QR_SIZE_CM = 3.6


def role_phrase(certificate: Certificate) -> str:
    return {
        Certificate.Role.PARTICIPANT: _("took part in"),
        Certificate.Role.SPEAKER: _("spoke at"),
        Certificate.Role.ORGANISER: _("organised"),
    }[certificate.role]


def qr_drawing(url: str, size: float):
    """The QR code of `url` as a reportlab drawing `size` points wide, linked to the URL."""
    import segno
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors

    code = segno.make(url, error="m", micro=False)
    rows = list(code.matrix_iter(scale=1, border=4))
    cell = size / len(rows)
    drawing = Drawing(size, size)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                drawing.add(
                    Rect(
                        x * cell, size - (y + 1) * cell, cell, cell,
                        fillColor=colors.black, strokeColor=None,
                    )
                )  # fmt: skip
    return drawing


def _linked(flowable, url: str):
    """The flowable, with the area it covers opening `url` in a PDF reader."""
    from reportlab.platypus.flowables import Flowable

    class Linked(Flowable):
        def wrap(self, width, height):
            self.width, self.height = flowable.wrap(width, height)
            return self.width, self.height

        def draw(self):
            flowable.drawOn(self.canv, 0, 0)
            self.canv.linkURL(url, (0, 0, self.width, self.height), relative=1)

    return Linked()


def certificate_pdf(certificate: Certificate) -> bytes:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer, Table, TableStyle

    styles = pdf_styles()
    body = ParagraphStyle("CertBody", parent=styles["BodyText"], fontSize=12, leading=16,
                          alignment=TA_CENTER)  # fmt: skip
    org = ParagraphStyle("CertOrg", parent=body, fontName="DejaVu-Bold", fontSize=13)
    title = ParagraphStyle("CertTitle", parent=body, fontName="DejaVu-Bold", fontSize=30,
                           leading=36, spaceBefore=60, spaceAfter=6)  # fmt: skip
    name = ParagraphStyle("CertName", parent=body, fontName="DejaVu-Bold", fontSize=20,
                          leading=26, spaceBefore=14, spaceAfter=14)  # fmt: skip
    event = ParagraphStyle("CertEvent", parent=body, fontName="DejaVu-Bold", fontSize=15,
                           leading=20, spaceBefore=10, spaceAfter=6)  # fmt: skip
    small = ParagraphStyle("CertSmall", parent=body, fontSize=8, leading=10)
    left = ParagraphStyle("CertLeft", parent=body, alignment=TA_LEFT, fontSize=11)

    url = check_url(certificate)
    issued = timezone.localtime(certificate.issued_at)
    role = Certificate.Role(certificate.role).label
    date = certificate.event_date.strftime("%d.%m.%Y")
    story = [
        pdf_paragraph(certificate.organiser_name, org),
        pdf_paragraph(_("CERTIFICATE"), title),
        pdf_paragraph(_("No. %(number)s") % {"number": certificate.number}, body),
        pdf_paragraph(_("This certifies that"), body),
        pdf_paragraph(certificate.holder_name, name),
        pdf_paragraph(role_phrase(certificate), body),
        pdf_paragraph(f"«{certificate.event_title}»", event),
    ]
    if certificate.event_kind:
        story.append(pdf_paragraph(certificate.event_kind, body))
    story += [
        pdf_paragraph(_("Role: %(role)s") % {"role": role}, body),
        pdf_paragraph(_("Date of the event: %(date)s") % {"date": date}, body),
        Spacer(1, 1.2 * cm),
    ]
    size = QR_SIZE_CM * cm
    qr = _linked(qr_drawing(url, size), url)
    signature = Table(
        [
            [pdf_paragraph(_("Organiser"), left), ""],
            [pdf_paragraph("_______________________", left),
             pdf_paragraph(certificate.signer_name or "", left)],
            [pdf_paragraph(certificate.organiser_name, ParagraphStyle(
                "CertOrgSmall", parent=left, fontSize=9, leading=11)), ""],
            [pdf_paragraph(_("Issued on %(date)s") % {"date": issued.strftime("%d.%m.%Y")}, left),
             ""],
        ],
        colWidths=[6 * cm, 5 * cm],
    )  # fmt: skip
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    bottom = Table([[signature, qr]], colWidths=[12 * cm, size + 0.5 * cm])
    bottom.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    story += [
        bottom,
        Spacer(1, 0.3 * cm),
        pdf_paragraph(_("Check this certificate: %(url)s") % {"url": url}, small),
    ]
    if certificate.is_revoked:
        story.append(pdf_paragraph(_("This certificate has been revoked."), org))
    return build_pdf(
        story,
        _("Certificate %(number)s") % {"number": certificate.number},
        organisation=certificate.organiser_name,
        landscape=False,
    )
