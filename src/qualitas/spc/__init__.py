"""Statistical process control (pure): Shewhart, EWMA and CUSUM charts, sigma estimators,
run rules and process capability. No database, web or configuration imports here.

Conventions follow the reference package qcc 2.7 (rules: qcc 3.0); see docs/spc.md.
"""

from qualitas.spc.capability import Capability, CapabilityResult, NonNormal
from qualitas.spc.charts import Chart, Points, ShewhartChart, ShewhartLimits
from qualitas.spc.rules import NelsonParams, RuleSet
from qualitas.spc.sigma import SigmaMethod, estimate_sigma
from qualitas.spc.timeweighted import Cusum, CusumResult, Ewma, EwmaResult

__all__ = [
    "Capability",
    "CapabilityResult",
    "Chart",
    "Cusum",
    "CusumResult",
    "Ewma",
    "EwmaResult",
    "NelsonParams",
    "NonNormal",
    "Points",
    "RuleSet",
    "ShewhartChart",
    "ShewhartLimits",
    "SigmaMethod",
    "estimate_sigma",
]
