"""Pure-numpy physics kernels: functions of (N, nf, a_s, ...), no Dask, no Zarr, no cards."""
