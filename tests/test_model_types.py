"""``mypy --strict`` on the model layer (the ``[tool.mypy]`` override for ``drillsim.model.*`` in pyproject.toml)."""

from __future__ import annotations

import pytest

from helpers import ROOT


def test_the_model_layer_type_checks_strictly(tmp_path):
    api = pytest.importorskip("mypy.api")
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path), str(ROOT / "drillsim" / "model")])
    assert status == 0, out + err
    assert "Success" in out
