"""Shared test set-up."""

import os

# One BLAS thread: results must be bitwise equal across schedulers, and the 2-core CI machine
# runs Dask workers beside the test process.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")


import pytest  # noqa: E402

SMALL_XGRID = [1e-3, 1e-2, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]
"""A coarse grid for tests of the plumbing (not of the physics)."""


@pytest.fixture
def small_cards():
    """LO theory and an operator card on :data:`SMALL_XGRID` with two points (10, 100 GeV^2)."""
    from ekodask.cards import load_cards

    return load_cards(
        {"order": 1}, {"xgrid": SMALL_XGRID, "interpolation_degree": 2, "mu2grid": [10.0, 100.0]}
    )


@pytest.fixture
def small_card_files(tmp_path, small_cards):
    """:func:`small_cards` written as YAML files: (theory path, operator path)."""
    import yaml

    t, o = tmp_path / "theory.yaml", tmp_path / "operator.yaml"
    t.write_text(yaml.safe_dump(small_cards[0].to_dict()))
    o.write_text(yaml.safe_dump(small_cards[1].to_dict()))
    return str(t), str(o)
