"""`manage.py check --deploy` with production settings (DEBUG off, secrets from the environment) is silent,
and production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**base, "SIMASN_ENV": "prod", "SIMASN_VAR_DIR": str(tmp_path), **env},
    )


def test_check_deploy_prints_no_warnings(tmp_path):
    result = _manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="uji-" + "k9X2pQ7vR4mZ8wL1nB6cT3yH5jF0dS" * 2, ALLOWED_HOSTS="simasn.kendarikota.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage(tmp_path, "check", ALLOWED_HOSTS="simasn.kendarikota.go.id")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_collectstatic_hashes_every_file(tmp_path):
    """The manifest storage rewrites every reference inside CSS/JS; a dangling one (a vendored file's
    sourceMappingURL without its .map) would stop the deployment."""
    result = _manage(
        tmp_path, "collectstatic", "--noinput", "--verbosity", "0",
        SECRET_KEY="uji-" + "k9X2pQ7vR4mZ8wL1nB6cT3yH5jF0dS" * 2, ALLOWED_HOSTS="simasn.kendarikota.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles" / "staticfiles.json").exists()
