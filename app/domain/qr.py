"""QR codes as SVG, drawn on the server (no image library, no JavaScript, no remote service).

A class's join link as a QR code: a phone's camera opens it, so a class joins from a
projector or a printed sheet without typing the code.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgPathFillImage


def qr_svg(text: str) -> str:
    """An SVG document of ``text`` as a QR code: dark modules on a white background with
    the standard quiet zone, scaled by its ``viewBox`` (sized by the page that shows it).

    Medium error correction: a code on a projector or a creased sheet still reads.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4,
                         image_factory=SvgPathFillImage)
    code.add_data(text)
    code.make(fit=True)
    svg: str = code.make_image().to_string(encoding="unicode")
    return svg
