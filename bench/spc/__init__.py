"""SPC engine benchmarks: Qualitas vs a plain-numpy baseline and the pccpy package."""
