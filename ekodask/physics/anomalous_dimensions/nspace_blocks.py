"""Building blocks of the authors' N-space results: 1/(N+k), S_{m1..mj}(N+k), colour factors.

The generated modules ``polarized/_mvv_nspace.py`` and ``time_like/_amv_nspace.py`` are
transcriptions (tools/form_to_python.py) of the FORM files of Moch, Vermaseren, Vogt et al.;
they are written in terms of an object ``v`` of this class. A formula valid at even (odd)
integer N is continued to complex N with the harmonic sums S(N+k) continued from even (odd)
integers N (Glück-Reya-Vogt Z. Phys. C48 (1990) 471; harmonics.S), i.e. (-1)^(N+k) -> eta.
"""

import numpy as np
import numpy.typing as npt

from .. import harmonics
from ..constants import CA, CF, NC, ZETA2, ZETA3, ZETA4, ZETA5

__all__ = ["DABC2_NC", "NSpaceBlocks"]

CArray = npt.NDArray[np.complex128]

# d^abc d_abc / n_c for SU(n_c): (n_c^2 - 1)(n_c^2 - 4)/n_c^2 = 40/9 in QCD
DABC2_NC = (NC**2 - 1.0) * (NC**2 - 4.0) / NC**2


class NSpaceBlocks:
    """Memoised 1/(n+k) and S_indices(n+k) at one complex array n.

    ``even``: the integers the formula holds at (True: even N, False: odd N). ``fl02`` is the
    flavour factor of the d^abc d_abc / n_c terms and ``dabc2n`` the value of that colour
    factor in the file's normalisation (files differ in how they write it).
    """

    ca = CA
    cf = CF
    z2, z3, z4, z5 = ZETA2, ZETA3, ZETA4, ZETA5

    def __init__(self, n, nf: int, even: bool, fl02: float = 0.0, dabc2n: float = DABC2_NC) -> None:
        self.n = np.asarray(n, dtype=np.complex128)
        self.nf = float(nf)
        self.fl02 = float(fl02)
        self.dabc2n = float(dabc2n)
        self.even = bool(even)
        self._den: dict[int, CArray] = {}
        self._sums: dict[tuple[tuple[int, ...], int], CArray] = {}

    def d(self, k: int) -> CArray:
        """1/(n + k)."""
        if k not in self._den:
            self._den[k] = 1.0 / (self.n + k)
        return self._den[k]

    def s(self, indices: tuple[int, ...], k: int) -> CArray:
        """S_indices(n + k), continued from the integers of parity (N + k)."""
        key = (tuple(indices), k)
        if key not in self._sums:
            even = self.even if k % 2 == 0 else not self.even
            self._sums[key] = harmonics.S(key[0], self.n + k, even)
        return self._sums[key]
