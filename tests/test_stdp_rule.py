"""Pair STDP: the rule's exact event updates, and agreement with NEST 3.10 on identical spike trains."""
import numpy as np
import pytest

from plasticity.rules.stdp import run_on_trains

VARIANTS = {
    "additive all-to-all": ({"mu_plus": 0.0, "mu_minus": 0.0, "nearest": 0.0}, "stdp_synapse"),
    "multiplicative all-to-all": ({"mu_plus": 1.0, "mu_minus": 1.0, "nearest": 0.0}, "stdp_synapse"),
    "additive nearest": ({"mu_plus": 0.0, "mu_minus": 0.0, "nearest": 1.0}, "stdp_nn_symm_synapse"),
    "multiplicative nearest": ({"mu_plus": 1.0, "mu_minus": 1.0, "nearest": 1.0},
                               "stdp_nn_symm_synapse"),
}
COMMON = {"stdp_lambda": 0.02, "stdp_alpha": 1.1}


def _trains(seed, rate_hz=15.0, duration_ms=3000, delay=1.0):
    """Poisson trains on a 1 ms grid; post times shifted by the NEST delay never meet a pre time."""
    rng = np.random.default_rng(seed)
    grid = np.arange(5, duration_ms)
    pre = grid[rng.random(grid.size) < rate_hz / 1000]
    post = grid[rng.random(grid.size) < rate_hz / 1000]
    post = post[~np.isin(post + 2 * delay, pre + delay)]   # parrot delays: pre +1, post +1, syn +d
    # NEST's nearest-neighbour synapse starts with a last pre spike at t = 0 (t_lastspike_ = 0),
    # so a post spike before the first real pre spike would pair with that: start with a pre spike
    post = post[post + 2 * delay > pre[0] + delay]
    pre = np.append(pre, duration_ms + 50)                  # a last pre spike applies every update
    return pre.astype(float), post.astype(float)


def test_single_pairs_give_the_exponential_window():
    lam, alpha, w0 = 0.005, 1.05, 0.5
    assert run_on_trains([10.0], [30.0]) == pytest.approx(w0 + lam * np.exp(-1.0), rel=1e-12)
    assert run_on_trains([30.0], [10.0]) == pytest.approx(w0 - alpha * lam * np.exp(-1.0), rel=1e-12)
    # all-to-all sums both earlier pre spikes, nearest-neighbour only the last
    both = run_on_trains([10.0, 20.0], [30.0])
    assert both == pytest.approx(w0 + lam * (np.exp(-1.0) + np.exp(-0.5)), rel=1e-12)
    assert run_on_trains([10.0, 20.0], [30.0], {"nearest": 1.0}) == pytest.approx(
        w0 + lam * np.exp(-0.5), rel=1e-12)
    # multiplicative steps shrink towards the bound
    assert run_on_trains([10.0], [30.0], {"mu_plus": 1.0}) == pytest.approx(
        w0 + lam * (1 - w0) * np.exp(-1.0), rel=1e-12)


def test_the_four_pairings_by_name():
    from plasticity.models import get_model
    model = get_model("stdp")
    assert float(model.parameters["mu_plus"]) == 0.0                       # additive by default
    for name, (values, _) in zip(["additive", "multiplicative", "additive-nearest",
                                  "multiplicative-nearest"], VARIANTS.values()):
        params = model.load_parameters(name)
        assert {k: float(params[k]) for k in values} == values, name


def test_bad_trains():
    with pytest.raises(ValueError, match="empty"):
        run_on_trains([], [])


def _nest_weight(nest, model, pre, post, values, w0, wmax, delay):
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.resolution = 0.1
    gens = [nest.Create("spike_generator", params={"spike_times": t.tolist()}) for t in (pre, post)]
    parrots = [nest.Create("parrot_neuron") for _ in range(2)]
    parrots[1].set({"tau_minus": values.get("tau_minus", 20.0)})
    for g, p in zip(gens, parrots):
        nest.Connect(g, p, syn_spec={"delay": 1.0})
    nest.Connect(parrots[0], parrots[1], syn_spec={
        "synapse_model": model, "weight": w0 * wmax, "delay": delay, "receptor_type": 1,
        "tau_plus": values.get("tau_plus", 20.0), "lambda": values["stdp_lambda"],
        "alpha": values["stdp_alpha"], "mu_plus": values["mu_plus"], "mu_minus": values["mu_minus"],
        "Wmax": wmax})
    rec = nest.Create("spike_recorder")
    nest.Connect(parrots[0], rec)
    nest.Connect(parrots[1], rec)
    nest.Simulate(float(max(pre.max(), post.max()) + 20))
    ev = rec.get("events")
    times = {int(p.global_id): ev["times"][ev["senders"] == p.global_id] for p in parrots}
    w = nest.GetConnections(parrots[0], parrots[1]).get("weight")
    return float(w) / wmax, times[parrots[0].global_id], times[parrots[1].global_id]


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_matches_nest(variant):
    nest = pytest.importorskip("nest")
    rule, model = VARIANTS[variant]
    values = {**COMMON, **rule}
    delay, wmax, w0 = 1.0, 2.0, 0.5
    worst = 0.0
    for seed in range(3):
        pre, post = _trains(seed, delay=delay)
        w_nest, pre_nest, post_nest = _nest_weight(nest, model, pre, post, values, w0, wmax, delay)
        assert pre_nest.size == pre.size and post_nest.size == post.size
        # NEST pairs a post spike with the synapse's delay added (all of it dendritic)
        ours = run_on_trains(pre_nest, post_nest + delay, values, w0=w0)
        assert abs(ours - w0) > 1e-3                       # the trains did change the weight
        worst = max(worst, abs(ours - w_nest) / abs(w_nest))
    print(f"{variant}: largest relative difference to NEST {worst:.2e}")
    assert worst < 1e-6, f"{variant}: largest relative difference {worst:.2e}"
