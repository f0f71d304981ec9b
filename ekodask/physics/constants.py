"""QCD colour factors and mathematical constants (double precision)."""

import numpy as np

__all__ = ["CA", "CF", "EULER_GAMMA", "LN2", "NC", "TR", "ZETA2", "ZETA3", "ZETA4", "ZETA5"]

NC = 3.0
CA = 3.0
CF = 4.0 / 3.0
TR = 0.5

ZETA2 = np.pi**2 / 6.0
ZETA3 = 1.2020569031595942
ZETA4 = np.pi**4 / 90.0
ZETA5 = 1.0369277551433699
EULER_GAMMA = 0.5772156649015329
LN2 = 0.6931471805599453
