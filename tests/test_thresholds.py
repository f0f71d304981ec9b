"""Thresholds and nf at a scale: the one tolerance, the upper patch, the valid choices."""

import math

import pytest

from ekodask.thresholds import RTOL, nf_at, nf_choices, on_threshold, thresholds_mu2

# LHA thresholds (hep-ph/0204316): m_c = sqrt(2), m_b = 4.5, m_t = 175 GeV, ratios 1
THR = thresholds_mu2((math.sqrt(2.0), 4.5, 175.0), (1.0, 1.0, 1.0))


def test_thresholds_mu2_are_squares_of_ratio_times_mass():
    assert THR == pytest.approx((2.0, 20.25, 30625.0), rel=1e-15)
    assert thresholds_mu2((1.5, 4.5, 175.0), (2.0, 0.5, 1.0)) == (9.0, 5.0625, 30625.0)


@pytest.mark.parametrize(
    ("mu2", "nf"), [(1.0, 3), (1.99, 3), (2.0, 4), (10.0, 4), (20.25, 5), (100.0, 5), (4e4, 6)]
)
def test_nf_at_counts_thresholds_at_or_below(mu2, nf):
    assert nf_at(mu2, THR) == nf


def test_within_the_tolerance_is_on_the_threshold():
    # (sqrt 2)^2 = 2.0000000000000004 and the plain 2.0 are the same threshold
    assert THR[0] != 2.0 and on_threshold(2.0, THR) and nf_at(2.0, THR) == 4
    assert on_threshold(20.25 * (1 + 0.5 * RTOL), THR)
    assert not on_threshold(20.25 * (1 + 10 * RTOL), THR)
    assert nf_at(20.25 * (1 - 10 * RTOL), THR) == 4


def test_nf_choices_on_and_off_a_threshold():
    assert nf_choices(2.0, THR) == (3, 4)
    assert nf_choices(20.25, THR) == (4, 5)
    assert nf_choices(10.0, THR) == (4,)
    assert nf_choices(1.0, THR, nf_min=4) == (4,)
