"""Reading settings from the environment, strictly.

A value that cannot be read stops the start with a message naming the variable, instead of
quietly meaning something else: DEBUG=ture used to be read as "no", SESSION_IDLE_TIMEOUT=30m
as a crash deep inside Django's start-up.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting: 1/0, true/false, yes/no or on/off (any case). Unset or empty: default."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"環境変数 {name} の値 {raw!r} を読めません。"
        "1 か 0（true/false、yes/no、on/off も可）で指定してください。"
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number of at least `minimum`. Unset or empty: default."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.lstrip("-").isdigit()):
        raise ImproperlyConfigured(
            f"環境変数 {name} の値 {raw!r} を読めません。半角数字の整数で指定してください。"
        )
    value = int(raw)
    if value < minimum:
        raise ImproperlyConfigured(
            f"環境変数 {name} の値 {raw!r} が小さすぎます。{minimum} 以上で指定してください。"
        )
    return value


def env_list(name: str, default: str) -> list[str]:
    """Comma-separated words; empty items are dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
