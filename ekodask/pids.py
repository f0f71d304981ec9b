"""The flavour basis of every operator: the 14 PDG ids of the contract, in its order."""

__all__ = ["PIDS"]

PIDS: tuple[int, ...] = (22, -6, -5, -4, -3, -2, -1, 21, 1, 2, 3, 4, 5, 6)
