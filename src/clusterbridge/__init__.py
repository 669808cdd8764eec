"""clusterbridge: call catalogue, consortium eligibility checker and partner tools for EU cluster programmes."""

__version__ = "0.1.0"
