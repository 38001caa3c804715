"""Wall time of the spine model's Brian2 part for 1 and 53 rows (no settling, no quiet time).

    python benchmarks/bench_spine_rows.py [--rows 1,53]

A 10-release 100 Hz burst (1.1 s simulated at dt 0.2 ms with 8 chemistry
substeps); the second run of each size is reported (cache warm).
"""
import argparse
import dataclasses

from brian2 import Hz, second

from plasticity.models import get_model
from plasticity.simulate import simulate, rows_for
from protocols import induction


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="1,53")
    args = ap.parse_args(argv)
    model = dataclasses.replace(get_model("spine"), settle_time=None)
    schedule = induction.train(100 * Hz, 10, "burst", consolidation=0.3 * second)
    for n in map(int, args.rows.split(",")):
        rows = rows_for(model.parameters, ["burst"], {"burst": n})
        for _ in range(2):
            ds = simulate(model, schedule, rows)
        print(f"{n} rows: {ds.attrs['wall_time_s']} s wall for "
              f"{float(schedule.simulated_duration / second):.2f} s simulated")


if __name__ == "__main__":
    main()
