"""Settings read the environment strictly, and the demo is not installed in production."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from conftest import CHECKOUT
from tsunagu.lib.env import env_bool, env_int

# Variables the settings read that the tests' own environment might set.
SETTINGS_VARIABLES = ("DEBUG", "SECRET_KEY", "TSUNAGU_DEMO", "SESSION_IDLE_TIMEOUT")


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", " on "])
def test_it_reads_yes(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "FALSE", "no", "off"])
def test_it_reads_no(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", default=True) is False


@pytest.mark.parametrize("default", [True, False])
def test_it_takes_the_default_when_unset_or_empty(monkeypatch, default):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", default) is default
    monkeypatch.setenv("SOME_FLAG", "")
    assert env_bool("SOME_FLAG", default) is default


@pytest.mark.parametrize("raw", ["ture", "yes please", "2", "ｙｅｓ"])
def test_it_refuses_a_flag_it_cannot_read(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("SOME_FLAG")
    assert "SOME_FLAG" in str(refused.value) and repr(raw.strip()) in str(refused.value)


def test_it_reads_whole_numbers(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", " 45 ")
    assert env_int("SOME_NUMBER", 3) == 45
    monkeypatch.delenv("SOME_NUMBER")
    assert env_int("SOME_NUMBER", 3) == 3


@pytest.mark.parametrize("raw", ["30m", "1.5", "1e3", "１０", "-"])
def test_it_refuses_a_number_it_cannot_read(monkeypatch, raw):
    monkeypatch.setenv("SOME_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_int("SOME_NUMBER", 3)
    assert "SOME_NUMBER" in str(refused.value) and "整数" in str(refused.value)


def test_it_refuses_a_number_below_the_minimum(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured) as refused:
        env_int("SOME_NUMBER", 3, minimum=1)
    assert "1 以上" in str(refused.value)


def load_settings(code: str, **variables) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter, with only `variables` set among theirs."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(variables, DJANGO_SETTINGS_MODULE="tsunagu.settings")
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings\n{code}"],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_typo_in_debug_stops_the_start():
    loaded = load_settings("settings.DEBUG", DEBUG="ture")
    assert loaded.returncode != 0
    assert "ImproperlyConfigured" in loaded.stderr and "DEBUG" in loaded.stderr
    assert "'ture'" in loaded.stderr


def test_a_typo_in_a_number_stops_the_start():
    loaded = load_settings("settings.SESSION_IDLE_TIMEOUT", SESSION_IDLE_TIMEOUT="30m")
    assert loaded.returncode != 0 and "SESSION_IDLE_TIMEOUT" in loaded.stderr


INSTALLED = "print('tsunagu.demo' in settings.INSTALLED_APPS, settings.DEMO)"
PRODUCTION_KEY = "Jq3v9-XkP2mR7tLw4ZbN8yHc6dFs1gUe5aVo0iTn_KjQ2xMp7rWs"


def test_production_does_not_install_the_demo():
    loaded = load_settings(INSTALLED, SECRET_KEY=PRODUCTION_KEY)
    assert loaded.stdout.split() == ["False", "False"], loaded.stderr


def test_the_demo_is_installed_when_asked_for():
    loaded = load_settings(INSTALLED, SECRET_KEY=PRODUCTION_KEY, TSUNAGU_DEMO="1")
    assert loaded.stdout.split() == ["True", "True"], loaded.stderr


def test_the_development_key_installs_the_demo():
    assert load_settings(INSTALLED).stdout.split() == ["True", "True"]
    assert load_settings(INSTALLED, TSUNAGU_DEMO="0").stdout.split() == ["False", "False"]
