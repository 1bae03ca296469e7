"""``.ci/run`` points the reference-data tests at ``../shared/data`` only where that folder
exists, and says which way it went (a fresh clone without it must not fail 34 tests)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / ".ci" / "run"


def _refdata_block() -> str:
    text = RUN.read_text()
    start, end = text.index("# >>> refdata"), text.index("# <<< refdata")
    return text[start:end]


def _run_block(cwd: Path, env_value: str | None) -> tuple[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ALLIANCEKIT_TEST_DATA"}
    if env_value is not None:
        env["ALLIANCEKIT_TEST_DATA"] = env_value
    script = (
        "set -euo pipefail\n" + _refdata_block() + '\necho "VALUE=${ALLIANCEKIT_TEST_DATA:-}"\n'
    )
    r = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    value = r.stdout.strip().splitlines()[-1].removeprefix("VALUE=")
    return r.stdout, value


@pytest.mark.parametrize("with_shared", [True, False])
def test_ci_sets_refdata_only_where_it_is(tmp_path, with_shared):
    clone = tmp_path / "clone"
    clone.mkdir()
    if with_shared:
        (tmp_path / "shared" / "data").mkdir(parents=True)
    out, value = _run_block(clone, None)
    if with_shared:
        assert value == str((tmp_path / "shared" / "data").resolve())
        assert "found beside the checkout" in out
    else:
        assert value == ""
        assert "unset" in out and "skip" in out


def test_ci_keeps_a_value_set_before(tmp_path):
    out, value = _run_block(tmp_path, "/somewhere/data")
    assert value == "/somewhere/data" and "set before" in out
