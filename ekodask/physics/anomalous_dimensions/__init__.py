"""QCD anomalous dimensions gamma(n) = -Mellin[P](n), order by order in a_s = alpha_s/(4 pi)."""
