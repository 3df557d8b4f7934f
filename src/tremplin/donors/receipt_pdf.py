"""The receipt as a PDF (reportlab): the fields of Cerfa n° 11580*05, in French (the form
is a French tax document whatever the donor's language), its text extractable (standard
fonts), a cancelled receipt stamped as such."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from tremplin.donors.models import Receipt

FORMS_FR = {
    "authentic_deed": "Acte authentique",
    "private_deed": "Acte sous seing privé",
    "manual_gift": "Déclaration de don manuel",
    "other": "Autres",
}
NATURES_FR = {"cash": "Numéraire"}
METHODS_FR = {
    "cash": "Remise d'espèces",
    "cheque": "Chèque",
    "transfer_card": "Virement, prélèvement, carte bancaire",
}
MARGIN = 20 * mm
WIDTH, HEIGHT = A4


def euros(value) -> str:
    """1234.5 → « 1 234,50 € » (French format, whatever the active language)."""
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} €"


def date_fr(value) -> str:
    return value.strftime("%d/%m/%Y")


class _Writer:
    def __init__(self, pdf: canvas.Canvas) -> None:
        self.pdf = pdf
        self.y = HEIGHT - MARGIN

    def line(self, text: str, *, size: float = 10, bold: bool = False, gap: float = 2) -> None:
        font = "Helvetica-Bold" if bold else "Helvetica"
        for part in simpleSplit(text, font, size, WIDTH - 2 * MARGIN) or [""]:
            if self.y < MARGIN + size:
                self.pdf.showPage()
                self.y = HEIGHT - MARGIN
            self.pdf.setFont(font, size)
            self.pdf.drawString(MARGIN, self.y, part)
            self.y -= size + gap

    def field(self, label: str, value: str) -> None:
        self.line(f"{label} : {value}")

    def heading(self, text: str) -> None:
        self.y -= 6
        self.line(text, size=11, bold=True)
        self.pdf.setLineWidth(0.5)
        self.pdf.line(MARGIN, self.y + 9, WIDTH - MARGIN, self.y + 9)
        self.y -= 2


def render_receipt(receipt: Receipt) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Reçu fiscal n° {receipt.order_number}")
    pdf.setAuthor(receipt.beneficiary_name)
    pdf.setSubject("Cerfa n° 11580*05")
    w = _Writer(pdf)
    w.line("Reçu au titre des dons à certains organismes d'intérêt général", size=14, bold=True)
    w.line(f"Article(s) {receipt.articles} du code général des impôts — Cerfa n° 11580*05")
    w.y -= 4
    w.line(f"Numéro d'ordre du reçu : {receipt.order_number}", size=12, bold=True)

    w.heading("Bénéficiaire des versements")
    w.field("Nom ou dénomination", receipt.beneficiary_name)
    if receipt.beneficiary_identifier:
        w.field("N° SIREN ou RNA", receipt.beneficiary_identifier)
    w.field("Adresse", receipt.beneficiary_address)
    w.field("Objet", receipt.beneficiary_purpose)

    w.heading("Donateur")
    w.field("Nom et prénom(s)", receipt.donor_name)
    w.field("Adresse", receipt.donor_address)

    w.heading("Don")
    w.line(
        "Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit "
        f"à réduction d'impôt, la somme de : {euros(receipt.amount)}"
    )
    w.field("Somme en toutes lettres", receipt.amount_in_words)
    if receipt.reward_deducted:
        w.line(
            f"Montant versé : {euros(receipt.gift_amount)}, dont la valeur de la contrepartie "
            f"reçue par le donateur, {euros(receipt.reward_value)}, est déduite."
        )
    w.field("Date du versement ou du don", date_fr(receipt.gift_date))
    w.line(
        "Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit "
        f"ouvrent droit à la réduction d'impôt prévue à l'article {receipt.articles} du CGI."
    )
    w.field("Forme du don", FORMS_FR.get(receipt.gift_form, receipt.gift_form))
    w.field("Nature du don", NATURES_FR.get(receipt.gift_nature, receipt.gift_nature))
    w.field("Mode de versement", METHODS_FR.get(receipt.payment_method, receipt.payment_method))

    w.heading("Date et signature")
    w.field("Date d'émission", date_fr(receipt.issued_at.date()))
    w.field("Signature", receipt.signatory)

    if receipt.cancelled:
        w.y -= 10
        w.line(
            f"REÇU ANNULÉ le {date_fr(receipt.cancelled_at.date())} : le don a été remboursé. "
            "Ce reçu n'ouvre droit à aucune réduction d'impôt.",
            size=12,
            bold=True,
        )
        pdf.saveState()
        pdf.setFont("Helvetica-Bold", 60)
        pdf.setFillGray(0.85)
        pdf.translate(WIDTH / 2, HEIGHT / 2)
        pdf.rotate(35)
        pdf.drawCentredString(0, 0, "ANNULÉ")
        pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def filename(receipt: Receipt) -> str:
    return f"recu-fiscal-{receipt.order_number}.pdf"
