"""One module per molecule of the spine: its reaction table and the source of every number.

Sources: Urakubo, Honda, Froemke & Kuroda 2008 (J Neurosci 28:3310) main text
and supplementary tables, as restated with the Go port's departures in
../shared/research/urakubo_kinase_spec.md (cited below as "spec section N").
"""
