"""Small security parts with no models: one-time codes (TOTP) and the Content Security Policy.

TOTP is RFC 6238 over RFC 4226 (HMAC-SHA1, 30-second steps, 6 digits), the variant every
authenticator app speaks. It is short enough to write here instead of adding a dependency.
"""

import base64
import hashlib
import hmac
import os
import struct
import time
import unicodedata
from urllib.parse import quote, urlencode

from django.conf import settings

STEP_SECONDS = 30
DIGITS = 6

# Nothing from outside the site: the system runs on closed networks (LGWAN), and a page that
# may only load its own files cannot be made to run a script or send data somewhere else.
DEFAULT_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def new_totp_secret() -> str:
    """A random 160-bit key in base32, the length RFC 4226 recommends for HMAC-SHA1."""
    return base64.b32encode(os.urandom(20)).decode("ascii")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: the code for one counter value, with leading zeros."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def totp_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp(secret: str, at: float | None = None, digits: int = DIGITS) -> str:
    """RFC 6238: the code an authenticator app shows at `at` (Unix seconds; default now)."""
    return hotp(_key(secret), totp_step(at), digits)


def normalize_code(code: str) -> str:
    """What people type: full-width digits from a Japanese IME, spaces, a hyphen in the middle."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", code or "") if ch not in " -")


def matching_totp_step(secret: str, code: str, at: float | None = None, window: int = 1):
    """The time step whose code this is, within ±`window` steps of `at` for clock drift; else None.

    The step lets the caller refuse a code that was already used (RFC 6238 §5.2).
    """
    code = normalize_code(code)
    if not secret or len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    key = _key(secret)
    current = totp_step(at)
    for step in range(max(0, current - window), current + window + 1):
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def otpauth_uri(secret: str, account: str, issuer: str) -> str:
    """The URI that authenticator apps read (Key Uri Format), usually shown as a QR code."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def group_secret(secret: str) -> str:
    """The key in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to every response (Django 5.2 has none built in).

    settings.CONTENT_SECURITY_POLICY replaces the policy; a view that set its own keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CONTENT_SECURITY_POLICY)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


def qr_code_svg(text: str) -> str:
    """`text` (an otpauth:// URI) as an inline SVG QR code, drawn on the server: the page
    loads nothing from outside, and an authenticator app scans it instead of typing the key."""
    import segno  # Only the two-factor set-up page needs it.

    return segno.make(text, error="m").svg_inline(
        scale=4, border=4, title="認証アプリで読み取るQRコード", dark="#000", light="#fff"
    )
