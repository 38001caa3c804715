"""A spiking BCM rule (the ``bcm`` model): Bienenstock, Cooper & Munro 1982 with a sliding threshold.

Rates are estimated by exponential spike traces (``tau_rate``): ``rate_in`` and
``rate_out`` jump by 1/tau_rate at each pre and post spike.  The normalised weight
follows ``dw_L/dt = eta_bcm * rate_in * rate_out * (rate_out - theta_M)``, soft-bounded
(times 1 - w_L when positive, w_L when negative), and the modification
threshold slides with the postsynaptic activity, ``theta_M`` relaxing to
``rate_out**2 / r_target`` (Intrator & Cooper 1992) with ``tau_theta``, advanced
by the real elapsed time where the runner compresses quiet time.  The weight
is expressed with the toolkit's first-order expression (relative strength
2 w_L), as for the kinase rule.

The numbers are this toolkit's choices, stated as such: ``tau_rate`` 50 ms
(a rate over a few spikes, shorter than a theta half of 100 ms), ``r_target``
10 Hz (threshold at the start: a cell firing below 10 Hz depresses, above
potentiates), ``tau_theta`` 10 min (the threshold slides over minutes to hours
in BCM accounts of deprivation; minutes keeps it within a slice recording),
``eta_bcm`` so that 1 s at 50 Hz pre and post from the initial threshold
changes w_L by about 0.05 from its initial 0.5 (1e-6 s^2 x 50 x 50 x 40 Hz^3 x 0.5).
"""
from __future__ import annotations

from brian2 import ms, second, Hz

from ..parameters import Spec
from ..units import minute

BCM_SPECS = [
    Spec("tau_rate", 50 * ms, ms, "rate-estimating trace time constant", "toolkit choice",
         positive=True),
    Spec("r_target", 10 * Hz, Hz, "initial modification threshold (and its scale)",
         "toolkit choice", positive=True),
    Spec("tau_theta", 10 * minute, minute, "sliding-threshold time constant", "toolkit choice",
         positive=True),
    Spec("eta_bcm", 1e-6 * second ** 2, second ** 2, "learning rate", "toolkit choice", low=0),
    Spec("w_L0", 0.5, 1, "initial normalised weight (relative strength 2 w_L0)", "", low=0, high=1),
]

BCM_EQUATIONS = """
drate_in/dt = -rate_in / tau_rate : Hz
drate_out/dt = -rate_out / tau_rate : Hz
dtheta_M/dt = expression_speed(t) * (rate_out**2 / r_target - theta_M) / tau_theta : Hz
dw_bcm = eta_bcm * rate_in * rate_out * (rate_out - theta_M) : Hz
dw_L/dt = dw_bcm * ((1 - w_L) * int(dw_bcm > 0*Hz) + w_L * int(dw_bcm <= 0*Hz)) : 1
"""
BCM_ON_PRE = "rate_in_post += 1 / tau_rate_post"
BCM_ON_POST = "rate_out += 1 / tau_rate"
BCM_INITIAL = {"w_L": "w_L0", "theta_M": "r_target"}

__all__ = ["BCM_SPECS", "BCM_EQUATIONS", "BCM_ON_PRE", "BCM_ON_POST", "BCM_INITIAL"]
