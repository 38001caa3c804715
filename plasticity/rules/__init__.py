"""Comparison rules (models the kinase rule is judged against): pair STDP, Graupner-Brunel 2012, BCM."""
