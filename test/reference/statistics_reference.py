"""Reference values for shared/statistics/*.test.ts, computed independently with numpy and scipy.

Rerun from the repository root (numpy ≥ 2, scipy ≥ 1.17; ../shared/data beside the clone):

    python3 test/reference/statistics_reference.py

and copy the printed figures into the tests where they are hard-coded (CI does not need python).
Each block below says which test uses it.
"""

import csv
import itertools
import json
import math
from pathlib import Path

import numpy as np
from scipy import stats

HOURS_PER_YEAR = 8760
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"


def closes(stem):
    with open(DATA / f"{stem}_data.csv", newline="") as f:
        return np.array([float(row["Close"]) for row in csv.DictReader(f)])


def sharpe_per_period(r):
    r = np.asarray(r, dtype=float)
    sd = r.std(ddof=1)
    if sd > 0:
        return r.mean() / sd
    total = r.sum()
    return 0.0 if total == 0 else math.copysign(math.inf, total)


out = {}

# normal.test.ts: Φ and Φ⁻¹ at fixed points.
out["normal_cdf"] = {str(x): stats.norm.cdf(x) for x in [-8.0, -3.0, -1.959963984540054, 0.0, 0.5, 2.0, 6.0]}
out["normal_quantile"] = {str(p): stats.norm.ppf(p) for p in [1e-20, 1e-12, 1e-4, 0.025, 0.5, 0.9, 0.975, 1 - 1e-10]}

# deflated-sharpe.test.ts and moments: BTC-USD's last 1,750 hourly simple returns close[t+1]/close[t] − 1.
c = closes("BTC_USD")
r = c[-1750:] / c[-1751:-1] - 1
assert len(r) == 1750
sr = r.mean() / r.std(ddof=1)
skew = stats.skew(r)  # bias=True: population moments
kurt = stats.kurtosis(r, fisher=False)  # non-excess, bias=True
T = len(r)
gamma = 0.5772156649015329


def dsr(trials, variance_per_period):
    if trials == 1:
        sr0 = 0.0
    else:
        sr0 = math.sqrt(variance_per_period) * (
            (1 - gamma) * stats.norm.ppf(1 - 1 / trials) + gamma * stats.norm.ppf(1 - 1 / (trials * math.e))
        )
    z = (sr - sr0) * math.sqrt(T - 1) / math.sqrt(1 - skew * sr + (kurt - 1) / 4 * sr**2)
    return {"dsr": stats.norm.cdf(z), "sr0_per_period": sr0}


out["btc_returns"] = {
    "n": T,
    "sharpe_annualised": sr * math.sqrt(HOURS_PER_YEAR),
    "sharpe_per_period": sr,
    "skewness": skew,
    "kurtosis": kurt,
    # sharpeVariance is given in annualised units: 2.5 → 2.5 / 8760 per period.
    "dsr_trials_1": dsr(1, 0.0),
    "dsr_trials_10_var_2_5": dsr(10, 2.5 / HOURS_PER_YEAR),
    "dsr_trials_100_var_2_5": dsr(100, 2.5 / HOURS_PER_YEAR),
    "dsr_trials_40_fallback": dsr(40, 1 / (T - 1)),
}

# block-bootstrap.test.ts: a circular bootstrap of n = 4 returns with blocks of 2 has exactly
# 4 × 4 = 16 equally likely resamples (two block starts). Enumerate them.
x = np.array([0.012, -0.008, 0.02, -0.015])
y = np.array([0.01, -0.011, 0.006, 0.004])
n, L = 4, 2
resamples = []
for starts in itertools.product(range(n), repeat=n // L):
    idx = [(s + j) % n for s in starts for j in range(L)]
    resamples.append(idx)
agent = np.array([sharpe_per_period(x[i]) for i in resamples])
bench = np.array([sharpe_per_period(y[i]) for i in resamples])
annual = math.sqrt(HOURS_PER_YEAR)


def exact_quantile(values, q):
    """Smallest v with F(v) ≥ q over equally likely values, and the distance of q from a jump of F."""
    v = np.sort(values)
    m = len(v)
    k = math.ceil(q * m) - 1
    value = v[k]
    below = np.sum(v < value) / m
    at_or_below = np.sum(v <= value) / m
    return {"value": value * annual, "margin": min(q - below, at_or_below - q)}


d_hat = sharpe_per_period(x) - sharpe_per_period(y)
out["circular_n4_L2"] = {
    "x": x.tolist(),
    "y": y.tolist(),
    "sharpe_annualised": sharpe_per_period(x) * annual,
    "q025": exact_quantile(agent, 0.025),
    "q975": exact_quantile(agent, 0.975),
    "q20": exact_quantile(agent, 0.2),
    "q80": exact_quantile(agent, 0.8),
    "mean_annualised": agent.mean() * annual,
    # Paired, centred: P*(d* − d̂ ≥ d̂) over the 16 resamples, same blocks for both series.
    "paired_p_exact": float(np.mean((agent - bench) - d_hat >= d_hat)),
}

# benjamini-hochberg.test.ts: the 15 p-values of Benjamini & Hochberg (1995), section 4; a plain
# numpy step-up and R's p.adjust("BH") adjusted p-values.
p = np.array([0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000])
m = len(p)
order = np.argsort(p, kind="stable")
ranked = p[order] * m / np.arange(1, m + 1)
adjusted_sorted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1)
adjusted = np.empty(m)
adjusted[order] = adjusted_sorted
below = np.nonzero(p[order] <= np.arange(1, m + 1) * 0.05 / m)[0]
k = below.max() + 1 if below.size else 0
out["bh_1995"] = {"p": p.tolist(), "adjusted": adjusted.tolist(), "rejected_at_0_05": int(k)}

print(json.dumps(out, indent=2))
