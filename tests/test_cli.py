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
    for word in ("jang2026", "kinase", "low-high", "tau_P", "n_blocks"):
        assert word in out
