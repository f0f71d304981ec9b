"""ekodask: DGLAP Evolution Kernel Operators as a Dask graph into a Zarr store."""

__version__ = "0.1.0"
