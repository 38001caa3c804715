"""Bad command lines end with one line on stderr and exit 2, never a traceback."""
import pytest

from plasticity.cli import main


@pytest.mark.parametrize("argv,needle", [
    (["reproduce", "nope"], "unknown protocol 'nope'"),
    (["reproduce", "jang2026", "--model", "nope"], "unknown model 'nope'"),
    (["reproduce", "jang2026", "--condition", "mid-mid"], "unknown condition 'mid-mid'"),
    (["reproduce", "jang2026", "--set", "pre_low=-5 Hz"], "pre_low"),
    (["reproduce", "jang2026", "--set", "current_high=nan pA"], "current_high"),
    (["reproduce", "jang2026", "--set", "pre_low=5 mV"], "pre_low"),
    (["reproduce", "jang2026", "--set", "tau_D=0 ms"], "tau_D"),
    (["reproduce", "jang2026", "--set", "no_such=1"], "unknown parameter 'no_such'"),
    (["reproduce", "jang2026", "--cells", "1"], "--cells"),
    (["reproduce", "jang2026", "--seed", "-1"], "seed"),
    (["reproduce", "jang2026", "--params", "/no/such/file.json"], "cannot read parameter file"),
    (["frobnicate"], "invalid choice"),
    (["reproduce", "hfs", "--manip", "ttx"], "unknown manipulation 'ttx'"),
    (["reproduce", "stdp", "--model", "stdp", "--manip", "apv"], "does not apply to model 'stdp'"),
    (["reproduce", "lfs", "--set", "rate=-1 Hz"], "rate"),
    (["reproduce", "stdp", "--set", "n_pairs=0"], "n_pairs"),
    (["reproduce", "stdp", "--condition", "dt+1000ms"], "delta_t"),
    (["reproduce", "jang2026", "--model", "gb2012", "--params", "XYZ"], "cannot read parameter file"),
    (["list", "--parameters", "nope"], "unknown model 'nope'"),
])
def test_bad_arguments_give_one_line(argv, needle, capsys):
    with pytest.raises(SystemExit) if argv == ["frobnicate"] else _nullcontext():
        code = main(argv)
        assert code == 2
    err = capsys.readouterr().err
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_list_names_everything(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for word in ("jang2026", "hfs", "tbs", "lfs", "freq-response", "stdp", "kinase", "spine",
                 "gb2012", "bcm", "low-high", "DPD_prime", "cortical_slices", "apv", "can-inhibitor",
                 "glun2b-no-camkii"):
        assert word in out
    assert main(["list", "--parameters", "kinase"]) == 0
    assert "tau_P" in capsys.readouterr().out
    assert main(["list", "--parameters", "jang2026"]) == 0
    assert "n_blocks" in capsys.readouterr().out


def test_reproduce_a_classic_protocol_writes_data_figure_and_json(tmp_path, capsys):
    import json
    code = main(["reproduce", "stdp", "--model", "stdp", "--cells", "2", "--out", str(tmp_path),
                 "--condition", "dt+10ms", "--condition", "dt-10ms", "--set", "n_pairs=20",
                 "--set", "probe_interval=60 s", "--set", "baseline=2 min", "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["dt+10ms"]["delta_t_ms"] == 10.0 and summary["dt-10ms"]["n"] == 2
    assert (tmp_path / "stdp.nc").exists() and (tmp_path / "stdp.png").exists()
