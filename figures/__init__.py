"""One module per published figure; each reads a protocol's Dataset and writes PNG/SVG.

Figures never re-run a simulation to draw it: they take the Dataset that
``protocols.experiment.reproduce`` returns (or its saved NetCDF file).
"""
