"""``mypy --strict`` on the model layer (the ``[tool.mypy]`` override for ``drillsim.model.*`` in pyproject.toml)."""

from __future__ import annotations

import pytest

from helpers import ROOT


def test_the_model_layer_type_checks_strictly():
    api = pytest.importorskip("mypy.api")
    # mypy's own incremental cache, the one `mypy drillsim/model drillsim/engine` (CI's next step)
    # and a developer's mypy use: it re-checks every file whose contents changed and everything
    # that depends on one, so the verdict is a cold run's; only unchanged dependencies (pydantic,
    # most of the 10 s of a cold run) are read back instead of analysed again.
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache"), str(ROOT / "drillsim" / "model")])
    assert status == 0, out + err
    assert "Success" in out
